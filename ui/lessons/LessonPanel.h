#pragma once
// The lesson dock's contents: the lesson's title (its number, "Lesson N of 8", is the dock's title:
// heading()), the section's formula (large), two or three
// sentences, "Watch: …", Previous / Next, and below them the lesson's demo (LessonDemo), which gets
// every Snapshot of the current run and reset() when a new run starts.
#include "ui/lessons/Lessons.h"
#include "ui/training/Snapshot.h"

#include <QWidget>

#include <functional>

class LessonDemo;
class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;

class LessonPanel : public QWidget {
    Q_OBJECT
public:
    explicit LessonPanel(QWidget *parent = nullptr);

    /// Shows lesson `l` (of `count`) and replaces the demo with makeLessonDemo(l.demo) (none if null).
    void setLesson(const Lesson &l, int count);
    int lessonNumber() const { return m_number; }  ///< 1-based; 0 before the first lesson
    /// "Lesson 3 of 8" ("Lesson" before the first): the dock's title, a line the heading need not take.
    QString heading() const;
    LessonDemo *demo() const { return m_demo; }
    /// The height at which the panel, `width` pixels wide, shows its whole text without scrolling (with
    /// the buttons and the demo below it): what a dock sharing its column should leave it.
    int heightToShowAll(int width) const;

    /// The newest Snapshot: a new run id resets the demo first.
    void applySnapshot(const Snapshot &s);

    /// Larger text for presentation mode (lesson text ≥ 24 px). Called by the window when the mode
    /// changes; the constructor and event() follow ael::ui::presentationMode() too.
    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }

    QLabel *titleLabel() const { return m_title; }
    QLabel *formulaLabel() const { return m_formula; }
    /// The formula as laid out (lines, gaps), in the lessons file's plain form: "‖…‖²_F", not the label's HTML.
    QString formulaText() const { return m_formulaShown; }
    QLabel *textLabel() const { return m_text; }
    QLabel *watchLabel() const { return m_watch; }
    QPushButton *previousButton() const { return m_prev; }
    QPushButton *nextButton() const { return m_next; }

    /// The formula as shown: each line (three spaces apart in the lessons file) whole where it fits at
    /// maxPx; a line too wide is broken at its gaps of two spaces, between one formula and the next, and
    /// the font shrinks, down to minPx (a little below the lesson text's size), until every line fits.
    /// A formula still too wide at minPx may break at its own non-breaking spaces (the label's word
    /// wrap does the rest). fits(line, px): whether a line is no wider than the column.
    struct FormulaLayout {
        QString text;
        double px = 0;
    };
    static FormulaLayout layOutFormula(const QString &formula, double maxPx, double minPx,
                                       const std::function<bool(const QString &, double)> &fits);

signals:
    void previousRequested();
    void nextRequested();

protected:
    /// A re-polish, style or font change, or being shown picks up a changed presentationMode().
    bool event(QEvent *e) override;
    bool eventFilter(QObject *o, QEvent *e) override;
    void resizeEvent(QResizeEvent *e) override;

private:
    /// The text's height (title, formula, sentences) in a column `width` wide.
    int textHeight(int width) const;
    /// When the whole text fits, the height left over goes to the demo (larger pictures and captions)
    /// instead of blank space under the text; when it does not, the text keeps it.
    void shareSpareHeight();
    QLabel *m_title = nullptr, *m_formula = nullptr, *m_text = nullptr, *m_watch = nullptr;
    QPushButton *m_prev = nullptr, *m_next = nullptr;
    void fitFormula();
    /// The title's size: full (m_titlePx) where it takes at most two lines of the column, else smaller, down to m_titleMinPx.
    void fitTitle();
    /// The width the title and formula are laid out in: the text's column less its margins and scroll bar.
    int columnWidth() const;
    void setFormulaText(const QString &plain);
    QScrollArea *m_scroll = nullptr;  ///< the lesson's text (title, formula, sentences)
    QLabel *m_formulaProbe = nullptr;  ///< hidden, unwrapped: measures how wide a formula line stands
    QString m_formulaSource;  ///< the lesson's formula, one line per formula group
    QString m_formulaShown;   ///< what the label shows, plain (it holds math_text::toHtml of it)
    double m_formulaPx = 19.5, m_formulaMinPx = 13.8;
    double m_titlePx = 18, m_titleMinPx = 15;
    double m_zoom = 1.0;  ///< the textZoom() the fonts were set for
    QWidget *m_demoBox = nullptr;
    QVBoxLayout *m_demoLayout = nullptr;
    LessonDemo *m_demo = nullptr;
    int m_number = 0, m_count = 0;
    quint64 m_runId = 0;
    bool m_presentation = false;
};
