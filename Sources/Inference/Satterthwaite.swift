import Foundation
import LinearAlgebra
import MixedModels
import Optimization

/// What Satterthwaite's approximation needs from a fitted LMM, computed once per fit.
///
/// The covariance parameters are φ = (θ, σ). `covariance` is `2 H⁺`, H the Hessian of the
/// (REML or ML) deviance at φ̂ — not profiled over σ — so that `covariance` estimates the
/// asymptotic covariance of φ̂; `jacobian[k]` is ∂vcov(β̂)/∂φ_k at φ̂, with
/// `vcov(β̂)(φ) = σ² (XᵀV(θ)⁻¹X)⁻¹` evaluated through the PLS factor. For a contrast L the df is
///
///     ν = 2 (L C Lᵀ)² / (gᵀ A g),   g_k = L (∂C/∂φ_k) Lᵀ,   A = 2 H⁺
///
/// (Satterthwaite 1946; Kuznetsova, Brockhoff & Christensen 2017, JSS 82(13), §3.)
struct SatterthwaiteParameters: Sendable {
  /// `A = 2 H⁺` (Moore–Penrose inverse over eigenvalues above 1e-8, as lmerTest).
  let covariance: Matrix
  /// ∂vcov(β̂)/∂φ_k, one p×p matrix per parameter.
  let jacobian: [Matrix]
  /// Eigenvalues of H that are ≤ 1e-8 (reported as a concern when not empty).
  let nonPositiveEigenvalues: [Double]

  /// - Complexity: about 80 + 32 refactorisations of the PLS system for 4 parameters; each is
  ///   O(levels · q³ + levels · q · p²) for one grouping factor, independent of n.
  init(model: LinearMixedModel, fit: LinearMixedModelFit) throws {
    var workspace = PLSWorkspace(model: model)
    let reml = fit.method == .reml
    let n = Double(model.observationCount)
    let p = Double(model.fixedEffectCount)
    let k = fit.theta.count
    let deviance: ([Double]) -> Double = { phi in
      let theta = Array(phi[0..<k])
      let sigma2 = phi[k] * phi[k]
      guard workspace.updateFactor(theta: theta) else { return .nan }
      var dev =
        workspace.logDeterminantZ + workspace.penalizedResidualSumOfSquares / sigma2
        + n * log(2 * Double.pi * sigma2)
      if reml { dev += workspace.logDeterminantX - p * log(2 * Double.pi * sigma2) }
      return dev
    }
    let phiHat = fit.theta + [fit.sigma]
    let h = Matrix(
      rows: k + 1, columns: k + 1,
      columnMajor: FiniteDifferences.richardsonHessian(of: deviance, at: phiHat))
    guard h.elements.allSatisfy(\.isFinite) else {
      throw InferenceError.numerical(reason: "the deviance Hessian in (θ, σ) is not finite")
    }
    let (values, _) = h.jacobiEigen()
    self.nonPositiveEigenvalues = values.filter { $0 <= 1e-8 }
    self.covariance = h.pseudoInverse(tolerance: 1e-8).scaled(by: 2)

    let pCount = model.fixedEffectCount
    let vcov: ([Double]) -> [Double] = { phi in
      let theta = Array(phi[0..<k])
      guard workspace.updateFactor(theta: theta),
        let unscaled = try? workspace.unscaledFixedEffectsCovariance()
      else { return Array(repeating: .nan, count: pCount * pCount) }
      let sigma2 = phi[k] * phi[k]
      return unscaled.elements.map { $0 * sigma2 }
    }
    let columns = FiniteDifferences.richardsonJacobian(of: vcov, at: phiHat)
    self.jacobian = columns.map { Matrix(rows: pCount, columns: pCount, columnMajor: $0) }
    guard jacobian.allSatisfy({ $0.elements.allSatisfy(\.isFinite) }) else {
      throw InferenceError.numerical(reason: "the Jacobian of vcov(β̂) is not finite")
    }
  }

  /// Satterthwaite's df of the contrast `l` under `vcov`.
  func degreesOfFreedom(_ l: [Double], vcov: Matrix) -> Double {
    let variance = vcov.quadraticForm(l, l)
    let g = jacobian.map { $0.quadraticForm(l, l) }
    let denominator = covariance.quadraticForm(g, g)
    return 2 * variance * variance / denominator
  }
}

/// lmerTest's combination of per-direction Satterthwaite df into one F denominator df:
/// with E = Σ ν_m/(ν_m − 2), ν = 2E/(E − q); 2 when some ν_m ≤ 2; the common value when all
/// agree to 1e-8.
func combinedFDegreesOfFreedom(_ nu: [Double]) -> Double {
  guard let first = nu.first else { return .nan }
  if nu.count == 1 { return first }
  if zip(nu, nu.dropFirst()).allSatisfy({ abs($0 - $1) < 1e-8 }) {
    return nu.reduce(0, +) / Double(nu.count)
  }
  if nu.contains(where: { $0 <= 2 }) { return 2 }
  let e = nu.reduce(0) { $0 + $1 / ($1 - 2) }
  return 2 * e / (e - Double(nu.count))
}
