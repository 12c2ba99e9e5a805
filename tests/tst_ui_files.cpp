// Figures and the loss history out of the window: PNG at 2× with the right pixels, SVG that parses with
// the widget's size and keeps the loss curves inside the plot area, Copy, the File ▸ Export menu, and the CSV (header and one row per recorded point).
// Models and sessions are in tst_ui_files_models.cpp.
#include "ui/files/ChartClip.h"
#include "ui/files/FigureExport.h"
#include "ui/training/LossHistory.h"
#include "ui/views/LossChartView.h"
#include "ui/views/PcaComparisonView.h"
#include "ui/views/ReconstructionView.h"
#include "ui/explore/LatentExplorer.h"
#include "ui/widgets/Ask.h"
#include "ui/widgets/LegendRow.h"
#include "ui/widgets/Palette.h"
#include "ui/window/ControlPanel.h"
#include "ui/window/MainWindow.h"
#include "core/train/Settings.h"

#include <QChart>
#include <QClipboard>
#include <QLineSeries>
#include <QSvgGenerator>
#include <QTransform>
#include <QDockWidget>
#include <QMenuBar>
#include <QBuffer>
#include <QPainter>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

namespace {

/// Left half red, right half blue, a black 1-px frame: content whose pixels the test knows.
class Colours : public QWidget {
protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.fillRect(QRect(0, 0, width() / 2, height()), QColor(220, 20, 30));
        p.fillRect(QRect(width() / 2, 0, width() - width() / 2, height()), QColor(10, 40, 200));
        p.setPen(Qt::black);
        p.drawRect(rect().adjusted(0, 0, -1, -1));
    }
};

bool near(QRgb a, QColor b, int tol = 8)
{
    return std::abs(qRed(a) - b.red()) <= tol && std::abs(qGreen(a) - b.green()) <= tol && std::abs(qBlue(a) - b.blue()) <= tol;
}

/// The root element's attributes of an SVG document (empty on a parse error).
QXmlStreamAttributes svgRoot(const QByteArray &bytes, QString *error)
{
    QXmlStreamReader r(bytes);
    QXmlStreamAttributes root;
    bool first = true;
    while (!r.atEnd()) {
        r.readNext();
        if (r.isStartElement() && first) {
            first = false;
            if (r.name() == QLatin1String("svg")) root = r.attributes();
        }
    }
    if (r.hasError()) *error = r.errorString();
    return root;
}

/// Every stroke coordinate of an SVG document drawn in one of `colors` ("#rrggbb"), in the document's
/// coordinates: <polyline points> and <path d> (all numbers, control points too), each mapped by the
/// transforms of its enclosing groups; the stroke is the nearest one set on the element or a group.
QVector<QPointF> strokePoints(const QByteArray &svg, const QSet<QString> &colors)
{
    struct Level {
        QTransform t;
        QString stroke;
    };
    QVector<Level> stack{{QTransform(), QString()}};
    QVector<QPointF> out;
    static const QRegularExpression number(QStringLiteral("-?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?"));
    QXmlStreamReader r(svg);
    while (!r.atEnd()) {
        r.readNext();
        if (r.isEndElement()) {
            stack.pop_back();
            continue;
        }
        if (!r.isStartElement()) continue;
        Level l = stack.back();
        const QXmlStreamAttributes a = r.attributes();
        const QString tr = a.value(QLatin1String("transform")).toString();
        if (tr.startsWith(QLatin1String("matrix("))) {
            QVector<double> m;
            for (auto it = number.globalMatch(tr); it.hasNext();) m << it.next().captured().toDouble();
            if (m.size() == 6) l.t = QTransform(m[0], m[1], m[2], m[3], m[4], m[5]) * l.t;
        }
        if (a.hasAttribute(QLatin1String("stroke"))) l.stroke = a.value(QLatin1String("stroke")).toString().toLower();
        stack.push_back(l);
        const QString coords = r.name() == QLatin1String("polyline") ? a.value(QLatin1String("points")).toString()
                               : r.name() == QLatin1String("path")   ? a.value(QLatin1String("d")).toString()
                                                                      : QString();
        if (coords.isEmpty() || !colors.contains(l.stroke)) continue;
        QVector<double> v;
        for (auto it = number.globalMatch(coords); it.hasNext();) v << it.next().captured().toDouble();
        for (int i = 0; i + 1 < v.size(); i += 2) out << l.t.map(QPointF(v[i], v[i + 1]));
    }
    return out;
}

/// A loss history whose first steps are far above the rest (the linear axis leaves them out of its range).
Snapshot steepLosses()
{
    Snapshot s;
    for (int i = 1; i <= 300; ++i) s.losses << LossPoint{i, i / 100.0, 0.05 + 2.0 * std::exp(-0.5 * i), {}};
    return s;
}

