import MixedModels

/// What to fit: a data file, an lme4 formula and the options of `traj fit`.
public struct FitRequest: Sendable, Equatable {
  /// Path of the CSV file.
  public var dataPath: String
  /// The lme4 formula text, such as `pain ~ week * arm + (1 + week | subject)`.
  public var formula: String
  /// REML (default) or ML.
  public var method: EstimationMethod
  /// Reference levels by variable (`arm` → `placebo`).
  public var references: [String: String]
  /// Columns to treat as categorical even if numeric-looking.
  public var factors: [String]
  /// Whether to add the trial's derived covariates and therapy indicators before fitting.
  ///
  /// See `DerivedCovariates`; the table must then follow `TrialSchema`. They are added without being asked
  /// when the table has every schema column.
  public var derive: Bool
  /// Tests, means and contrasts to compute after the fit (nil: none, the default output).
  public var inference: InferenceRequest?

  /// Creates a request.
  /// - Parameters:
  ///   - dataPath: CSV path.
  ///   - formula: Formula text.
  ///   - method: Estimation method.
  ///   - references: Reference levels.
  ///   - factors: Forced-categorical columns.
  ///   - derive: Add the derived trial covariates (see `derive`).
  public init(
    dataPath: String, formula: String, method: EstimationMethod = .reml,
    references: [String: String] = [:], factors: [String] = [], derive: Bool = false
  ) {
    self.dataPath = dataPath
    self.formula = formula
    self.method = method
    self.references = references
    self.factors = factors
    self.derive = derive
  }
}
