#pragma once
// The principal angles between the decoder's column span and the PCA-k subspace: the largest in
// large type, every angle as a bar (0–90°), which matrix was used, and one sentence saying what the
// angles mean for this model (linear + squared error: they go to 0; otherwise: the linear part only).
#include "core/pca/DecoderSpan.h"

#include <QString>
#include <QWidget>

class AnglesView : public QWidget {
    Q_OBJECT
public:
    /// As tall as its text and a readable data area need at today's text size (presentation mode, Larger text).
    QSize minimumSizeHint() const override;
    /// What the sentence is about.
    enum class Kind { None, LinearMse, LinearRegularized, NonLinear };

    struct Input {
        ael::SpanComparison cmp;
        int d = 0, m = 0, k = 0;      ///< W is d x m; PCA-k
        bool tied = false, variational = false, linear = false;
        QString regularizer;          ///< the variant when its objective adds to the squared error ("sparse", …), else empty
        int decoderLayers = 1;
        int layerNumber = 2;          ///< W's place in the network (its subscript: W₂, W₄); 1 when tied (W₁ᵀ)
        qint64 step = 0;
    };

    explicit AnglesView(QWidget *parent = nullptr);

    void setInput(const Input &in);
    /// Nothing to compare (no model, PCA not fitted, k ≥ d…): the reason is shown instead.
    void setMessage(const QString &m);

    Kind kind() const { return m_has ? kindOf(m_in) : Kind::None; }
    static Kind kindOf(const Input &in);
    const Input &input() const { return m_in; }
    bool hasAngles() const { return m_has; }
    /// The sentence saying why (empty without angles).
    QString sentence() const;
    /// Which matrix, named by its place in the network: "Decoder W₂ (784 × 6) vs …", "Tied weights: decoder W₁ᵀ (784 × 6) vs …", …
    QString matrixText() const;
    /// The numbers showing W is not the components: "columns |cos| up to 0.41 · nearest PC |cos| 0.62".
    QString basisText() const;
    /// The text block painted at the bottom at this size: the matrix, the sentence and the numbers, with the
    /// numbers and then the sentence left out when the view is too short for them above the large figure.
    QString shownText() const;

protected:
    void paintEvent(QPaintEvent *) override;

private:
    Input m_in;
    bool m_has = false;
    QString m_message;
};
