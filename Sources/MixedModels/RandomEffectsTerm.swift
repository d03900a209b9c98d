/// One random-effects term `(lhs | group)` as the fitting code needs it: which level each
/// observation belongs to, and the q values of that observation's row of the term's model
/// matrix.
///
/// Built by the formula layer (`Formulas.ModelFrame`) or directly (tests, simulators).
/// Invariants: `levelIndex.count == values.count / q`; every index is in `0..<levels.count`.
public struct RandomEffectsTerm: Sendable {
  /// Name of the term's group as lme4's `VarCorr` prints it ("Subject", "Subject.1", "cask:batch").
  public let groupName: String
  /// Name of the grouping factor, as lme4's `ranef` keys it ("Subject", "cask:batch").
  public let factorName: String
  /// Names of the q random-effect columns ("(Intercept)", "Days").
  public let columnNames: [String]
  /// Level labels of the grouping factor (only levels that occur).
  public let levels: [String]
  /// Level of each observation.
  public let levelIndex: [Int32]
  /// Row-major n × q values: observation i's values at `i*q ..< (i+1)*q`.
  public let values: [Double]

  /// Creates a term.
  /// - Parameters:
  ///   - groupName: VarCorr group label.
  ///   - factorName: ranef key.
  ///   - columnNames: The q column names.
  ///   - levels: Level labels.
  ///   - levelIndex: Level per observation.
  ///   - values: Row-major n × q values.
  public init(
    groupName: String, factorName: String, columnNames: [String], levels: [String],
    levelIndex: [Int32], values: [Double]
  ) {
    precondition(!columnNames.isEmpty, "A random-effects term needs at least one column")
    precondition(values.count == levelIndex.count * columnNames.count, "values must be n × q")
    precondition(
      levelIndex.allSatisfy { $0 >= 0 && Int($0) < levels.count }, "level index out of range")
    self.groupName = groupName
    self.factorName = factorName
    self.columnNames = columnNames
    self.levels = levels
    self.levelIndex = levelIndex
    self.values = values
  }

  /// Number of random effects per level.
  public var q: Int { columnNames.count }
  /// Number of levels.
  public var levelCount: Int { levels.count }
  /// Number of random effects of this term: `q · levels`.
  public var dimension: Int { q * levels.count }
  /// Number of covariance parameters: the lower triangle of a q×q template.
  public var thetaCount: Int { q * (q + 1) / 2 }

  /// The same term with row i of its values multiplied by `scale[i]` (prior weights' √w).
  func scalingRows(by scale: [Double]) -> RandomEffectsTerm {
    precondition(scale.count == levelIndex.count, "one scale per observation")
    var scaled = values
    for i in scale.indices {
      for c in 0..<q { scaled[i * q + c] *= scale[i] }
    }
    return RandomEffectsTerm(
      groupName: groupName, factorName: factorName, columnNames: columnNames, levels: levels,
      levelIndex: levelIndex, values: scaled)
  }
}
