import LinearAlgebra
import Optimization

/// The immutable result of fitting a `LinearMixedModel`: estimates, what inference needs, and
/// the warnings (singular fit, convergence) a reader must see.
///
/// Created by `LinearMixedModel.fit(method:optimizer:)`. Names follow the Swift API guidelines;
/// lme4's spellings (`fixef`, `REMLcrit`) appear only in the JSON and printed output.
public struct LinearMixedModelFit: Sendable {
  /// REML or ML.
  public let method: EstimationMethod
  /// Number of observations used.
  public let observationCount: Int
  /// Covariance parameters θ at the optimum (lme4's `getME(fit, "theta")`).
  public let theta: [Double]
  /// lme4's names for θ.
  public let thetaNames: [String]
  /// Lower bounds of θ (0 on template diagonals).
  public let thetaLowerBounds: [Double]
  /// Fixed-effect names, as lme4 prints them.
  public let fixedEffectNames: [String]
  /// β̂.
  public let fixedEffects: [Double]
  /// Standard errors of β̂ (model-based: `σ̂² (XᵀV⁻¹X)⁻¹` through the factor).
  public let standardErrors: [Double]
  /// Covariance matrix of β̂ (lme4's `vcov`).
  public let fixedEffectsCovariance: Matrix
  /// σ̂, the residual standard deviation.
  public let sigma: Double
  /// The optimised criterion, −2ℓ: the REML criterion (REML) or the deviance (ML).
  public let objective: Double
  /// The (restricted) log-likelihood, `−objective / 2`.
  public let logLikelihood: Double
  /// Number of parameters: p + length(θ) + 1.
  public let parameterCount: Int
  /// Akaike's information criterion, `−2ℓ + 2k`.
  public let aic: Double
  /// Schwarz's Bayesian information criterion, `−2ℓ + k log n`.
  public let bic: Double
  /// Random-effects terms (names, levels) in fitting order.
  public let terms: [TermSummary]
  /// Variance components per term.
  public let varianceComponents: [VarianceComponent]
  /// Conditional modes (BLUPs) per term, level-major (`b[level*q + column]`).
  public let randomEffects: [[Double]]
  /// Conditional standard deviations of the random effects, same layout as `randomEffects`.
  public let randomEffectsConditionalSD: [[Double]]
  /// The response y on the observations used (shared with the model, not a copy).
  public let response: [Double]
  /// Fitted values `Xβ̂ + Zb̂`, one per observation used.
  public internal(set) var fitted: [Double]
  /// Residuals `y − fitted`, computed on each access (they are not stored, which saves one
  /// array of n doubles while a fit is held).
  public var residuals: [Double] { zip(response, fitted).map { $0 - $1 } }
  /// Pearson residuals `√wᵢ (yᵢ − fittedᵢ)` (the residuals themselves without prior weights;
  /// lme4's `residuals(type = "pearson")`).
  public var pearsonResiduals: [Double] {
    guard let weights = model.responseModel.weights else { return residuals }
    return zip(residuals, weights).map { $0 * $1.squareRoot() }
  }
  /// Whether the optimiser converged and lme4's gradient and Hessian-definiteness checks
  /// passed (its eigenvalue-size warnings are reported but do not make this false).
  public let converged: Bool
  /// Whether some θ of a template diagonal is below 1e-4 (lme4's `isSingular`).
  public let isSingular: Bool
  /// Statistical concerns, in the order found.
  public let warnings: [FitWarning]
  /// The optimiser's report.
  public let optimization: OptimizationSummary
  /// Finite-difference gradient of the objective at θ̂ (lme4's `deriv12`, δ = 1e-4).
  public let gradient: [Double]
  /// Finite-difference Hessian of the objective at θ̂, row-major length(θ)².
  public let hessian: [Double]
  /// The model fitted.
  public let model: LinearMixedModel
}

/// Names and levels of one fitted random-effects term.
public struct TermSummary: Sendable, Equatable {
  /// Group label as VarCorr prints it.
  public let groupName: String
  /// Grouping factor name as ranef keys it.
  public let factorName: String
  /// Random-effect column names.
  public let columnNames: [String]
  /// Level labels.
  public let levels: [String]
}

/// Standard deviations and correlations of one term's random effects: `σ² T Tᵀ`.
public struct VarianceComponent: Sendable, Equatable {
  /// Group label as VarCorr prints it.
  public let groupName: String
  /// Column names.
  public let columnNames: [String]
  /// Standard deviations, one per column.
  public let standardDeviations: [Double]
  /// Correlations, row-major q×q (1 on the diagonal).
  public let correlations: [Double]

  /// The standard deviations and correlations of a term's covariance matrix; a correlation
  /// with a zero standard deviation is NaN (as VarCorr prints it).
  /// - Parameters:
  ///   - groupName: Group label.
  ///   - columnNames: Column names, q of them.
  ///   - covariance: Row-major q×q covariance of the term's random effects.
  public init(groupName: String, columnNames: [String], covariance: [Double]) {
    let q = columnNames.count
    precondition(covariance.count == q * q, "VarianceComponent: covariance is not q×q")
    let sds = (0..<q).map { covariance[$0 * q + $0].squareRoot() }
    var corr = [Double](repeating: 0, count: q * q)
    for i in 0..<q {
      for j in 0..<q {
        corr[i * q + j] =
          i == j
          ? 1 : (sds[i] > 0 && sds[j] > 0 ? covariance[i * q + j] / (sds[i] * sds[j]) : .nan)
      }
    }
    self.groupName = groupName
    self.columnNames = columnNames
    self.standardDeviations = sds
    self.correlations = corr
  }
}
