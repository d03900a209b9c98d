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

  /// The message, starting with the location (`data.csv:17: column 'week': …`).
  public var description: String {
    switch self {
    case .unreadable(let source, let reason): "\(source): cannot read file: \(reason)"
    case .emptyFile(let source): "\(source): file is empty"
    case .headerOnly(let source): "\(source): file has a header but no data rows"
    case .raggedRow(let at, let expected, let found):
      "\(at): expected \(expected) fields as in the header, found \(found)"
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
    }
  }

  /// Compares by description (cases carry tuples that are not `Equatable` otherwise).
  public static func == (lhs: DataError, rhs: DataError) -> Bool {
    lhs.description == rhs.description
  }
}
