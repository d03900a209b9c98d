import Foundation

/// A statistical concern about a fit.
///
/// Stored in the result and rendered by reports and the JSON `warnings` array. Never a thrown
/// error: the estimates exist, but need care.
public enum FitWarning: Sendable, Equatable, Hashable, Codable {
  /// Some covariance parameter is on its boundary (a variance of zero, or a correlation of ±1).
  case singular(terms: [String])
  /// The scaled gradient at the optimum exceeds the tolerance; `maximum` is NaN (component 0)
  /// when it could not be scaled (the Hessian is not positive definite).
  case gradient(maximum: Double, tolerance: Double, component: Int)
  /// The Hessian at the optimum has negative eigenvalues; `remedy` names what to simplify.
  case negativeHessian(count: Int, remedy: Remedy = .randomEffects)
  /// The Hessian has an eigenvalue near zero, or is not positive definite; `remedy` names what
  /// to simplify.
  case singularHessian(remedy: Remedy = .randomEffects)
  /// The Hessian's largest eigenvalue exceeds 1e6 (lme4's "very large eigenvalue").
  case veryLargeEigenvalue(largest: Double)
  /// The Hessian's smallest/largest eigenvalue ratio is below 1e-6.
  case largeEigenvalueRatio(ratio: Double)
  /// The optimiser stopped for a reason other than convergence.
  case optimizerStopped(message: String)
  /// Columns of the fixed-effects model matrix were dropped as linearly dependent.
  case rankDeficient(dropped: [String])
  /// The continuous fixed-effect predictors are on very different scales (lme4's
  /// `checkScaleX`: standard deviations a factor of 1,000 apart, or from 1).
  case predictorScales
  /// Rows were dropped because a variable of the model was missing.
  case rowsDropped(count: Int, byColumn: [String: Int])
  /// The requested residual covariance structure did not converge and a simpler one of the
  /// fallback ladder was fitted instead.
  case covarianceFallback(requested: String, used: String)
  /// Something about the data the reader should know (a numeric grouping variable made
  /// categorical, a predictor typed as categorical because of a non-numeric cell, …).
  case dataNote(message: String)

  /// lme4's wording where lme4 has one, followed by what it means and what to try.
  public var message: String {
    switch self {
    case .singular(let terms):
      "boundary (singular) fit: see help('isSingular'). The estimated random-effects covariance "
        + "of \(terms.joined(separator: ", ")) is singular: some variance is estimated as zero or "
        + "a correlation as ±1. The data do not support this random-effects structure; consider "
        + "a simpler one (drop the term or the correlation), and read likelihood-ratio tests on "
        + "these terms as conservative."
    case .gradient(let maximum, _, _) where !maximum.isFinite:
      "unable to evaluate scaled gradient: the criterion's Hessian at the optimum is not "
        + "positive definite, so the gradient cannot be scaled by it (lme4's message). The "
        + "optimum may not have been reached, or the model is not identifiable; simplify it."
    case .gradient(let maximum, let tolerance, let component):
      "Model failed to converge with max|grad| = \(formatShort(maximum)) (tol = "
        + "\(formatShort(tolerance)), component \(component)). The optimum may not have been "
        + "reached; check that estimates are stable under another optimizer or rescaled predictors."
    case .negativeHessian(let count, let remedy):
      "Model failed to converge: degenerate Hessian with \(count) negative eigenvalue"
        + (count == 1 ? "" : "s")
        + ". The fit stopped at a saddle point or on a ridge; \(remedy.advice)"
    case .singularHessian(let remedy):
      "Hessian is numerically singular: parameters are not uniquely determined. The data "
        + "cannot separate some variance parameters; \(remedy.advice)"
    case .veryLargeEigenvalue(let largest):
      "Model is nearly unidentifiable: very large eigenvalue - Rescale variables? (largest "
        + "eigenvalue of the criterion's Hessian: \(formatShort(largest))). lme4 applies the "
        + "same fixed threshold (1e6), which does not scale with the number of observations: "
        + "with large data it is often a false alarm. Centring and scaling continuous "
        + "predictors removes it when it is not."
    case .largeEigenvalueRatio(let ratio):
      "Model is nearly unidentifiable: large eigenvalue ratio - Rescale variables? "
        + "(smallest/largest eigenvalue of the criterion's Hessian: \(formatShort(ratio))). "
        + "Centre and scale continuous predictors and refit."
    case .optimizerStopped(let message):
      "The optimizer stopped before converging (\(message)); the estimates may not be optimal."
    case .rankDeficient(let dropped):
      "fixed-effect model matrix is rank deficient so dropping \(dropped.count) "
        + (dropped.count == 1 ? "column / coefficient" : "columns / coefficients")
        + " (\(dropped.joined(separator: ", "))): they are linear combinations of other columns "
        + "and cannot be estimated separately."
    case .predictorScales:
      "Some predictor variables are on very different scales: consider rescaling. Their "
        + "standard deviations differ by more than a factor of 1,000 (or from 1 by as much), "
        + "which makes the optimisation less accurate; centre and scale them and refit."
    case .rowsDropped(let count, let byColumn):
      "\(count) row\(count == 1 ? "" : "s") dropped for missing values ("
        + byColumn.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(
          separator: ", ") + ")."
    case .covarianceFallback(let requested, let used):
      "The \(requested) covariance structure did not converge; the fallback ladder "
        + "(us → toeph → ar1h → cs) fitted \(used) instead. Inference uses \(used); see the "
        + "recorded attempts."
    case .dataNote(let message): message
    }
  }

