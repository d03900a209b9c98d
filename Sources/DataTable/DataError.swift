/// Bad input found while reading or typing a data set.
///
/// Each case says where.
public enum DataError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(source: String, reason: String)
  /// The file has no bytes, or only blank lines.
  case emptyFile(source: String)
  /// The file has a header but no data rows.
  case headerOnly(source: String)
  /// A record has a different number of fields from the header.
  case raggedRow(at: SourceLocation, expected: Int, found: Int)
  /// The header has more columns than `CSVOptions.maximumColumns` allows.
  case tooManyColumns(source: String, limit: Int)
  /// A record spans more bytes than `CSVOptions.maximumRecordBytes` allows; `at` is the line
  /// where it starts.
  case recordTooLong(at: SourceLocation, limit: Int)
  /// A quoted field is not closed before the end of the file.
  case unterminatedQuote(at: SourceLocation)
  /// Two columns share a header name.
  case duplicateColumn(name: String, source: String)
  /// A header cell is empty.
  case emptyColumnName(source: String, position: Int)
  /// A column that must be numeric holds text.
  case unparsableValue(at: SourceLocation, text: String, expected: String)
  /// A numeric column holds an infinite value.
  case nonFinite(at: SourceLocation, text: String)
  /// A name does not match any column.
  case unknownColumn(name: String, source: String, suggestion: String?)
  /// A row filter's text does not follow its grammar (see `RowFilter`); `offset` is the 0-based
  /// `Character` index of the offending character (`expression.count` for "at the end").
  case filterSyntax(expression: String, offset: Int, message: String)
  /// A row filter names a column the table does not have; `offset` is where the name starts.
  case filterUnknownColumn(
    name: String, source: String, suggestion: String?, expression: String, offset: Int)
  /// A row filter compares a categorical column with a label that is none of its levels.
  ///
  /// R's `subset()` would silently select no rows for such a comparison (usually a typo), so
  /// it is an error here, naming the levels and the nearest one.
  case filterUnknownLevel(
    column: String, level: String, levels: [String], suggestion: String?, expression: String,
    offset: Int)
  /// A row filter compares a numeric column with a label that is not a number.
  case filterNotANumber(column: String, text: String, expression: String, offset: Int)
  /// A row filter orders (`<`, `<=`, `>`, `>=`) a categorical column whose levels are not all
  /// numbers (numeric levels, as a visit number read as a factor, order as numbers).
  case filterOrderingCategorical(column: String, op: String, expression: String, offset: Int)
  /// A row filter selects none of the table's rows.
  case noRowsSelected(source: String, expression: String, rowCount: Int)

  /// The message, starting with the location (`data.csv:17: column 'week': …`).
  public var description: String {
    switch self {
    case .unreadable(let source, let reason): "\(source): cannot read file: \(reason)"
    case .emptyFile(let source): "\(source): file is empty"
    case .headerOnly(let source): "\(source): file has a header but no data rows"
    case .raggedRow(let at, let expected, let found):
      "\(at): expected \(expected) fields as in the header, found \(found)"
    case .tooManyColumns(let source, let limit):
      "\(source):1: the header has more than \(limit) columns (the limit); is this a CSV file "
        + "with ',' between fields?"
    case .recordTooLong(let at, let limit):
      "\(at): the row is longer than \(limit) bytes (the limit for one row); is this a CSV "
        + "file with one row per line (or a quoted field left open)?"
    case .unterminatedQuote(let at): "\(at): quoted field is not closed before the end of the file"
    case .duplicateColumn(let name, let source):
      "\(source): column '\(name)' appears twice in the header"
    case .emptyColumnName(let source, let position):
      "\(source):1: header field \(position) is empty"
    case .unparsableValue(let at, let text, let expected):
      "\(at): expected \(expected), found \"\(text)\""
    case .nonFinite(let at, let text): "\(at): non-finite value \"\(text)\""
    case .unknownColumn(let name, let source, let suggestion):
      "\(source): no column named '\(name)'"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    case .filterSyntax(let expression, let offset, let message):
      "row filter syntax error: \(message)\n" + caretDisplay(expression, offset: offset)
    case .filterUnknownColumn(let name, let source, let suggestion, let expression, let offset):
      "\(source): row filter: no column named '\(name)'"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "") + "\n"
        + caretDisplay(expression, offset: offset)
    case .filterUnknownLevel(
      let column, let level, let levels, let suggestion, let expression, let offset):
      "row filter: column '\(column)' has no level '\(level)'"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        + " (levels: " + levels.joined(separator: ", ") + ")\n"
        + caretDisplay(expression, offset: offset)
    case .filterNotANumber(let column, let text, let expression, let offset):
      "row filter: column '\(column)' is numeric, but '\(text)' is not a number\n"
        + caretDisplay(expression, offset: offset)
    case .filterOrderingCategorical(let column, let op, let expression, let offset):
      "row filter: column '\(column)' is categorical, so '\(op)' does not apply (its levels "
        + "have no order); use ==, != or in\n" + caretDisplay(expression, offset: offset)
    case .noRowsSelected(let source, let expression, let rowCount):
      "\(source): the row filter '\(expression)' selects none of the \(rowCount) rows"
    }
  }

  /// The expression on one line, indented by two spaces, and a caret under `offset` (as
  /// `FormulaError` renders formula syntax errors).
  private func caretDisplay(_ expression: String, offset: Int) -> String {
    // Tabs and line breaks would misplace the caret; show them as spaces.
    let line = String(expression.map { $0.isWhitespace ? " " : $0 })
    let column = min(max(offset, 0), line.count)
    return "  " + line + "\n" + String(repeating: " ", count: 2 + column) + "^"
  }

  /// Compares by description (cases carry tuples that are not `Equatable` otherwise).
  public static func == (lhs: DataError, rhs: DataError) -> Bool {
    lhs.description == rhs.description
  }
}
