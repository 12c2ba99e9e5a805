#include "OutOfDistributionSet.h"

#include "core/data/Catalog.h"
#include "core/data/Dataset.h"
#include "core/data/Embedded.h"
#include "core/data/Idx.h"

#include <QFileInfo>
#include <QFont>
#include <QImage>
#include <QPainter>

#include <exception>
#include <mutex>
#include <string>

namespace ood_set {

namespace {

std::mutex g_mutex;
std::shared_ptr<const ael::Dataset> g_fashion, g_digits;
QString g_fashionError;

std::shared_ptr<const ael::Dataset> fashionTest(QString *why)
{
    std::lock_guard lock(g_mutex);
    if (!g_fashion && g_fashionError.isEmpty()) {
        const std::string dir = ael::kFashionMnistDir;
        try {
            ael::Dataset d = ael::loadIdx(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz",
                                          "Fashion-MNIST — test");
            d.classNames = ael::fashionClassNames();
            g_fashion = std::make_shared<const ael::Dataset>(std::move(d));
        } catch (const std::exception &e) {
            g_fashionError = QFileInfo::exists(QString::fromStdString(dir))
                                 ? QStringLiteral("Fashion-MNIST could not be read: %1").arg(QString::fromStdString(e.what()))
                                 : QStringLiteral("Fashion-MNIST is not installed (Debian: dataset-fashion-mnist)");
        }
    }
    if (!g_fashion && why) *why = g_fashionError;
    return g_fashion;
}

std::shared_ptr<const ael::Dataset> digitsTest()
{
    std::lock_guard lock(g_mutex);
    if (!g_digits) g_digits = std::make_shared<const ael::Dataset>(ael::loadSource("mnist").test);
    return g_digits;
}

}  // namespace

std::shared_ptr<const ael::Dataset> renderedLetters(int rows, int cols)
{
    auto d = std::make_shared<ael::Dataset>();
    d->name = "rendered letters";
    d->rows = rows, d->cols = cols;
    const QString letters = QStringLiteral("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(std::max(4, int(rows * 0.85)));
    f.setBold(true);
    for (int i = 0; i < letters.size(); ++i) {
        QImage img(cols, rows, QImage::Format_Grayscale8);
        img.fill(0);
        {
            QPainter p(&img);
            p.setRenderHint(QPainter::Antialiasing);
            p.setRenderHint(QPainter::TextAntialiasing);
            p.setFont(f);
            p.setPen(Qt::white);
            p.drawText(img.rect(), Qt::AlignCenter, letters.mid(i, 1));
        }
        for (int y = 0; y < rows; ++y) {
            const uchar *line = img.constScanLine(y);
            d->pixels.insert(d->pixels.end(), line, line + cols);
        }
        d->labels.push_back(uint8_t(i % 10));
    }
    return d;
}

Set forRun(const QString &runId, int rows, int cols, bool builtInOnly)
{
    QString why;
    if (builtInOnly) {
        // the rendered letters on request: nothing to explain
    } else if (rows == 28 && cols == 28) {
        if (runId == QLatin1String("fashion")) return {digitsTest(), QStringLiteral("MNIST digits"), {}};
        if (auto f = fashionTest(&why)) return {f, QStringLiteral("Fashion-MNIST"), {}};
    } else {
        why = QStringLiteral("the data's %1×%2 images differ from Fashion-MNIST's 28×28").arg(cols).arg(rows);
    }
    return {renderedLetters(rows, cols), QStringLiteral("rendered letters"), why};
}

}  // namespace ood_set