  /// A short machine-readable code (`singular`, `convergence_gradient`, …).
  public var code: String {
    switch self {
    case .singular: "singular"
    case .gradient: "convergence_gradient"
    case .negativeHessian: "convergence_hessian"
    case .singularHessian: "singular_hessian"
    case .veryLargeEigenvalue: "very_large_eigenvalue"
    case .largeEigenvalueRatio: "large_eigenvalue_ratio"
    case .optimizerStopped: "optimizer_stopped"
    case .rankDeficient: "rank_deficient"
    case .predictorScales: "predictor_scales"
    case .rowsDropped: "rows_dropped"
    case .covarianceFallback: "covariance_fallback"
    case .dataNote: "data_note"
    }
  }
}

extension FitWarning {
  /// What the advice of a convergence concern asks to simplify, by model family: the random
  /// effects of a linear mixed model (lme4's words, kept byte for byte), the residual
  /// covariance structure of an MMRM.
  public enum Remedy: String, Sendable, Equatable, Hashable, Codable {
    /// A linear mixed model: "simplify the random effects" (lme4).
    case randomEffects
    /// An MMRM: the residual covariance structure, and the fallback ladder.
    case covarianceStructure
    /// An MMRM with random effects: the covariance structure or the random effects.
    case covarianceStructureOrRandomEffects

    /// The advice, a clause ending the warning's sentence.
    public var advice: String {
      let ladder =
        "simplify the covariance structure (a structured one such as toeph, ar1h or cs), or let "
        + "--covariance-fallback (covariance_fallback: in a spec) try the ladder "
        + "us → toeph → ar1h → cs."
      switch self {
      case .randomEffects: return "simplify the random effects."
      case .covarianceStructure: return ladder
      case .covarianceStructureOrRandomEffects:
        return "simplify the random effects, or " + ladder
      }
    }
  }

  /// Whether this concern is a failure of convergence.
  ///
  /// A fit with one has `converged` false. lme4's eigenvalue-size warnings ("nearly
  /// unidentifiable") speak of identifiability and scaling, not of convergence, and are
  /// reported without changing it.
  public var failsConvergence: Bool {
    switch self {
    case .gradient, .negativeHessian, .singularHessian, .optimizerStopped: true
    case .veryLargeEigenvalue, .largeEigenvalueRatio, .singular, .rankDeficient, .predictorScales,
      .rowsDropped, .covarianceFallback, .dataNote:
      false
    }
  }
}

/// `%g` formatting, as R's `gettextf("%g")` prints numbers in lme4's messages.
func formatShort(_ x: Double) -> String { String(format: "%g", x) }
