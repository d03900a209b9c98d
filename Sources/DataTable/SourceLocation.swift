/// Where a value came from: a file (or other source) name, a 1-based line, and a column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
  /// File path or other source name, as the user gave it.
  public let source: String
  /// 1-based physical line in the source where the record starts.
  public let line: Int
  /// Column header name, when known.
  public let column: String?

  /// Creates a location.
  /// - Parameters:
  ///   - source: File path or source name.
  ///   - line: 1-based line.
  ///   - column: Column name, if any.
  public init(source: String, line: Int, column: String? = nil) {
    self.source = source
    self.line = line
    self.column = column
  }

  /// `data.csv:17: column 'week'` or `data.csv:17`.
  public var description: String {
    if let column { return "\(source):\(line): column '\(column)'" }
    return "\(source):\(line)"
  }
}
