import DataTable

/// Several CSV files read as one table: the rows of each file in turn (a spec's `data:` list).
///
/// Every file must have the same columns, in any order; the table has the first file's column
/// order (which is also the order in which reports sort the rows canonically). A column that is numeric in one file and holds labels in another becomes
/// categorical, its numbers labelled as R prints them. Levels are merged and sorted as the CSV
/// reader sorts them (numerically when every level reads as a number, else in byte order), so
/// the stacked table does not depend on which file a level came from; reports then sort the
/// rows canonically, so neither the order of the rows, nor their split into files, nor the
/// order in which files with the same first header are listed changes the results.
public enum DataFiles {
  /// Reads and stacks `paths`.
  /// - Parameters:
  ///   - paths: CSV paths (at least one), read in this order.
  ///   - options: CSV options applied to every file.
  /// - Returns: The stacked table (source: the paths joined by ", "; each row keeps the line it
  ///   came from) and the number of rows read from each file.
  /// - Throws: What reading a file throws; `DataFilesError.columnMismatch` naming the file and
  ///   the column when the files' columns differ.
  public static func read(_ paths: [String], options: CSVOptions) throws -> (
    table: Table, rowsPerFile: [Int]
  ) {
    precondition(!paths.isEmpty, "At least one data file is required")
    let tables = try paths.map { try Table.readCSV(path: $0, options: options) }
    return (try stack(tables), tables.map(\.rowCount))
  }

  /// The rows of `tables` one after the other (see the type's description).
  /// - Parameter tables: Tables with the same column names; their sources name them in errors.
  /// - Returns: The stacked table (a single table is returned as it is).
  /// - Throws: `DataFilesError.columnMismatch` for the first column one table lacks or has
  ///   beyond the first table's.
  public static func stack(_ tables: [Table]) throws -> Table {
    guard let first = tables.first else { preconditionFailure("No tables to stack") }
    if tables.count == 1 { return first }
    let names = first.columnNames
    for table in tables.dropFirst() {
      if let missing = names.first(where: { !table.columnNames.contains($0) }) {
        throw DataFilesError.columnMismatch(
          file: table.source, column: missing, reference: first.source, missing: true)
      }
      if let extra = table.columnNames.first(where: { !names.contains($0) }) {
        throw DataFilesError.columnMismatch(
          file: table.source, column: extra, reference: first.source, missing: false)
      }
    }
    var columns: [Column] = []
    for name in names {
      let parts = tables.compactMap { try? $0.column(named: name) }
      columns.append(stackColumn(parts))
    }
    return try Table(
      source: tables.map(\.source).joined(separator: ", "), columns: columns,
      lines: tables.flatMap(\.lines))
  }

  /// One column from its parts (same name), numeric when every part is.
  private static func stackColumn(_ parts: [Column]) -> Column {
    let name = parts[0].name
    var offsets: [Int] = []
    var total = 0
    // Offsets of each part's rows in the stacked column.
    for part in parts {
      offsets.append(total)
      total += part.count
    }
    if parts.allSatisfy({ $0.kind == .numeric }) {
      let firstNonFinite = zip(parts, offsets).lazy.compactMap { part, offset in
        part.firstNonFinite.map { (row: $0.row + offset, text: $0.text) }
      }.first
      return Column(
        name: name, numbers: parts.flatMap(\.numbers), firstNonFinite: firstNonFinite)
    }
    let categorical = parts.map(Column.categorical(from:))
    var labels = Set<String>()
    for part in categorical { labels.formUnion(part.levels) }
    let numbers = labels.map { Double($0) }
    let levels: [String]
    if numbers.allSatisfy({ $0 != nil }) {
      levels = labels.sorted { a, b in
        let x = Double(a) ?? 0
        let y = Double(b) ?? 0
        return x != y ? x < y : Array(a.utf8).lexicographicallyPrecedes(b.utf8)
      }
    } else {
      levels = labels.sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
    }
    var codeOf: [String: Int32] = [:]
    for (k, level) in levels.enumerated() { codeOf[level] = Int32(k) }
    var codes: [Int32] = []
    codes.reserveCapacity(total)
    for part in categorical {
      let map = part.levels.map { codeOf[$0] ?? -1 }
      codes.append(contentsOf: part.codes.map { $0 < 0 ? -1 : map[Int($0)] })
    }
    // As the CSV reader: set only when some labels read as numbers and some do not (the first
    // cell that is not a number, for "expected a number" messages).
    var firstNonNumeric: (row: Int, text: String)?
    let isNumber = levels.map { Double($0) != nil }
    if isNumber.contains(true) && isNumber.contains(false),
      let row = codes.firstIndex(where: { $0 >= 0 && !isNumber[Int($0)] })
    {
      firstNonNumeric = (row, levels[Int(codes[row])])
    }
    return Column(name: name, codes: codes, levels: levels, firstNonNumeric: firstNonNumeric)
  }
}

/// Data files of one analysis that cannot be stacked.
public enum DataFilesError: Error, Sendable, Equatable, CustomStringConvertible {
  /// `file` lacks a column of the first file (`missing`) or has one the first file lacks.
  case columnMismatch(file: String, column: String, reference: String, missing: Bool)

  /// The message.
  public var description: String {
    switch self {
    case .columnMismatch(let file, let column, let reference, let missing):
      missing
        ? "\(file): no column '\(column)', which \(reference) has (stacked data files need "
          + "the same columns)"
        : "\(file): column '\(column)' is not in \(reference) (stacked data files need the "
          + "same columns)"
    }
  }
}
