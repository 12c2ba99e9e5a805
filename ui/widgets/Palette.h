#pragma once
// Colours and font sizes shared by the views. Designed for a projector: white backgrounds,
// near-black text, thick lines, and a colour-blind-safe class palette.
//
// Class palette: Okabe & Ito (2008), "Color Universal Design" — the eight colours that stay
// distinguishable under protanopia, deuteranopia and tritanopia — with black lightened to a dark
// grey, yellow darkened slightly so it stays visible on white, and two extensions from Paul Tol's
// "muted" scheme (wine, olive) for classes 8 and 9. The order puts the most different colours on
// the most often confused digit pairs' neighbours (0 blue, 1 orange, …).
#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QRgb>
#include <QStringList>
#include <QWidget>

#include <algorithm>
#include <array>
#include <cmath>

namespace ael::ui {

inline constexpr std::array<QRgb, 10> kClassRgb = {
    0xff0072b2,  // 0 blue            (Okabe-Ito)
    0xffe69f00,  // 1 orange          (Okabe-Ito)
    0xff009e73,  // 2 bluish green    (Okabe-Ito)
    0xffd55e00,  // 3 vermillion      (Okabe-Ito)
    0xff56b4e9,  // 4 sky blue        (Okabe-Ito)
    0xffcc79a7,  // 5 reddish purple  (Okabe-Ito)
    0xff333333,  // 6 dark grey       (Okabe-Ito black, lightened)
    0xffd9c400,  // 7 yellow          (Okabe-Ito #F0E442, darkened for white backgrounds)
    0xff882255,  // 8 wine            (Tol muted)
    0xff999933,  // 9 olive           (Tol muted)
};

/// The colour of class c (0..9); other values wrap around.
inline QColor classColor(int c) { return QColor::fromRgb(kClassRgb[size_t(((c % 10) + 10) % 10)]); }

/// WCAG relative luminance of an sRGB colour (0 black … 1 white).
inline double relativeLuminance(const QColor &c)
{
    auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.redF()) + 0.7152 * lin(c.greenF()) + 0.0722 * lin(c.blueF());
}
/// WCAG contrast ratio of text in this colour on white (1 : 1 for white … 21 : 1 for black).
inline double contrastOnWhite(const QColor &c) { return 1.05 / (relativeLuminance(c) + 0.05); }
/// The colour, darkened (same hue) until text in it reads on white at a contrast of at least 4.5 : 1
/// (WCAG AA): a class's yellow "7" over a nearest digit was near invisible from the back of a room.
inline QColor legibleOnWhite(QColor c)
{
    for (int i = 0; i < 40 && contrastOnWhite(c) < 4.5; ++i) c = c.darker(108);
    return c;
}

// Series colours used consistently across the views: the autoencoder is blue, PCA is vermillion.
inline const QColor kAeColor{0x00, 0x72, 0xb2};
inline const QColor kPcaColor{0xd5, 0x5e, 0x00};
inline const QColor kTestColor{0x00, 0x9e, 0x73};
inline const QColor kMarkerColor{0x55, 0x55, 0x55};
/// Regularizer terms, in the order they first appear: the first three far from the chart's own blue
/// (L), green (test MSE) and orange (PCA) — a KL curve after a sparsity one was drawn in orange, as if PCA.
inline constexpr std::array<QRgb, 5> kTermRgb = {0xffcc79a7, 0xff882255, 0xff999933, 0xff56b4e9,
                                                0xffe69f00};
/// The plain autoencoder beside the variant in the lessons' demos (e.g. denoising against plain).
inline constexpr QRgb kPlainAeRgb = 0xffe69f00;

inline const QColor kBackground{Qt::white};
inline const QColor kText{0x1a, 0x1a, 0x1a};
inline const QColor kSubtleText{0x55, 0x55, 0x55};
inline const QColor kGrid{0xdd, 0xdd, 0xdd};
inline const QColor kAxis{0x44, 0x44, 0x44};

/// Presentation mode (F5, toggled by the window): larger text, thicker lines and larger points in
/// every view. Views read it when they paint (GUI thread only); the window repaints them on a change.
inline bool &presentationMode()
{
    static bool on = false;
    return on;
}
/// Whether the views are being drawn into an exported figure (PNG, SVG, clipboard), not onto the screen:
/// what follows the mouse (a scatter's hover card) stays out of a figure for a slide. Set by ui/files/FigureExport.
inline bool &renderingFigure()
{
    static bool on = false;
    return on;
}
/// Text ▸ Larger/Smaller text: the application font's size over the one the window started with (in
/// the same mode). The views' own text (basePixelSize) follows it as the widgets' text does. Set by the
/// window before it changes the application font, so every view reads the new value on FontChange.
inline double &textZoom()
{
    static double zoom = 1.0;
    return zoom;
}
/// Multiplier for pen widths and point radii: 1 normally, larger in presentation mode.
inline double lineScale() { return presentationMode() ? 1.8 : 1.0; }

/// Base text size in pixels for a view of the given size: large enough to read from the back of a
/// lecture hall on a 1280×720 or 1920×1080 projector, growing with the view. Tick labels use about
/// this size, titles ~1.3× it; presentation mode raises the floor so that ticks are ≥ 18 px and
/// titles ≥ 28 px on a 1280×720 screen. Larger text (textZoom) scales the result.
inline double basePixelSize(QSize viewSize)
{
    const double s = std::min(viewSize.width() * 0.75, double(viewSize.height()));
    if (presentationMode()) return std::clamp(s * 0.05, 22.5, 34.0) * textZoom();  // ticks (≥ 0.8×) ≥ 18 px
    return std::clamp(s * 0.034, 14.0, 22.0) * textZoom();
}

inline QFont uiFont(double pixelSize, bool bold = false)
{
    QFont f;
    f.setPixelSize(std::max(1, int(std::lround(pixelSize))));
    f.setBold(bold);
    return f;
}

/// The first text that fits `width` (long to short); the shortest elided when none does: a title says
/// what it is rather than trailing off.
inline QString firstFitting(const QStringList &longToShort, const QFontMetricsF &fm, double width)
{
    if (longToShort.isEmpty()) return {};  // nothing to say (a verdict before the first test MSE)
    for (const QString &t : longToShort)
        if (fm.horizontalAdvance(t) <= width) return t;
    return fm.elidedText(longToShort.last(), Qt::ElideRight, width);
}

/// n in subscript digits (₀…₉), for matrix names such as W₄.
inline QString subscriptDigits(int n)
{
    QString out;
    for (const QChar c : QString::number(n)) out += c.isDigit() ? QChar(0x2080 + c.digitValue()) : c;
    return out;
}

/// A view's title: 1.05× the base size, bold; at least 28 px in presentation mode.
inline QFont titleFont(double basePx)
{
    return uiFont(presentationMode() ? std::max(28.0, basePx * 1.05) : basePx * 1.05, true);
}

}  // namespace ael::ui
