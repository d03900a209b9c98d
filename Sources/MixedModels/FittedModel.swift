import LinearAlgebra
import Optimization

/// What every fitted model family answers, so that inference, the fit JSON, summaries,
/// reports and model comparisons talk to one interface and dispatch on the family once.
///
/// The estimates are the fixed effects and their covariance; the criterion is −2ℓ (REML or
/// ML) with the log-likelihood, AIC and BIC derived from it; the fit carries the model it
/// actually used (after a covariance fallback, the model with the structure that was kept),
/// which is what inference needs.
///
/// Conforming: `LinearMixedModelFit` (lme4's `lmer`), `MMRMFit` (nlme's `gls`/`lme` with a
/// residual covariance, mmrm).
public protocol FittedModel: Sendable {
  /// The model family.
  var family: ModelFamily { get }
  /// REML or ML.
  var method: EstimationMethod { get }
  /// Number of observations used.
  var observationCount: Int { get }
  /// Fixed-effect names, as lme4 prints them.
  var fixedEffectNames: [String] { get }
  /// β̂.
  var fixedEffects: [Double] { get }
  /// Model-based standard errors of β̂.
  var standardErrors: [Double] { get }
  /// The model-based covariance of β̂.
  var fixedEffectsCovariance: Matrix { get }
  /// The optimised criterion −2ℓ: the REML criterion (REML) or the deviance (ML).
  var objective: Double { get }
  /// The (restricted) log-likelihood, `−objective / 2`.
  var logLikelihood: Double { get }
  /// Parameters counted in AIC and BIC.
  var parameterCount: Int { get }
  /// `−2ℓ + 2k`.
  var aic: Double { get }
  /// Schwarz's criterion (the family's convention for the sample size).
  var bic: Double { get }
  /// Number of random-effect (G) covariance parameters: those a likelihood-ratio test can
  /// put on the boundary of their space (a variance at zero).
  var randomEffectParameterCount: Int { get }
  /// Levels per grouping factor, as `ngroups` reports them (in the model's order, each
  /// factor once).
  var groupCounts: [(name: String, count: Int)] { get }
  /// Fitted values, one per observation used (conditional `Xβ̂ + Zb̂` for an LMM, marginal
  /// `Xβ̂` for an MMRM).
  var fittedValues: [Double] { get }
  /// `y − fittedValues`.
  var residuals: [Double] { get }
  /// Whether the optimiser converged and the derivative checks passed.
  var converged: Bool { get }
  /// Statistical concerns, in the order found.
  var warnings: [FitWarning] { get }
  /// The optimiser's report.
  var optimization: OptimizationSummary { get }
  /// Finite-difference gradient of the criterion at the optimum.
  var gradient: [Double] { get }
}

/// The model families `FittedModel` has.
public enum ModelFamily: String, Sendable, Equatable, CaseIterable {
  /// Linear mixed model with random effects (lme4's `lmer`).
  case linearMixed = "LMM"
  /// Mixed model for repeated measures: a residual covariance over the visits, optionally
  /// with random effects.
  case repeatedMeasures = "MMRM"
}

extension LinearMixedModelFit: FittedModel {
  /// `.linearMixed`.
  public var family: ModelFamily { .linearMixed }
  /// `length(θ)`.
  public var randomEffectParameterCount: Int { theta.count }
  /// One entry per grouping factor, in term order (lme4's `ngrps`).
  public var groupCounts: [(name: String, count: Int)] {
    var groups = [(name: String, count: Int)]()
    for term in terms where !groups.contains(where: { $0.name == term.factorName }) {
      groups.append((term.factorName, term.levels.count))
    }
    return groups
  }
  /// `Xβ̂ + Zb̂`.
  public var fittedValues: [Double] { fitted }
}

extension MMRMFit: FittedModel {
  /// `.repeatedMeasures`.
  public var family: ModelFamily { .repeatedMeasures }
  /// `length(θ)`, the random-effects parameters (the residual covariance's φ are not on a
  /// boundary).
  public var randomEffectParameterCount: Int { theta.count }
  /// The subjects, then the cluster factor of random effects above the subject (such as a
  /// site).
  public var groupCounts: [(name: String, count: Int)] {
    [(model.covarianceTerm.subjectVariable, subjectCount)]
      + (clusterFactor.map { [($0, clusterCount)] } ?? [])
  }
  /// `Xβ̂` (marginal).
  public var fittedValues: [Double] { model.marginalFitted(beta: fixedEffects) }
  /// `y − Xβ̂`.
  public var residuals: [Double] {
    zip(model.response, fittedValues).map { $0 - $1 }
  }
}
