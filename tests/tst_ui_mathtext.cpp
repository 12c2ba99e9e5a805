// Formulas written with TeX's subscript mark (ui/widgets/MathText): split into runs, turned into a label's
// HTML, measured and painted with the subscript small and lowered; and where the window shows them (the
// loss chart's legend, the variant's formula) no "_F" is left.
#include "ui/widgets/LegendRow.h"
#include "ui/widgets/MathText.h"
#include "ui/widgets/Palette.h"
#include "ui/window/ControlPanel.h"

#include <QApplication>
#include <QComboBox>
#include <QFontMetricsF>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QtTest>

using math_text::Run;

Q_DECLARE_METATYPE(QList<Run>)

namespace {

/// The lowest row and the rightmost column with ink (dark pixels) in `img`; (-1, -1) if none.
QPoint inkExtent(const QImage &img)
{
    QPoint out(-1, -1);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            if (qGray(img.pixel(x, y)) < 128) out = QPoint(std::max(out.x(), x), y);
    return out;
}

QImage painted(const QString &text, const QFont &font)
{
    QImage img(300, 80, QImage::Format_RGB32);
    img.fill(Qt::white);
    QPainter p(&img);
    p.setFont(font);
    p.setPen(Qt::black);
    math_text::paint(p, QRectF(10, 10, 280, 60), Qt::AlignLeft | Qt::AlignVCenter, text);
    return img;
}

}  // namespace

class TestUiMathText : public QObject {
    Q_OBJECT
private slots:
    void runs_data()
    {
        QTest::addColumn<QString>("plain");
        QTest::addColumn<QList<Run>>("expected");
        QTest::newRow("no marks") << "L(x, g(f(x)))" << QList<Run>{{"L(x, g(f(x)))", false}};
        QTest::newRow("Frobenius") << "contractive λ‖J‖²_F (estimate)"
                                   << QList<Run>{{"contractive λ‖J‖²", false}, {"F", true}, {" (estimate)", false}};
        QTest::newRow("at the end") << "λ‖∂f(x)/∂x‖²_F" << QList<Run>{{"λ‖∂f(x)/∂x‖²", false}, {"F", true}};
        QTest::newRow("expectation") << "E_q[−log p(x|h)]" << QList<Run>{{"E", false}, {"q", true}, {"[−log p(x|h)]", false}};
        QTest::newRow("braced group") << "x_{ij} + 1" << QList<Run>{{"x", false}, {"ij", true}, {" + 1", false}};
        QTest::newRow("two marks") << "W_1 W_2" << QList<Run>{{"W", false}, {"1", true}, {" W", false}, {"2", true}};
        QTest::newRow("before a space: as written") << "a_ b" << QList<Run>{{"a_ b", false}};
        QTest::newRow("last character: as written") << "a_" << QList<Run>{{"a_", false}};
        QTest::newRow("unclosed brace: as written") << "x_{ab" << QList<Run>{{"x_{ab", false}};
        QTest::newRow("empty") << "" << QList<Run>{};
    }
    void runs()
    {
        QFETCH(QString, plain);
        QFETCH(QList<Run>, expected);
        const QList<Run> got = math_text::runs(plain);
        QCOMPARE(got.size(), expected.size());
        for (qsizetype i = 0; i < got.size(); ++i) {
            QCOMPARE(got[i].text, expected[i].text);
            QCOMPARE(got[i].sub, expected[i].sub);
        }
        QCOMPARE(math_text::hasMarks(plain), std::any_of(expected.begin(), expected.end(), [](const Run &r) { return r.sub; }));
    }

    void html()
    {
        const QString h = math_text::toHtml(QStringLiteral("k < d & x_F  ⇒\ny"));
        QVERIFY2(h.contains(QStringLiteral("k &lt; d &amp; x<sub>F</sub>  ⇒\ny")), qPrintable(h));  // gaps and breaks kept
        QVERIFY(h.contains(QStringLiteral("white-space:pre-wrap")));
        QVERIFY(Qt::mightBeRichText(h));  // a tooltip shows it as rich text
        // In a label: as wide as the text without the mark, narrower than with "_F" drawn.
        QLabel rich, plain;
        rich.setTextFormat(Qt::RichText);
        rich.setText(math_text::toHtml(QStringLiteral("λ‖∂f(x)/∂x‖²_F")));
        plain.setTextFormat(Qt::PlainText);
        plain.setText(QStringLiteral("λ‖∂f(x)/∂x‖²_F"));
        QVERIFY2(rich.sizeHint().width() < plain.sizeHint().width(), qPrintable(QStringLiteral("%1 vs %2").arg(rich.sizeHint().width()).arg(plain.sizeHint().width())));
    }

