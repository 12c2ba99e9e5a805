#include "DemoBase.h"

#include "ui/widgets/Palette.h"

DemoBase::DemoBase(QWidget *parent) : LessonDemo(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(minimumSizeHint());
}

DemoBase::~DemoBase() = default;  // m_worker joins its thread (a running task stops at its next check)

void DemoBase::reset()
{
    m_worker.cancelAll();
    ++m_generation;
    clearResults();
    update();
}
