#pragma once
// Presenting, a lesson on a variant with knobs of its own (sparsity weight, corruption, λ, β) asks the class to
// move them: in a window at least 1,700 px wide (on a screen as wide) the controls show below the lesson, only
// the variant and those knobs. A narrower window, whatever the screen, leaves the column to the lesson and its
// demo (lesson 7 at 1280 × 720 showed two lines of its title and none of its text).
#include "core/train/Settings.h"

inline bool controlsBelowLesson(ael::Variant v, int windowWidth, bool wideScreen)
{
    return wideScreen && windowWidth >= 1700 && v != ael::Variant::Undercomplete && v != ael::Variant::Overcomplete;
}
