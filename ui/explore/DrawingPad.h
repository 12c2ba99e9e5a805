#pragma once
// The drawing pad: a black square on which the student writes a digit in white ink, with a round
// soft brush (a radial gradient, width 1/12 of the pad) from the mouse, a pen tablet or a finger.
// Left button / pen / touch draws, the right button or the eraser end of a pen erases (or setEraser),
// Esc clears, Ctrl+Z undoes the last stroke. An image file (a photo of a digit on paper) can be
// opened or dropped: it is levelled by inkFromPhoto and becomes the pad's background ink, on which
// one can keep drawing or erasing. Strokes are kept as paths in pad coordinates (0..1), so the ink
// is re-rendered at any widget size. After every change of the ink the model input is recomputed
// with digitFromInk and inputChanged() is emitted.
#include "DigitRecipe.h"

#include <QImage>
#include <QPointF>
#include <QWidget>

#include <vector>

class DrawingPad : public QWidget {
    Q_OBJECT
public:
    explicit DrawingPad(QWidget *parent = nullptr);

    /// The current model input (digitFromInk of the pad's ink at the target size).
    const DigitInput &input() const { return m_input; }
    /// The model's image size (28×28 for MNIST); recomputes the input.
    void setTargetSize(int rows, int cols);
    /// Whether the empty pad asks for a digit (the default) or for any image (a data set of other images).
    void setAsksForDigits(bool digits);
    bool eraser() const { return m_eraser; }
    int strokeCount() const { return int(m_strokes.size()); }
    bool hasPhoto() const { return !m_photoInk.isNull(); }
    /// The ink as rendered (white on black; the pad's side in physical pixels).
    const QImage &inkImage() const { return m_raster; }
    /// The square the ink lives in, in widget coordinates (for tests and tablets).
    QRectF canvasRect() const;

    /// Loads an image file (PNG, JPEG, …; EXIF orientation applied) as with setImage. On failure (not an
    /// image, or one with no ink in it: blank paper) returns false, keeps the pad as it was and sets *error to
    /// a message naming the file.
    bool loadImage(const QString &path, QString *error = nullptr);
    /// A photo of a digit: levelled by inkFromPhoto, fitted into the pad; the strokes are cleared.
    void setImage(const QImage &photo);

    QSize sizeHint() const override { return {480, 480}; }
    QSize minimumSizeHint() const override { return {200, 200}; }

public slots:
    void setEraser(bool on);
    void clear();
    void undo();

signals:
    void inputChanged();
    void eraserChanged(bool on);
    /// A dropped file could not be read (the message names the file).
    void loadFailed(const QString &message);

protected:
    void paintEvent(QPaintEvent *) override;
    void resizeEvent(QResizeEvent *) override;
    void mousePressEvent(QMouseEvent *) override;
    void mouseMoveEvent(QMouseEvent *) override;
    void mouseReleaseEvent(QMouseEvent *) override;
    void tabletEvent(QTabletEvent *) override;
    bool event(QEvent *) override;  // touch
    void keyPressEvent(QKeyEvent *) override;
    void dragEnterEvent(QDragEnterEvent *) override;
    void dropEvent(QDropEvent *) override;
    void leaveEvent(QEvent *) override;

private:
    /// The pad shows this ink (from a photo) and nothing else: the strokes are cleared.
    void showInk(QImage ink);
    struct Stroke {
        std::vector<QPointF> points;  ///< in pad coordinates, 0..1
        bool erase = false;
    };
    void beginStroke(QPointF widgetPos, bool erase);
    void extendStroke(QPointF widgetPos);
    void endStroke();
    QPointF toPad(QPointF widgetPos) const;
    /// Stamps soft dabs from a to b (pad coordinates) onto the raster; a == b stamps one dab.
    void stamp(QPointF a, QPointF b, bool erase);
    /// The widget area a dab from a to b (pad coordinates) can touch, brush outline included.
    QRect dirtyRect(QPointF a, QPointF b) const;
    void moveHover(QPointF widgetPos);  ///< moves the brush outline, repainting only around it
    void rerender();   ///< the raster from the photo and all strokes
    void recompute();  ///< the input from the raster; emits inputChanged()

    std::vector<Stroke> m_strokes;
    bool m_drawing = false;
    bool m_eraser = false;
    bool m_digits = true;  ///< the empty pad asks for a digit (else for an image)
    QImage m_photoInk;  ///< levelled photo (white ink on black), or null
    QImage m_raster;    ///< side × side, RGB32
    DigitInput m_input;
    int m_rows = 28, m_cols = 28;
    QPointF m_hover{-1, -1};  ///< where the brush outline is drawn (widget coordinates)
};
