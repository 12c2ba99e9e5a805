#pragma once
// The analysis thread's copy of a data set's whole test half as one matrix (converted once per data
// set). Keyed by the bundle's serial, never by its address: a freed bundle's address can be reused by
// the next one, which must not be served the old pixels.
#include "ui/training/DataBundle.h"
#include "core/data/Dataset.h"
#include "core/Tensor.h"

class TestSetCache {
public:
    /// The test images of `d` as columns (d.test->range over all of them).
    const ael::Matrix &of(const DataBundle &d)
    {
        if (m_serial != d.serial || !m_serial) {
            d.test->range(0, d.test->size(), m_x);
            m_serial = d.serial;
        }
        return m_x;
    }
    quint64 serial() const { return m_serial; }

private:
    quint64 m_serial = 0;  // 0: nothing cached (serials start at 1)
    ael::Matrix m_x;
};
