#pragma once
// The standard normal quantile function Φ⁻¹(p) (the inverse of the N(0, 1) CDF), for laying out a
// variational autoencoder's latent grid over the prior's quantiles instead of a fixed box.
namespace ael::ui {

/// Φ⁻¹(p) for p in (0, 1): −∞ at p ≤ 0, +∞ at p ≥ 1, NaN for NaN. Relative error below ~1e-15
/// (Acklam's rational approximation, 1.15e-9, refined by one Halley step).
double normalQuantile(double p);

/// Φ(x) = ½ erfc(−x/√2), the standard normal CDF (for tests and the refinement).
double normalCdf(double x);

}  // namespace ael::ui
