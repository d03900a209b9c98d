import Formulas
import MixedModels

/// A fitted MMRM together with the data accounting and timings of the run that made it.
public struct MMRMOutcome: Sendable {
  /// What was asked.
  public let request: FitRequest
  /// The covariance term of the formula.
  public let covarianceTerm: CovarianceTermSpecification
  /// The fit.
  public let fit: MMRMFit
  /// The fits tried by the covariance fallback ladder, in order (one when it was not used or
  /// the requested structure converged).
  public let attempts: [CovarianceAttempt]
  /// Number of visit patterns (group × visit set) among the subjects.
  public let patternCount: Int
  /// Data rows read from the file.
  public let rowsRead: Int
  /// Rows used by the model.
  public let rowsUsed: Int
  /// Rows dropped for missing values in a model variable.
  public let rowsDropped: Int
  /// Missing values per model variable among the rows read.
  public let droppedByColumn: [String: Int]
  /// Fixed-effect columns dropped as linearly dependent (lme4 names).
  public let droppedFixedEffects: [String]
  /// Every warning: data accounting first, then the fit's.
  public let warnings: [FitWarning]
  /// Seconds spent reading and typing the CSV.
  public let readSeconds: Double
  /// Seconds spent building the model frame and fitting.
  public let fitSeconds: Double
  /// The inference asked for with the fit (`FitRequest.inference`), if any.
  public var inference: InferenceResults?
  /// Seconds spent on the inference.
  public var inferenceSeconds: Double = 0
  /// Marginal fitted values and raw and normalized residuals per row used (nil when a
  /// subject's covariance is not positive definite at the estimate).
  public var residuals: MMRMResiduals?
}
