/// Choices about how a `ModelFrame` reads the table, beyond the formula itself.
public struct ModelFrameOptions: Sendable, Equatable {
  /// Reference (baseline) level per categorical variable, replacing the default first level.
  ///
  /// The reference gets no column of its own under treatment contrasts (R's `relevel`).
  public var references: [String: String]
  /// Numeric columns to treat as categorical (R's `factor(x)`), labelled as R prints numbers.
  public var factors: Set<String>
  /// Whether a formula without a random-effects term is an error (`lmer` requires one; models
  /// with only a residual covariance structure do not).
  public var requiresRandomEffects: Bool

  /// Creates options.
  /// - Parameters:
  ///   - references: Reference level per variable name.
  ///   - factors: Numeric variables to treat as categorical.
  ///   - requiresRandomEffects: Whether to reject formulas without `( | )` terms.
  public init(
    references: [String: String] = [:], factors: Set<String> = [],
    requiresRandomEffects: Bool = true
  ) {
    self.references = references
    self.factors = factors
    self.requiresRandomEffects = requiresRandomEffects
  }
}
