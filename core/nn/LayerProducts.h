#pragma once
// The matrix products of one training step and nothing else: for every layer, Z = W X + b 1ᵀ, then, last
// layer first, dW = dZ Xᵀ with db = dZ 1, and dX = Wᵀ dZ (not for the first layer, whose input needs no
// gradient) — the calls Dense makes (Products.h), with the same shapes and the same split among the
// threads, on fixed random matrices, with no activation, loss, term, optimizer or data in between. Given
// a batch of data, the first layer multiplies it instead, with the sparse products where Dense would use
// them (SparseInput.h): digits are mostly zeros, random matrices are not.
// aelab-cli bench --products times it: the speed a step would reach if all its other work took no time.
// That is the ceiling set by the products (and the GEMM that runs them) on this machine.
#include "../Tensor.h"
#include "Architecture.h"

#include <memory>
#include <string>
#include <vector>

namespace ael {

class SparseInput;

/// One product of a step (or the sparse first layer's index of nonzeros), as LayerProducts::step() runs it.
struct ProductCall {
    std::string name;         ///< e.g. "512→784  dX = Wᵀ dZ"; "(sparse)" when it runs over X's nonzeros
    double multiplyAdds = 0;  ///< for a sparse product, the dense ones it stands for; 0 for the index
};

class LayerProducts {
public:
    /// For a model without tied weights (a tied decoder's products are Wᵀ ones), `batch` samples a step.
    /// Throws std::invalid_argument for a tied model or a batch below 1.
    /// `data`, if given (inputs × batch), is the first layer's input.
    LayerProducts(const Architecture &a, int batch, const Matrix *data = nullptr);
    ~LayerProducts();
    LayerProducts(const LayerProducts &) = delete;
    LayerProducts &operator=(const LayerProducts &) = delete;

    /// One step's products, forward then backward. Given `seconds` (calls().size() entries), each call's
    /// wall time is added to its entry (aelab-cli bench --product-calls).
    void step(double *seconds = nullptr);

    /// The calls of the last step, in the order step() ran them (the first layer's sparse or not as it ran).
    std::vector<ProductCall> calls() const;

private:
    struct Layer;
    const Matrix &input(size_t layer) const;  ///< what layer `layer` multiplies
    std::vector<Layer> layers_;
    std::unique_ptr<SparseInput> sparse_;  ///< the first layer's, given data
    bool sparseFirst_ = false;             ///< whether the last step's first layer ran sparse
};

}  // namespace ael
