/// Something a model frame did with the data that the reader should know.
public enum FrameNote: Sendable, Equatable, CustomStringConvertible {
  /// A numeric grouping variable was made categorical.
  case numericGrouping(variable: String)
  /// A predictor was typed as categorical because a cell is not a number.
  case nonNumericPredictor(variable: String, location: String, text: String)
  /// Linearly dependent fixed-effect columns were dropped (their names are
  /// `ModelFrame.droppedFixedEffectNames`).
  case rankDeficient(droppedCount: Int)

  /// The note in words (lme4's wording for the rank deficiency).
  public var description: String {
    switch self {
    case .numericGrouping(let variable):
      "grouping variable '\(variable)' is numeric; treated as categorical"
    case .nonNumericPredictor(let variable, let location, let text):
      "variable '\(variable)' is treated as categorical: \(location) holds \"\(text)\", which is "
        + "not a number"
    case .rankDeficient(let count):
      count == 1
        ? "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient"
        : "fixed-effect model matrix is rank deficient so dropping \(count) columns / "
          + "coefficients"
    }
  }
}
