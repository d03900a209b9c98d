/// How many rows lack a value in some chosen columns: what a model fit on those columns drops.
///
/// Created by `Table.missingSummary(in:)`; rendered by reports as "n rows dropped (x missing in
/// 'pain', y in 'week')".
public struct MissingSummary: Sendable, Equatable {
  /// Rows in the table.
  public let rowCount: Int
  /// Rows with a missing value in at least one of the columns (they would be dropped).
  public let rowsWithMissing: Int
  /// Missing cells per column name.
  public let perColumn: [String: Int]

  /// Creates a summary.
  /// - Parameters:
  ///   - rowCount: Rows in the table.
  ///   - rowsWithMissing: Rows with at least one missing value in the columns.
  ///   - perColumn: Missing cells per column.
  public init(rowCount: Int, rowsWithMissing: Int, perColumn: [String: Int]) {
    self.rowCount = rowCount
    self.rowsWithMissing = rowsWithMissing
    self.perColumn = perColumn
  }

  /// Rows with a value in every column (they would be used).
  public var completeRows: Int { rowCount - rowsWithMissing }
}

// MARK: - Missing values

extension Table {
  /// Counts missing values in the named columns, per column and per row.
  /// - Parameter names: Column names (duplicates are counted once).
  /// - Returns: The summary.
  /// - Throws: `DataError.unknownColumn` with a suggestion for a name that is not a column.
  /// - Complexity: O(rows · names).
  public func missingSummary(in names: [String]) throws -> MissingSummary {
    let complete = try completeCases(in: names)
    var perColumn: [String: Int] = [:]
    for name in names where perColumn[name] == nil {
      let column = try column(named: name)
      perColumn[name] = (0..<rowCount).reduce(0) { $0 + (column.isMissing($1) ? 1 : 0) }
    }
    let incomplete = complete.reduce(0) { $0 + ($1 ? 0 : 1) }
    return MissingSummary(rowCount: rowCount, rowsWithMissing: incomplete, perColumn: perColumn)
  }

  /// Which rows have a value in every named column (R's `complete.cases`).
  /// - Parameter names: Column names.
  /// - Returns: One flag per row, `true` when no named column is missing there.
  /// - Throws: `DataError.unknownColumn` with a suggestion for a name that is not a column.
  /// - Complexity: O(rows · names).
  public func completeCases(in names: [String]) throws -> [Bool] {
    var complete = [Bool](repeating: true, count: rowCount)
    for name in names {
      let column = try column(named: name)
      for row in 0..<rowCount where column.isMissing(row) { complete[row] = false }
    }
    return complete
  }
}
