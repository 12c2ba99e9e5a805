#include "ui/files/FigureExport.h"

#include "ui/files/ChartClip.h"
#include "ui/widgets/Palette.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QFileInfo>
#include <QMenu>
#include <QMimeData>
#include <QPainter>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace figure {

namespace {
/// Views paint for a figure while it lives (ael::ui::renderingFigure()).
struct RenderingFigure {
    RenderingFigure() { ael::ui::renderingFigure() = true; }
    ~RenderingFigure() { ael::ui::renderingFigure() = false; }
};
}  // namespace

QImage render(QWidget *w, double scale)
{
    const RenderingFigure figure;
    const QSize px = (QSizeF(w->size()) * scale).toSize();
    QImage img(px, QImage::Format_ARGB32_Premultiplied);
    img.setDevicePixelRatio(scale);
    img.fill(w->palette().color(w->backgroundRole()));
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    w->render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
    p.end();
    return img;
}

QByteArray svg(QWidget *w, const QString &title)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator gen;
    gen.setOutputDevice(&buffer);
    gen.setSize(w->size());
    gen.setViewBox(QRect(QPoint(0, 0), w->size()));
    gen.setTitle(title);
    gen.setDescription(QStringLiteral("Autoencoder Lab figure"));
    gen.setResolution(96);
    QPainter p(&gen);
    {
        const RenderingFigure figure;
        // The generator does not clip: the charts' curves are drawn by hand, clipped to their plot areas.
        const ClippedChartCurves curves(w);
        w->render(&p, QPoint(), QRegion(), QWidget::DrawWindowBackground | QWidget::DrawChildren);
        curves.drawCurves(p);
    }
    p.end();
    // QSvgGenerator gives the size in millimetres; slides want the widget's pixels.
    const int head = int(bytes.indexOf("<svg"));
    const int close = head < 0 ? -1 : int(bytes.indexOf('>', head));
    if (close > head) {
        QString tag = QString::fromUtf8(bytes.mid(head, close - head));
        tag.replace(QRegularExpression(QStringLiteral(" width=\"[^\"]*\"")), QStringLiteral(" width=\"%1px\"").arg(w->width()));
        tag.replace(QRegularExpression(QStringLiteral(" height=\"[^\"]*\"")), QStringLiteral(" height=\"%1px\"").arg(w->height()));
        bytes.replace(head, close - head, tag.toUtf8());
    }
    return bytes;
}

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile f(path);
    const auto failed = [&](const QString &why) {
        if (error) *error = QObject::tr("%1: %2").arg(path, why);
        return false;
    };
    if (QFileInfo(path).exists() && !QFileInfo(path).isFile()) return failed(QObject::tr("not a regular file"));
    if (!f.open(QIODevice::WriteOnly)) return failed(f.errorString());
    if (f.write(bytes) != bytes.size()) {
        const QString why = f.errorString();
        f.cancelWriting();
        return failed(why);
    }
    if (!f.commit()) return failed(f.errorString());
    return true;
}

bool savePng(QWidget *w, const QString &path, QString *error)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!render(w).save(&buffer, "PNG")) {
        if (error) *error = QObject::tr("%1: could not encode the PNG image").arg(path);
        return false;
    }
    return writeFile(path, bytes, error);
}

bool saveSvg(QWidget *w, const QString &title, const QString &path, QString *error)
{
    return writeFile(path, svg(w, title), error);
}

void copyToClipboard(QWidget *w)
{
    const QImage img = render(w);
    QApplication::clipboard()->setImage(img);
}

namespace {
/// The three actions on `w`, under these labels.
void addThree(QMenu *menu, QWidget *w, const QString &name, const Handlers &h, const QString &png, const QString &svg, const QString &copy)
{
    QObject::connect(menu->addAction(png), &QAction::triggered, w, [w, name, h] { h.exportPng(w, name); });
    QObject::connect(menu->addAction(svg), &QAction::triggered, w, [w, name, h] { h.exportSvg(w, name); });
    QObject::connect(menu->addAction(copy), &QAction::triggered, w, [w, name, h] { h.copy(w, name); });
}
}  // namespace

void addActions(QMenu *menu, QWidget *w, const QString &name, const Handlers &h)
{
    addThree(menu, w, name, h, QObject::tr("Export as PNG (2×)…"), QObject::tr("Export as SVG…"), QObject::tr("Copy figure"));
}

QMenu *addSubmenu(QMenu *menu, QWidget *w, const QString &name, const Handlers &h)
{
    QMenu *sub = menu->addMenu(name);
    addThree(sub, w, name, h, QObject::tr("PNG (2×)…"), QObject::tr("SVG…"), QObject::tr("Copy"));
    return sub;
}

namespace {

class MenuFilter : public QObject {
public:
    MenuFilter(QWidget *w, QString name, Handlers h) : QObject(w), m_w(w), m_name(std::move(name)), m_h(std::move(h)) {}

protected:
    bool eventFilter(QObject *o, QEvent *e) override
    {
        if (o != m_w) return false;
        if (e->type() == QEvent::MouseButtonPress && m_h.touched) m_h.touched(m_w);
        if (e->type() != QEvent::ContextMenu) return false;
        auto *ce = static_cast<QContextMenuEvent *>(e);
        for (QWidget *c = m_w->childAt(ce->pos()); c && c != m_w; c = c->parentWidget())
            if (c->property("aelabNoFigureMenu").toBool()) return true;
        if (m_h.touched) m_h.touched(m_w);
        QMenu menu(m_w);
        addActions(&menu, m_w, m_name, m_h);
        menu.exec(ce->globalPos());
        return true;
    }

private:
    QWidget *m_w;
    QString m_name;
    Handlers m_h;
};

}  // namespace

void attachFigureMenu(QWidget *w, const QString &name, const Handlers &h)
{
    w->installEventFilter(new MenuFilter(w, name, h));
}

}  // namespace figure
