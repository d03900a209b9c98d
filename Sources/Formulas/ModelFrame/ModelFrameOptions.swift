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
  /// The column of prior weights (lme4's `weights =`), or nil for none.
  ///
  /// Observation i has residual variance σ²/wᵢ; each weight must be a positive finite number.
  public var weights: String?
  /// The column of an offset (lme4's `offset =`): a known term added to the linear predictor
  /// with coefficient 1; nil for none.
  public var offset: String?

  /// Creates options.
  /// - Parameters:
  ///   - references: Reference level per variable name.
  ///   - factors: Numeric variables to treat as categorical.
  ///   - requiresRandomEffects: Whether to reject formulas without `( | )` terms.
  ///   - weights: Column of prior weights, or nil.
  ///   - offset: Column of an offset, or nil.
  public init(
    references: [String: String] = [:], factors: Set<String> = [],
    requiresRandomEffects: Bool = true, weights: String? = nil, offset: String? = nil
  ) {
    self.references = references
    self.factors = factors
    self.requiresRandomEffects = requiresRandomEffects
    self.weights = weights
    self.offset = offset
  }
}
