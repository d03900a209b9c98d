import MixedModels
import Reports

/// One fitted model of a report: a linear mixed model (`FitPipeline`) or an MMRM
/// (`MMRMPipeline`, for a formula with a residual covariance term).
///
/// The report's shared parts (comparisons, provenance, `results.json`) read the accessors
/// here; the model sections read the case's own outcome.
enum ReportModelFit: Sendable {
  /// A linear mixed model.
  case lmm(FitOutcome)
  /// A mixed model for repeated measures.
  case mmrm(MMRMOutcome)

  /// REML or ML.
  var method: EstimationMethod {
    switch self {
    case .lmm(let o): o.fit.method
    case .mmrm(let o): o.fit.method
    }
  }

  /// The (restricted) log-likelihood.
  var logLikelihood: Double {
    switch self {
    case .lmm(let o): o.fit.logLikelihood
    case .mmrm(let o): o.fit.logLikelihood
    }
  }

  /// Parameters counted in AIC/BIC (fixed effects plus covariance parameters).
  var parameterCount: Int {
    switch self {
    case .lmm(let o): o.fit.parameterCount
    case .mmrm(let o): o.fit.parameterCount
    }
  }

  /// Number of random-effect (G) covariance parameters: the ones a likelihood-ratio test can
  /// put on the boundary of their space (a variance at zero).
  var randomEffectParameterCount: Int {
    switch self {
    case .lmm(let o): o.fit.theta.count
    case .mmrm(let o): o.fit.theta.count
    }
  }

  /// AIC.
  var aic: Double {
    switch self {
    case .lmm(let o): o.fit.aic
    case .mmrm(let o): o.fit.aic
    }
  }

  /// BIC.
  var bic: Double {
    switch self {
    case .lmm(let o): o.fit.bic
    case .mmrm(let o): o.fit.bic
    }
  }

  /// Observations used.
  var observationCount: Int {
    switch self {
    case .lmm(let o): o.rowsUsed
    case .mmrm(let o): o.fit.observationCount
    }
  }

  /// Fixed-effect names (lme4 spelling).
  var fixedEffectNames: [String] {
    switch self {
    case .lmm(let o): o.fit.fixedEffectNames
    case .mmrm(let o): o.fit.fixedEffectNames
    }
  }

  /// Whether the fit converged.
  var converged: Bool {
    switch self {
    case .lmm(let o): o.fit.converged
    case .mmrm(let o): o.fit.converged
    }
  }

  /// The optimised criterion (−2ℓ, REML or ML).
  var objective: Double {
    switch self {
    case .lmm(let o): o.fit.objective
    case .mmrm(let o): o.fit.objective
    }
  }

  /// The optimiser's name and number of objective evaluations.
  var optimizer: (name: String, evaluations: Int) {
    switch self {
    case .lmm(let o): (o.fit.optimization.algorithm, o.fit.optimization.evaluations)
    case .mmrm(let o): (o.fit.optimization.algorithm, o.fit.optimization.evaluations)
    }
  }

  /// Every warning, data accounting first.
  var warnings: [FitWarning] {
    switch self {
    case .lmm(let o): o.warnings
    case .mmrm(let o): o.warnings
    }
  }

  /// Whether this is an MMRM.
  var isMMRM: Bool {
    if case .mmrm = self { return true }
    return false
  }

  /// `"LMM"` or `"MMRM"`.
  var kind: String {
    switch self {
    case .lmm: "LMM"
    case .mmrm: "MMRM"
    }
  }

  /// The fit's JSON document (`traj fit --json`), without timings.
  var json: JSON {
    switch self {
    case .lmm(let o): FitJSON.document(o, includeFitted: false, includeTiming: false)
    case .mmrm(let o): MMRMJSON.document(o, includeTiming: false)
    }
  }
}
