import LinearAlgebra
import Optimization

/// The immutable result of fitting an `MMRMModel`: β̂ by generalised least squares at the
/// estimated residual covariance, its covariance, the covariance parameters and the fitted
/// Σ over the visits, the likelihood, and the warnings a reader must see.
///
/// Created by `MMRMModel.fit(method:optimizer:)`.
public struct MMRMFit: Sendable {
  /// REML or ML.
  public let method: EstimationMethod
  /// Number of observations used.
  public let observationCount: Int
  /// Number of subjects.
  public let subjectCount: Int
  /// The factor of the cluster-level random effects (such as `site`), or nil without them.
  public let clusterFactor: String?
  /// Number of clusters (levels of `clusterFactor`); 0 without cluster-level random effects.
  public let clusterCount: Int
  /// The covariance structure (visits, groups).
  public let covariance: ResidualCovariance
  /// Unconstrained covariance parameters φ̂ at the optimum.
  public let phi: [Double]
  /// Names of φ (`ResidualCovariance.parameterNames`).
  public let phiNames: [String]
  /// Random-effects parameters θ (lower triangles of Λ, G = ΛΛᵀ, on the data's scale); empty
  /// without random effects.
  public let theta: [Double]
  /// Names of θ (`subject.(Intercept)`, `subject.week.(Intercept)`, …).
  public let thetaNames: [String]
  /// SDs and correlations of the random effects per term (G = ΛΛᵀ); empty without them.
  public let randomEffects: [VarianceComponent]
  /// Covariance parameters on the natural scale (SDs, correlations), named by
  /// `naturalParameterNames`.
  public let parameters: [(name: String, estimate: Double)]
  /// Fitted Σ over all visits, one per group (one without groups).
  public let sigmaMatrices: [Matrix]
  /// Fixed-effect names, as lme4 prints them.
  public let fixedEffectNames: [String]
  /// β̂ = (Σ X_iᵀΣ_i⁻¹X_i)⁻¹ Σ X_iᵀΣ_i⁻¹y_i.
  public let fixedEffects: [Double]
  /// Model-based standard errors of β̂.
  public let standardErrors: [Double]
  /// `(Σ X_iᵀΣ_i⁻¹X_i)⁻¹` at φ̂.
  public let fixedEffectsCovariance: Matrix
  /// The optimised criterion −2ℓ (REML or ML), with the 2π constant as nlme includes it.
  public let objective: Double
  /// The (restricted) log-likelihood, `−objective / 2`.
  public let logLikelihood: Double
  /// Number of parameters counted in AIC/BIC: p + length(θ) + length(φ) (nlme's convention).
  public let parameterCount: Int
  /// `−2ℓ + 2k`.
  public let aic: Double
  /// `−2ℓ + k log(n − p)` for REML, `−2ℓ + k log n` for ML (nlme's `gls` convention).
  public let bic: Double
  /// Whether the optimiser converged and the gradient and Hessian checks passed.
  public let converged: Bool
  /// Statistical concerns, in the order found.
  public internal(set) var warnings: [FitWarning]
  /// The optimiser's report.
  public let optimization: OptimizationSummary
  /// Finite-difference gradient of the objective at φ̂.
  public let gradient: [Double]
  /// Finite-difference Hessian of the objective at φ̂, row-major.
  public let hessian: [Double]
  /// The model fitted: the one whose `fit` made this (after a covariance fallback, the model
  /// with the structure that was kept).
  public let model: MMRMModel
  /// The fits the covariance fallback ladder tried, in order (`fitWithFallback`); one, this
  /// fit's, without it.
  public internal(set) var attempts: [CovarianceAttempt]
}
