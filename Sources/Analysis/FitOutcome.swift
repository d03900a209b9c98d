import Formulas
import MixedModels

/// A fitted model of any family together with the data accounting and timings of the run
/// that made it.
public struct FitOutcome: Sendable {
  /// What was asked.
  public let request: FitRequest
  /// The fit (a `LinearMixedModelFit` or an `MMRMFit`), carrying the model it used.
  public let fit: any FittedModel
  /// The model frame the fit used (the variables, factor levels and rows of the data).
  public let frame: ModelFrame
  /// Data rows read from the file.
  public let rowsRead: Int
  /// Rows left out by the request's row filter (`FitRequest.filter`); 0 without one.
  public let rowsExcluded: Int
  /// Rows used by the model.
  public let rowsUsed: Int
  /// Rows dropped for missing values in a model variable (among the rows the filter selected).
  public let rowsDropped: Int
  /// Missing values per model variable among the rows selected (all rows read, without a filter).
  public let droppedByColumn: [String: Int]
  /// Fixed-effect columns dropped as linearly dependent (lme4 names).
  public let droppedFixedEffects: [String]
  /// Every warning: data accounting first, then the fit's.
  public let warnings: [FitWarning]
  /// Seconds spent reading and typing the CSV.
  public let readSeconds: Double
  /// Seconds spent building the model frame and fitting.
  public let fitSeconds: Double
  /// Tests, means and contrasts, when the request asked for them.
  public internal(set) var inference: InferenceResults?
  /// Seconds spent on `inference` (0 when none was asked for).
  public internal(set) var inferenceSeconds: Double = 0

  /// Number of levels per grouping factor (`ngroups`), as the fit reports them.
  public var groupCounts: [(name: String, count: Int)] { fit.groupCounts }
}
