#pragma once
// Presentation mode for one test (or one block of it): set now, off again when the scope ends, also when a
// check fails and returns early, so the next test starts in normal mode.
#include "ui/widgets/Palette.h"

class ScopedPresentation {
public:
    explicit ScopedPresentation(bool on = true) { ael::ui::presentationMode() = on; }
    ~ScopedPresentation() { ael::ui::presentationMode() = false; }
    ScopedPresentation(const ScopedPresentation &) = delete;
    ScopedPresentation &operator=(const ScopedPresentation &) = delete;
};
