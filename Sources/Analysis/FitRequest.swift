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

  /// Creates a request.
  /// - Parameters:
  ///   - dataPath: CSV path.
  ///   - formula: Formula text.
  ///   - method: Estimation method.
  ///   - references: Reference levels.
  ///   - factors: Forced-categorical columns.
  public init(
    dataPath: String, formula: String, method: EstimationMethod = .reml,
    references: [String: String] = [:], factors: [String] = []
  ) {
    self.dataPath = dataPath
    self.formula = formula
    self.method = method
    self.references = references
    self.factors = factors
  }
}
