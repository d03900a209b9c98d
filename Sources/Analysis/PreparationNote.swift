/// What the pipeline did to the data of a trial file before fitting (`FitPipeline`), for the
/// reader: derived covariates added, columns kept, the default reference arm.
public enum PreparationNote: Sendable, Equatable, CustomStringConvertible {
  /// The derived trial covariates were added: asked for (`--derive`), or because the file
  /// has every trial schema column.
  case derivedCovariates(added: [String], asked: Bool)
  /// Columns already in the data were kept instead of derived.
  case keptColumns([String])
  /// `arm`'s reference level was the trial default, not named by the user.
  case defaultReference(arm: String)

  /// The note in words.
  public var description: String {
    switch self {
    case .derivedCovariates(let added, let asked):
      (asked ? "--derive" : "trial schema recognised") + ": derived covariates added ("
        + added.joined(separator: ", ") + ")"
    case .keptColumns(let columns):
      "columns already in the data kept instead of derived: " + columns.joined(separator: ", ")
    case .defaultReference(let level): "reference level of arm: \(level) (the trial default)"
    }
  }
}
