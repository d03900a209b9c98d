import Formulas

extension LinearMixedModel {
  /// The model of a model frame: its response (with the frame's prior weights and offset),
  /// fixed-effects matrix (rank-deficient columns already dropped) and random-effects terms in
  /// lme4's order.
  /// - Parameter frame: A model frame with at least one random-effects term.
  public init(frame: ModelFrame) {
    self.init(
      response: ModelResponse(
        values: frame.response, weights: frame.weights, offset: frame.offset),
      X: frame.X, fixedEffectNames: frame.fixedEffectNames,
      terms: frame.randomTerms.map {
        RandomEffectsTerm(
          groupName: $0.groupName, factorName: $0.factorName, columnNames: $0.columnNames,
          levels: $0.levels, levelIndex: $0.levelIndex, values: $0.values)
      })
  }
}
