/// A specification file that cannot be used: bad syntax, a missing or unknown key, or a value
/// of the wrong type or outside its allowed range.
///
/// Every case carries the source name, the key path and the line when known, and renders as
/// one line: `design.yaml:12: arms[2].size: expected a whole number ≥ 1, found "ten"`.
public enum SpecError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file is not well-formed (YAML syntax) or cannot be read.
  case syntax(source: String, line: Int?, message: String)
  /// A required key is absent from the mapping at `path`.
  case missingKey(source: String, line: Int?, path: String, key: String)
  /// A key that the mapping at `path` does not allow, with a likely intended key.
  case unknownKey(source: String, line: Int?, path: String, key: String, suggestion: String?)
  /// A value of the wrong kind (text where a number is needed, a list where a mapping is).
  case wrongType(source: String, line: Int?, path: String, expected: String, found: String)
  /// A value of the right kind outside its allowed set or range.
  case invalidValue(source: String, line: Int?, path: String, reason: String, found: String)

  /// The key path the error is about (`""` for the root or a syntax error).
  public var path: String {
    switch self {
    case .syntax: ""
    case .missingKey(_, _, let path, let key): SpecNode.childPath(path, key: key)
    case .unknownKey(_, _, let path, let key, _): SpecNode.childPath(path, key: key)
    case .wrongType(_, _, let path, _, _): path
    case .invalidValue(_, _, let path, _, _): path
    }
  }

  /// One line: source, line, key path and the problem.
  public var description: String {
    switch self {
    case .syntax(let source, let line, let message):
      return "\(Self.prefix(source, line)) \(message)"
    case .missingKey(let source, let line, let path, let key):
      let scope = path.isEmpty ? "" : " \(path):"
      return "\(Self.prefix(source, line))\(scope) missing required key '\(key)'"
    case .unknownKey(let source, let line, let path, let key, let suggestion):
      let scope = path.isEmpty ? "" : " \(path):"
      let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
      return "\(Self.prefix(source, line))\(scope) unknown key '\(key)'\(hint)"
    case .wrongType(let source, let line, let path, let expected, let found):
      return "\(Self.prefix(source, line)) \(path): expected \(expected), found \(found)"
    case .invalidValue(let source, let line, let path, let reason, let found):
      return "\(Self.prefix(source, line)) \(path): \(reason), found \(found)"
    }
  }

  private static func prefix(_ source: String, _ line: Int?) -> String {
    line.map { "\(source):\($0):" } ?? "\(source):"
  }
}
