#pragma once
// The latent explorer: the code of every test image as a scatter, and the decoder g(h) at any point of
// the code plane. Hover, click or drag: the image decoded at the cursor follows it in a large tile
// beside the plot. "Manifold" lays a grid of decodings over the visible rectangle (kept current at
// ≤ 10 Hz on a worker thread, never blocking the GUI); for the variational model the grid can also be
// laid over the prior's quantiles. Shift-click two test images (or the drawing) to see the straight
// line between their codes decoded, above the pixel-space blend of the same two. "Sample the prior"
// decodes fresh h ~ N(0, I).
//
// For a code with k > 2 units the plot is a plane through code space (two units, or the codes' two
// principal directions); a point (u, v) decodes h = c + u·b1 + v·b2 where c keeps the other
// directions at the mean code of the test images — or at the drawing's code when there is one.
#include "ui/training/Snapshot.h"

#include <QImage>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QLabel;
class QPushButton;
class ScatterCanvas;
class InterpolationStrip;
namespace ael::ui {
class ManifoldGrid;
}

class LatentExplorer : public QWidget {
    Q_OBJECT
public:
    explicit LatentExplorer(QWidget *parent = nullptr);
    ~LatentExplorer() override;

    ScatterCanvas *canvas() const { return m_canvas; }

    /// The code h the plot point (u, v) stands for (empty until a model and codes arrived).
    std::vector<float> codeAt(QPointF uv) const;
    /// Projects a code onto the plot (the inverse of codeAt on the plane).
    QPointF pointOf(const std::vector<float> &h) const;

    /// Decodes the point as a click would, and shows it in the tile.
    void probeAt(QPointF uv);
    QImage probeImage() const { return m_probeImage; }
    std::vector<float> probeCode() const { return m_probeCode; }

    /// The drawing's full code (empty: no drawing): marked as a star and used for the other units.
    void setDrawing(const std::vector<float> &code, const std::vector<float> &pixels);

    void setManifold(bool on);
    bool manifoldOn() const;
    void setPriorGrid(bool on);
    /// Waits for the manifold job in flight, if any (for tests).
    void finishManifold();
    /// The last manifold grid shown (tiles, centers, extent), or nullptr.
    const ael::ui::ManifoldGrid *manifold() const { return m_grid.get(); }

    /// Interpolation endpoints: test image indices (−1: the drawing).
    void setEndpoints(int a, int b);
    QVector<QImage> codePath() const;
    QVector<QImage> pixelPath() const;

    /// A grid of decodings of fresh h ~ N(0, I) (the stochastic decoder; variational models).
    QVector<QImage> samplePrior(int count, quint64 seed) const;

public slots:
    void applySnapshot(const Snapshot &s);
    void reset();

signals:
    /// The user asked for samples of the prior (the window opens a dialog).
    void samplePriorRequested();

protected:
    void resizeEvent(QResizeEvent *e) override;
    /// The layout's minimum with the side column at its narrowest: the column's width follows the view's
    /// (resizeEvent), and a minimum that counted today's column would never let the window narrow again.
    QSize minimumSizeHint() const override;
    /// The side column's narrowest: 120 pixels, or what its check boxes and button need to show whole.
    int narrowestSide() const;
    /// The side column's fonts, width and tile for the view's size (and presentation mode).
    void layOutSide();
    /// The side column's items for the height beside the plot (the interpolation strip, when it shows, takes
    /// some): the tile's size, and whether the how-to text and the caption have room.
    void fitSide();
    void changeEvent(QEvent *e) override;  ///< a font change (presentation mode) re-sizes the text

private:
    void updateAxes(const Snapshot &s);
    void updateMarks();
    void updateCaption();
    void setCaption();
    /// The caption for a probe at `at` ("g(h) at h = (x, y)", and the other directions for k > 2).
    QString captionText(QPointF at) const;
    /// The caption's height in a column this wide for its longest coordinates, reserved whatever it says now:
    /// "(0, 0)" on one line and "(-0.678, -0.943)" on two moved the tile and the check boxes under the cursor.
    int captionReserve(int column) const;
    void showProbeImage();
    void requestManifold();
    void startManifoldJob();
    void updateInterpolation();
    void onClicked(QPointF uv, int index, Qt::KeyboardModifiers mods);
    std::vector<float> testCode(int index) const;
    std::vector<float> testPixels(int index) const;

    ScatterCanvas *m_canvas = nullptr;
    QWidget *m_side = nullptr;
    QLabel *m_heading = nullptr, *m_tile = nullptr, *m_caption = nullptr, *m_help = nullptr;
    QCheckBox *m_manifoldBox = nullptr, *m_priorBox = nullptr;
    QPushButton *m_sampleButton = nullptr;
    InterpolationStrip *m_interp = nullptr;

    // the newest published model and how the plot maps to codes
    std::shared_ptr<const ael::Model<float>> m_model;
    std::shared_ptr<const ael::Dataset> m_test;
    QVector<float> m_origin, m_basis, m_mean;
    int m_k = 0, m_rows = 28, m_cols = 28;
    bool m_variational = false;
    QString m_axes;
    std::vector<float> m_drawCode, m_drawPixels;

    std::vector<float> m_probeCode;
    QImage m_probeImage;
    QPointF m_probeAt;
    bool m_hasProbe = false;

    int m_endA = -2, m_endB = -2;  ///< test indices, −1 the drawing, −2 none
    int m_nextEnd = 0;
    QVector<QImage> m_codePath, m_pixelPath;

    // the manifold: one job at a time on the global thread pool, the newest request wins
    std::shared_ptr<const ael::ui::ManifoldGrid> m_grid;
    QTimer m_manifoldTimer;
    bool m_manifoldWanted = false, m_jobRunning = false;
    std::shared_ptr<int> m_alive;
};