    // Painted: the subscript is smaller (the text narrower than with the mark drawn, and than with a
    // full-size F) and lowered (its ink reaches below the full-size F's).
    void paintLowersAndShrinks()
    {
        const QFont font = ael::ui::uiFont(32);
        const QFontMetricsF fm(font);
        QVERIFY(math_text::width(font, "‖J‖²_F") < fm.horizontalAdvance("‖J‖²F"));
        QVERIFY(math_text::width(font, "‖J‖²_F") > fm.horizontalAdvance("‖J‖²"));
        QCOMPARE(math_text::width(font, "‖J‖²"), fm.horizontalAdvance("‖J‖²"));
        const QPoint sub = inkExtent(painted("AAA_F", font)), full = inkExtent(painted("AAAF", font)), none = inkExtent(painted("AAA", font));
        QVERIFY2(sub.y() > full.y(), qPrintable(QStringLiteral("subscript's lowest ink row %1, full-size F's %2").arg(sub.y()).arg(full.y())));
        QVERIFY2(sub.x() < full.x() && sub.x() > none.x(), qPrintable(QStringLiteral("right ends %1 %2 %3").arg(sub.x()).arg(full.x()).arg(none.x())));
        // Aligned right, the text ends at the rectangle's right edge.
        QImage img(300, 80, QImage::Format_RGB32);
        img.fill(Qt::white);
        QPainter p(&img);
        p.setFont(font);
        p.setPen(Qt::black);
        const QRectF took = math_text::paint(p, QRectF(10, 10, 280, 60), Qt::AlignRight | Qt::AlignVCenter, "x_F");
        QCOMPARE(took.right(), 290.0);
        QCOMPARE(took.width(), math_text::width(font, "x_F"));
    }

    // Where the window shows a formula: the loss chart's legend measures the entry as painted, and the
    // variant's formula and tooltip are rich text with a <sub>.
    void shownInTheWindow()
    {
        LegendRow legend;
        legend.setPixelSize(20);
        legend.resize(900, 60);
        const QString text = QStringLiteral("contractive λ‖J‖²_F");
        legend.setEntries({{"contractive", text, Qt::red, Qt::SolidLine, "Ω = λ‖∂f(x)/∂x‖²_F", ""}});
        const QFontMetricsF fm(ael::ui::uiFont(20));
        QVERIFY2(legend.entryRect(0).width() < 26 + 6 + fm.horizontalAdvance(text), "the entry is measured with the mark drawn");
        QVERIFY(legend.entryRect(0).width() >= 26 + 6 + math_text::width(ael::ui::uiFont(20), text));

        ControlPanel panel;
        auto *variant = panel.findChild<QComboBox *>(QStringLiteral("variant"));
        auto *formula = panel.findChild<QLabel *>(QStringLiteral("variantFormula"));
        QVERIFY(variant && formula);
        const int cae = variant->findData(int(ael::Variant::Contractive));
        QVERIFY(cae >= 0);
        ael::TrainSettings settings = panel.settings();
        settings.variant = ael::Variant::Contractive;
        panel.setSettings(settings);
        QCOMPARE(variant->currentIndex(), cae);
        QCOMPARE(formula->textFormat(), Qt::RichText);
        QVERIFY2(formula->text().contains(QStringLiteral("<sub>F</sub>")), qPrintable(formula->text()));
        QVERIFY2(!formula->text().contains(QStringLiteral("_F")), qPrintable(formula->text()));
        QVERIFY(variant->itemData(cae, Qt::ToolTipRole).toString().contains(QStringLiteral("<sub>F</sub>")));
    }
};

QTEST_MAIN(TestUiMathText)
#include "tst_ui_mathtext.moc"
