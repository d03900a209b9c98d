import DataTable

/// A residual covariance term evaluated on the rows used: each row's subject, visit (time
/// level) and, for group-specific covariance, group.
///
/// The visit order is the sorted order of the time variable's values: numerically for a
/// numeric column (so visits 1, 2, …, 10 are in that order, not as text), by the column's level
/// order for a categorical one. Discrete structures treat the time as a factor over these
/// levels; `sp_exp` uses the numeric values in `timeCoordinates` as positions.
///
/// Created by `ModelFrame`. Invariants: every index array has one entry per row used; no two
/// rows share a subject and a time level; `timeCoordinates.count == timeLevels.count`.
public struct CovarianceFrame: Sendable, Equatable {
  /// The term this was built from.
  public let specification: CovarianceTermSpecification
  /// The visit labels in visit order.
  public let timeLevels: [String]
  /// The numeric value of each visit (its position 0, 1, … for a categorical time).
  public let timeCoordinates: [Double]
  /// The visit (index into `timeLevels`) of each row used.
  public let timeIndex: [Int32]
  /// The subject labels, in sorted order.
  public let subjectLevels: [String]
  /// The subject (index into `subjectLevels`) of each row used.
  public let subjectIndex: [Int32]
  /// The group labels for group-specific covariance; empty without a group.
  public let groupLevels: [String]
  /// The group (index into `groupLevels`) of each row used; empty without a group.
  public let groupIndex: [Int32]
}

extension ModelData {
  /// The covariance term of `formula` on the rows used, after checking that each subject has
  /// at most one row per visit.
  /// - Throws: `FormulaError.covarianceTimeNotUsable` (a categorical time for `sp_exp`, the
  ///   response as time) or `.duplicateVisit` naming the file lines.
  static func covarianceFrame(
    _ term: CovarianceTermSpecification, formula: Formula, table: Table, rowsUsed: [Int],
    options: ModelFrameOptions
  ) throws -> CovarianceFrame {
    func column(_ name: String) throws -> Column {
      guard let column = table.columns.first(where: { $0.name == name }) else {
        throw FormulaError.unknownVariable(
          name: name, source: table.source,
          suggestion: nearestName(to: name, among: table.columnNames))
      }
      return column
    }
    func factor(_ column: Column) -> (codes: [Int32], levels: [String]) {
      column.kind == .categorical
        ? (column.codes, column.levels) : categoricalView(ofNumeric: column)
    }
    if term.timeVariable == formula.responseName {
      throw FormulaError.covarianceTimeNotUsable(
        name: term.timeVariable, reason: "it is the response")
    }
    let timeColumn = try column(term.timeVariable)
    let numericTime = timeColumn.kind == .numeric && !options.factors.contains(term.timeVariable)
    if term.structure.isSpatial && !numericTime {
      throw FormulaError.covarianceTimeNotUsable(
        name: term.timeVariable,
        reason: "sp_exp needs a numeric time (distances between time points), and '"
          + term.timeVariable + "' is categorical")
    }
    let timeSource = factor(timeColumn)
    let time = Self.factorValues(
      codes: timeSource.codes, levels: timeSource.levels, rows: rowsUsed, reference: nil)
    var coordinates = time.levels.indices.map(Double.init)
    if numericTime {
      // The first value of each level, in level order (levels are distinct numbers).
      var seen = [Double?](repeating: nil, count: time.levels.count)
      for (k, row) in rowsUsed.enumerated() where seen[Int(time.codes[k])] == nil {
        seen[Int(time.codes[k])] = timeColumn.numbers[row]
      }
      coordinates = seen.enumerated().map { $0.element ?? Double($0.offset) }
    }
    let subjectSource = factor(try column(term.subjectVariable))
    let subject = Self.factorValues(
      codes: subjectSource.codes, levels: subjectSource.levels, rows: rowsUsed, reference: nil)
    var group: FactorValues?
    if let name = term.groupVariable {
      let source = factor(try column(name))
      group = Self.factorValues(
        codes: source.codes, levels: source.levels, rows: rowsUsed, reference: nil)
    }

    // One row per subject and visit.
    let visits = time.levels.count
    var firstRow = [Int: Int]()
    for k in rowsUsed.indices {
      let key = Int(subject.codes[k]) * visits + Int(time.codes[k])
      if let earlier = firstRow[key] {
        throw FormulaError.duplicateVisit(
          at: table.location(row: rowsUsed[k]), subject: subject.levels[Int(subject.codes[k])],
          time: time.levels[Int(time.codes[k])],
          firstLine: table.location(row: rowsUsed[earlier]).line)
      }
      firstRow[key] = k
    }
    return CovarianceFrame(
      specification: term, timeLevels: time.levels, timeCoordinates: coordinates,
      timeIndex: time.codes, subjectLevels: subject.levels, subjectIndex: subject.codes,
      groupLevels: group?.levels ?? [], groupIndex: group?.codes ?? [])
  }
}
