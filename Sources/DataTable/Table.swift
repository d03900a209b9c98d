/// A rectangular data set: named, typed columns of equal length, plus where each row came from.
///
/// Created by the CSV reader (`Table.readCSV`) or directly from columns (tests, simulators).
/// Invariant: every column has `rowCount` rows and names are unique.
public struct Table: Sendable {
  /// Source name used in messages (file path as given, or a label).
  public let source: String
  /// Columns in header order.
  public let columns: [Column]
  /// Number of data rows.
  public let rowCount: Int
  /// 1-based source line on which each row starts (header is line 1 for a plain CSV).
  public let lines: [Int]

  /// Creates a table from columns.
  /// - Parameters:
  ///   - source: Source name for messages.
  ///   - columns: Columns of equal length with unique names.
  ///   - lines: Source line per row; defaults to `row + 2` (a header line, then one line a row).
  /// - Throws: `DataError.duplicateColumn` when two columns share a name.
  public init(source: String, columns: [Column], lines: [Int]? = nil) throws {
    let rowCount = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == rowCount }, "Columns differ in length")
    var seen = Set<String>()
    for column in columns where !seen.insert(column.name).inserted {
      throw DataError.duplicateColumn(name: column.name, source: source)
    }
    self.source = source
    self.columns = columns
    self.rowCount = rowCount
    self.lines = lines ?? (0..<rowCount).map { $0 + 2 }
    precondition(self.lines.count == rowCount, "One source line per row is required")
  }

  /// Column names in header order.
  public var columnNames: [String] { columns.map(\.name) }

  /// The column called `name`.
  /// - Parameter name: Header name (exact, case-sensitive).
  /// - Returns: The column.
  /// - Throws: `DataError.unknownColumn` with the nearest existing name as a suggestion.
  public func column(named name: String) throws -> Column {
    if let column = columns.first(where: { $0.name == name }) { return column }
    throw DataError.unknownColumn(
      name: name, source: source, suggestion: nearestName(to: name, among: columnNames))
  }

  /// Where row `row` of column `column` came from.
  /// - Parameters:
  ///   - row: Row index.
  ///   - column: Column name.
  /// - Returns: The source location.
  public func location(row: Int, column: String? = nil) -> SourceLocation {
    SourceLocation(source: source, line: lines[row], column: column)
  }
}
