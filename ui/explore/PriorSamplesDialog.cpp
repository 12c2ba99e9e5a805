#include "PriorSamplesDialog.h"

#include "DigitTiles.h"

#include <QDialogButtonBox>
#include <QEvent>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QVBoxLayout>

PriorSamplesDialog::PriorSamplesDialog(Sampler sample, QWidget *parent) : QDialog(parent), m_sample(std::move(sample))
{
    setWindowTitle(tr("Samples of the prior"));
    auto *text = m_text = new QLabel(tr("Each image is g(h) for a fresh h ~ N(0, I): the decoder of the variational "
                               "model turned into a generator. Codes the training pulled towards the prior "
                               "decode to plausible images."));
    text->setWordWrap(true);
    m_tiles = new DigitTiles;
    m_tiles->setAllRowsShown(true);  // kSide rows of equals: none is left out to keep the first one large
    m_tiles->setMinimumSize(560, 560);  // 8 × 8 cells of ~56 px (50 in presentation mode): still fits 1024 × 768
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    auto *again = buttons->addButton(tr("New samples"), QDialogButtonBox::ActionRole);
    connect(again, &QPushButton::clicked, this, &PriorSamplesDialog::resample);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *lay = new QVBoxLayout(this);
    lay->addWidget(text);
    lay->addWidget(m_tiles, 1);
    lay->addWidget(buttons);
    fitText();
    m_seed = QRandomGenerator::global()->generate64();
    resample();
}

void PriorSamplesDialog::fitText() { m_text->setMinimumHeight(m_text->heightForWidth(m_tiles->minimumWidth())); }

void PriorSamplesDialog::changeEvent(QEvent *e)
{
    QDialog::changeEvent(e);
    if (e->type() == QEvent::FontChange && m_text) fitText();  // presentation mode switched while it is open
}

void PriorSamplesDialog::resample()
{
    ++m_seed;
    m_images = m_sample ? m_sample(kSide * kSide, m_seed) : QVector<QImage>{};
    QVector<DigitTiles::Row> rows;
    for (int r = 0; r < kSide; ++r) {
        DigitTiles::Row row{QString(), {}, 1};
        for (int c = 0; c < kSide; ++c) row.tiles.append({QString(), m_images.value(r * kSide + c), QString(), Qt::black});
        rows.append(row);
    }
    m_tiles->setRows(rows);
}
