/// One random-effects term evaluated on the data: the grouping factor's level for each row and
/// the row's values of the term's columns (one block of the random-effects model matrix Z).
///
/// For `(1 + week | subject)`, q = 2 and row i contributes `values[2i] = 1` and
/// `values[2i + 1] = week_i` to the random intercept and slope of subject `levelIndex[i]`:
///
///     Z_i = values[i·q ..< (i+1)·q] ⊗ e_levelIndex[i]
///
/// Created by `ModelFrame`, which also orders the terms as lme4's `mkReTrms` does.
/// Invariants: `values.count == levelIndex.count * columnNames.count`; every level index is in
/// `0..<levels.count`, and every level occurs.
public struct RandomTerm: Sendable, Equatable {
  /// The group name as lme4's `VarCorr` prints it: `Subject`, `Subject.1` for a second term on
  /// the same factor, `cask:batch` (R's `make.names` applies when factors repeat).
  public let groupName: String
  /// The grouping factor's name as lme4's `ranef()` keys it: `Subject`, `cask:batch`.
  public let factorName: String
  /// The term as lme4 deparses it: `1 + Days | Subject`.
  public let text: String
  /// Names of the q columns, such as `(Intercept)`, `Days` or `armB`.
  public let columnNames: [String]
  /// Levels of the grouping factor that occur in the rows used, in R's order; for an
  /// interaction `a:b` a level reads `<a level>:<b level>`.
  public let levels: [String]
  /// The level (index into `levels`) of each used row.
  public let levelIndex: [Int32]
  /// The term's model matrix, n × q, row-major: row i's q values are contiguous at `i * q`.
  public let values: [Double]

  /// q, the number of random effects per level.
  public var columnCount: Int { columnNames.count }
  /// The number of levels of the grouping factor.
  public var levelCount: Int { levels.count }
}