QStringList csvSplit(const QString &line) { return line.split(QLatin1Char(',')); }

MainWindow::Options options()
{
    MainWindow::Options o;
    o.restoreSettings = false;
    o.worker.testIntervalMs = 200;
    return o;
}

}  // namespace

class TestUiFiles : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("AutoencoderLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_ui_files"));
        QSettings().clear();
        ask::setHandler([](const QString &, const QString &, const QStringList &) { return 0; });
    }

    void pngIsTwiceTheSizeWithTheRightPixels()
    {
        Colours w;
        w.resize(120, 50);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.png"));
        QString why;
        QVERIFY2(figure::savePng(&w, path, &why), qPrintable(why));
        const QImage img(path);
        QCOMPARE(img.size(), QSize(240, 100));
        QVERIFY(near(img.pixel(60, 50), QColor(220, 20, 30)));    // widget (30, 25): the red half
        QVERIFY(near(img.pixel(180, 50), QColor(10, 40, 200)));   // widget (90, 25): the blue half
        QVERIFY(near(img.pixel(119, 50), QColor(220, 20, 30)));   // the last red column at 2×
        QVERIFY(near(img.pixel(121, 50), QColor(10, 40, 200)));
        QVERIFY(near(img.pixel(0, 50), Qt::black, 40));           // the frame
        // Copy: the same 2× image on the clipboard.
        figure::copyToClipboard(&w);
        const QImage clip = QGuiApplication::clipboard()->image();
        QCOMPARE(clip.size(), QSize(240, 100));
        QVERIFY(near(clip.pixel(180, 50), QColor(10, 40, 200)));
    }

    void svgParsesWithTheWidgetsSize()
    {
        Colours w;
        w.resize(321, 123);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.svg"));
        QString why;
        QVERIFY2(figure::saveSvg(&w, QStringLiteral("Colours"), path, &why), qPrintable(why));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QString error;
        const QXmlStreamAttributes root = svgRoot(bytes, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(root.value(QLatin1String("width")).toString(), QStringLiteral("321px"));
        QCOMPARE(root.value(QLatin1String("height")).toString(), QStringLiteral("123px"));
        QCOMPARE(root.value(QLatin1String("viewBox")).toString(), QStringLiteral("0 0 321 123"));
        QVERIFY(bytes.contains("#dc141e"));  // the red fill, as SVG colour
    }

    // Qt SVG's generator ignores clipping: the curves are clipped by hand to the plot area. The steep
    // first steps lie above the linear axis's range; no curve coordinate may leave the plot area.
    void svgCurvesStayInThePlotArea()
    {
        LossChartView v;
        v.setRefreshInterval(0);
        v.resize(700, 450);
        v.show();
        QVERIFY(QTest::qWaitForWindowExposed(&v));
        v.applySnapshot(steepLosses());
        v.refresh();
        QApplication::processEvents();
        QLineSeries *train = v.series(QStringLiteral("train"));
        QVERIFY(train && train->count() > 100);
        QSet<QString> colors;
        for (QAbstractSeries *s : v.chart()->series())
            if (auto *l = qobject_cast<QLineSeries *>(s)) colors << l->pen().color().name();
        const QRectF plot = figure::ClippedChartCurves::plotAreaIn(&v, train);
        QVERIFY(plot.width() > 100 && plot.height() > 100);
        const double tol = 0.01 + train->pen().widthF();  // the clipped ends lie on the edge
        const QRectF allowed = plot.adjusted(-tol, -tol, tol, tol);
        // The legend row under the chart draws a short line in each curve's colour: not a curve.
        const QRectF legend(v.legend()->mapTo(&v, QPoint(0, 0)), QSizeF(v.legend()->size()));
        QVERIFY(!legend.intersects(plot));
        auto outside = [&](const QVector<QPointF> &pts) {
            return int(std::count_if(pts.begin(), pts.end(), [&](QPointF q) { return !allowed.contains(q) && !legend.contains(q); }));
        };
        // What the generator alone draws: the first steps rise above the plot area (into the title).
        QByteArray plain;
        {
            QBuffer b(&plain);
            b.open(QIODevice::WriteOnly);
            QSvgGenerator gen;
            gen.setOutputDevice(&b);
            gen.setSize(v.size());
            gen.setViewBox(QRect(QPoint(0, 0), v.size()));
            QPainter p(&gen);
            v.render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
        }
        const QVector<QPointF> unclipped = strokePoints(plain, colors);
        QVERIFY2(outside(unclipped) > 0, "the history does not leave the plot area: the test shows nothing");
        // The export: as many curve points, all inside, the curve entering through the top edge.
        const QByteArray bytes = figure::svg(&v, QStringLiteral("Loss"));
        const QVector<QPointF> pts = strokePoints(bytes, colors);
        qInfo("curve points: %lld unclipped (%d outside), %lld exported (%d outside), plot %.0f,%.0f %.0fx%.0f",
              qlonglong(unclipped.size()), outside(unclipped), qlonglong(pts.size()), outside(pts), plot.x(), plot.y(),
              plot.width(), plot.height());
        QVERIFY(pts.size() > 100);
        for (QPointF q : pts)
            if (!allowed.contains(q) && !legend.contains(q)) qWarning("outside the plot area: %.2f, %.2f", q.x(), q.y());
        QCOMPARE(outside(pts), 0);
        QVERIFY(std::any_of(pts.begin(), pts.end(), [&](QPointF q) { return std::abs(q.y() - plot.top()) < 0.01; }));
        QVERIFY(train->isVisible());  // the series are shown again after the export
    }

    // Liang–Barsky on hand-computed cases: a run outside ends a part; a crossing ends on the edge.
    void clipPolylineCases()
    {
        const QRectF r(0, 0, 10, 10);
        QCOMPARE(figure::clipPolyline({{1, 1}, {5, 5}}, r), (QVector<QPolygonF>{{{1, 1}, {5, 5}}}));
        QCOMPARE(figure::clipPolyline({{5, -5}, {5, 5}, {7, 5}}, r), (QVector<QPolygonF>{{{5, 0}, {5, 5}, {7, 5}}}));
        QCOMPARE(figure::clipPolyline({{2, 2}, {2, 20}, {4, 20}, {4, 2}}, r),
                 (QVector<QPolygonF>{{{2, 2}, {2, 10}}, {{4, 10}, {4, 2}}}));
        QCOMPARE(figure::clipPolyline({{-5, 5}, {15, 5}}, r), (QVector<QPolygonF>{{{0, 5}, {10, 5}}}));
        QVERIFY(figure::clipPolyline({{-5, -5}, {-1, 20}}, r).isEmpty());
        QCOMPARE(figure::clipPolyline({{1, 1}, {qQNaN(), 2}, {3, 3}, {4, 4}}, r), (QVector<QPolygonF>{{{3, 3}, {4, 4}}}));
    }

    void writeFailsWithAMessageAndKeepsTheOldFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.csv"));
        QString why;
        QVERIFY(figure::writeFile(path, "old\n", &why));
        QVERIFY(!figure::writeFile(dir.filePath(QStringLiteral("no/such/dir/x.csv")), "new\n", &why));
        QVERIFY2(why.contains(QStringLiteral("no/such/dir/x.csv")), qPrintable(why));
        QVERIFY(!figure::writeFile(QStringLiteral("/dev/null"), "new\n", &why));
        QVERIFY2(why.contains(QStringLiteral("not a regular file")), qPrintable(why));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("old\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("old.csv")});  // no temporary left
    }

    void everyViewExportsAndTheMenuOffersIt()
    {
        MainWindow w(options());
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.worker()->stepBatches(120);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().step == 120 && !w.lastSnapshot().running && w.lastSnapshot().testStep == 120, 120000);
        w.lossView()->refresh();
        QTemporaryDir dir;
        QList<QPair<QWidget *, QString>> views{{w.lossView(), "loss"}, {w.reconstructionView(), "recon"},
                                               {w.latentView(), "latent"}, {w.pcaView(), "pca"}};
        w.insideDock()->show();
        QTRY_VERIFY_WITH_TIMEOUT(w.insideDock()->widget()->isVisible(), 30000);
        views.append({w.insideDock()->widget(), "inside"});
        for (const auto &[view, name] : views) {
            const QString png = dir.filePath(name + ".png"), svg = dir.filePath(name + ".svg");
            QString why;
            QVERIFY2(figure::savePng(view, png, &why), qPrintable(why));
            QVERIFY2(figure::saveSvg(view, name, svg, &why), qPrintable(why));
            const QImage img(png);
            QCOMPARE(img.size(), view->size() * 2);
            QFile f(svg);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QString error;
            const auto root = svgRoot(f.readAll(), &error);
            QVERIFY2(error.isEmpty(), qPrintable(name + ": " + error));
            QCOMPARE(root.value(QLatin1String("width")).toString(), QString::number(view->width()) + "px");
            QCOMPARE(root.value(QLatin1String("height")).toString(), QString::number(view->height()) + "px");
        }
        // The loss chart's training curve is drawn in the autoencoder blue: many pixels of that colour.
        const QImage loss(dir.filePath(QStringLiteral("loss.png")));
        int blue = 0;
        for (int y = 0; y < loss.height(); y += 1)
            for (int x = 0; x < loss.width(); x += 1) blue += near(loss.pixel(x, y), ael::ui::kAeColor, 30);
        QVERIFY2(blue > 200, qPrintable(QString::number(blue)));
        // The reconstruction view shows white-on-black digits: both extremes are in its export.
        const QImage recon(dir.filePath(QStringLiteral("recon.png")));
        int dark = 0, bright = 0;
        for (int y = 0; y < recon.height(); y += 2)
            for (int x = 0; x < recon.width(); x += 2) {
                const int g = qGray(recon.pixel(x, y));
                dark += g < 20, bright += g > 235;
            }
        QVERIFY(dark > 100 && bright > 100);

        // File ▸ Export holds a submenu per figure (PNG, SVG, Copy) and the CSV: a dozen entries, which fit a
        // 720-pixel projector (a flat list of three entries per figure ran to 28 and two columns there).
        QMenu *file = nullptr;
        for (QAction *a : w.menuBar()->actions())
            if (a->text() == QStringLiteral("&File")) file = a->menu();
        QVERIFY(file);
        QMenu *ex = nullptr;
        for (QAction *a : file->actions())
            if (a->menu() && a->text() == QStringLiteral("&Export")) ex = a->menu();
        QVERIFY(ex);
        QStringList texts;
        QMap<QString, QStringList> figures;
        for (QAction *a : ex->actions()) {
            if (a->isSeparator()) continue;
            texts << a->text();
            if (a->menu())
                for (QAction *b : a->menu()->actions()) figures[a->text()] << b->text();
        }
        QVERIFY2(texts.size() <= 14, qPrintable(texts.join(QStringLiteral(" | "))));
        for (const char *n : {"Loss chart", "Reconstructions", "Latent space", "PCA comparison", "Inside the network", "Controls"})
            QCOMPARE(figures.value(QLatin1String(n)), (QStringList{QStringLiteral("PNG (2×)…"), QStringLiteral("SVG…"), QStringLiteral("Copy")}));
        QVERIFY(texts.contains(QStringLiteral("Loss history as CSV…")));
    }

    void csvHasTheHeaderAndOneRowPerPoint()
    {
        MainWindow w(options());
        w.show();
        int points = 0;
        QList<qint64> testSteps;
        connect(&w, &MainWindow::snapshotApplied, this, [&](const Snapshot &s) {
            if (s.runId != w.runId()) return;
            points += int(s.losses.size());
            if (s.testStep > 0 && (testSteps.isEmpty() || testSteps.back() != s.testStep)) testSteps << s.testStep;
        });
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().runId == w.runId(), 30000);
        w.worker()->stepBatches(60);
        QTRY_VERIFY_WITH_TIMEOUT(w.worker()->engineStep() == 60, 120000);
        ael::TrainSettings s = w.controls()->settings();
        s.variant = ael::Variant::Sparse;  // a regularizer term and a marker
        w.controls()->setSettings(s);
        w.worker()->setSettings(s);
        QTRY_COMPARE_WITH_TIMEOUT(w.worker()->engineSettings().variant, ael::Variant::Sparse, 30000);
        w.worker()->stepBatches(60);
        QTRY_VERIFY_WITH_TIMEOUT(w.lastSnapshot().step == 120 && !w.lastSnapshot().running &&
                                     w.lastSnapshot().testStep == 120 && !w.lossHistory().data().markers.empty(), 120000);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("h.csv"));
        QString why;
        QVERIFY2(w.exportHistoryCsv(path, &why), qPrintable(why));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.front(), QStringLiteral("step,epoch,reconstruction,sparsity_l1,objective,test_mse,marker"));
        QCOMPARE(lines.size() - 1, points);
        QVERIFY(points >= 2);
        // Steps increase to 120; the term is empty before the switch and set after it; the objective
        // is reconstruction + term; each test MSE is in exactly one row.
        qint64 last = 0;
        int tests = 0, withTerm = 0, markers = 0;
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList c = csvSplit(lines[i]);
            QCOMPARE(c.size(), 7);
            QVERIFY(c[0].toLongLong() > last);
            last = c[0].toLongLong();
            const double rec = c[2].toDouble();
            if (!c[3].isEmpty()) {
                ++withTerm;
                QCOMPARE(c[4].toDouble(), rec + c[3].toDouble());
            } else {
                QCOMPARE(c[4].toDouble(), rec);
            }
            tests += !c[5].isEmpty();
            markers += !c[6].isEmpty();
        }
        QCOMPARE(last, qint64(120));
        QVERIFY(withTerm > 0 && withTerm < points);
        QVERIFY(tests >= 1 && tests <= testSteps.size());  // several measurements in one row count once
        QVERIFY(markers >= 1);
        QVERIFY(lines.last().split(QLatin1Char(','))[5].toDouble() == w.lastSnapshot().testMse);
    }
};

QTEST_MAIN(TestUiFiles)
#include "tst_ui_files.moc"
