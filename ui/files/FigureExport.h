#pragma once
// Figures for slides, one helper for every view: PNG at 2× the widget's size, SVG (Qt SVG's
// QSvgGenerator, width and height in the widget's pixels), "Copy" to the clipboard (the 2× image), and
// the loss history as CSV. Files are written atomically (QSaveFile). A context menu with the same
// entries is attached to a view by attachFigureMenu (an event filter: the view's own code is untouched).
#include <QByteArray>
#include <QImage>
#include <QObject>
#include <QString>

#include <functional>

class QMenu;
class QWidget;

namespace figure {

inline constexpr double kPngScale = 2.0;

/// The widget as it is drawn now, at `scale` × its size (device pixel ratio `scale`).
QImage render(QWidget *w, double scale = kPngScale);
/// The widget as an SVG document (the view box is the widget's rectangle).
QByteArray svg(QWidget *w, const QString &title);

/// Writes `bytes` to `path` atomically; on failure returns false and sets `error` (naming the file).
bool writeFile(const QString &path, const QByteArray &bytes, QString *error);
bool savePng(QWidget *w, const QString &path, QString *error);
bool saveSvg(QWidget *w, const QString &title, const QString &path, QString *error);
void copyToClipboard(QWidget *w);

/// What the menus of one figure do: the window supplies the file dialogs and messages.
struct Handlers {
    std::function<void(QWidget *w, const QString &name)> exportPng, exportSvg, copy;
    std::function<void(QWidget *w)> touched;  ///< the view got a click or a context menu (the "current" figure)
};

/// Adds "Export as PNG (2×)…", "Export as SVG…" and "Copy figure" for the figure `name` to `menu` (its
/// context menu).
void addActions(QMenu *menu, QWidget *w, const QString &name, const Handlers &h);
/// Adds a submenu `name` to `menu` with "PNG (2×)…", "SVG…" and "Copy" (File ▸ Export: one short entry
/// per figure, so the menu fits a 720-pixel projector).
QMenu *addSubmenu(QMenu *menu, QWidget *w, const QString &name, const Handlers &h);
/// A context menu with those entries on `w` (and on children that do not take the event themselves;
/// children whose property "aelabNoFigureMenu" is true are left alone, e.g. a drawing pad's right button).
void attachFigureMenu(QWidget *w, const QString &name, const Handlers &h);

}  // namespace figure
