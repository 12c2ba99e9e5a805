#pragma once
// The lesson dock's contents: "Lesson N of 8 — title", the section's formula (large), two or three
// sentences, "Watch: …", Previous / Next, and below them the lesson's demo (LessonDemo), which gets
// every Snapshot of the current run and reset() when a new run starts.
#include "ui/lessons/Lessons.h"
#include "ui/training/Snapshot.h"

#include <QWidget>

class LessonDemo;
class QLabel;
class QPushButton;
class QVBoxLayout;

class LessonPanel : public QWidget {
    Q_OBJECT
public:
    explicit LessonPanel(QWidget *parent = nullptr);

    /// Shows lesson `l` (of `count`) and replaces the demo with makeLessonDemo(l.demo) (none if null).
    void setLesson(const Lesson &l, int count);
    int lessonNumber() const { return m_number; }  ///< 1-based; 0 before the first lesson
    LessonDemo *demo() const { return m_demo; }

    /// The newest Snapshot: a new run id resets the demo first.
    void applySnapshot(const Snapshot &s);

    /// Larger text for presentation mode (lesson text ≥ 24 px). Called by the window when the mode
    /// changes; the constructor and event() follow ael::ui::presentationMode() too.
    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }

    QLabel *titleLabel() const { return m_title; }
    QLabel *formulaLabel() const { return m_formula; }
    QLabel *textLabel() const { return m_text; }
    QLabel *watchLabel() const { return m_watch; }
    QPushButton *previousButton() const { return m_prev; }
    QPushButton *nextButton() const { return m_next; }

signals:
    void previousRequested();
    void nextRequested();

protected:
    /// A re-polish, style or font change, or being shown picks up a changed presentationMode().
    bool event(QEvent *e) override;

private:
    QLabel *m_title = nullptr, *m_formula = nullptr, *m_text = nullptr, *m_watch = nullptr;
    QPushButton *m_prev = nullptr, *m_next = nullptr;
    QWidget *m_demoBox = nullptr;
    QVBoxLayout *m_demoLayout = nullptr;
    LessonDemo *m_demo = nullptr;
    int m_number = 0, m_count = 0;
    quint64 m_runId = 0;
    bool m_presentation = false;
};
