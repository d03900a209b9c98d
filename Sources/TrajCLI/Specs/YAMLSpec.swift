import Foundation
import Trials
import Yams

/// Reads YAML specification files into `SpecNode` trees (the only place that knows Yams).
enum YAMLSpec {
  /// Reads and parses the YAML file at `path`.
  /// - Parameter path: File path; its last component names the source in messages.
  /// - Returns: The root node.
  /// - Throws: `SpecError.syntax` for an unreadable file, a YAML syntax error (with its line),
  ///   an empty document, a duplicate key or an alias.
  static func read(path: String) throws -> SpecNode {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SpecError.syntax(source: path, line: nil, message: "cannot read the file")
    }
    return try parse(bytes: [UInt8](data), path: path)
  }

  /// Parses the bytes of the YAML file at `path` (read once by the caller, which may hash the
  /// same bytes).
  /// - Parameters:
  ///   - bytes: The file's contents.
  ///   - path: The file's path; its last component names the source in messages.
  /// - Returns: The root node.
  /// - Throws: `SpecError.syntax` as for `read(path:)`.
  static func parse(bytes: [UInt8], path: String) throws -> SpecNode {
    let source = URL(fileURLWithPath: path).lastPathComponent
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw SpecError.syntax(source: source, line: nil, message: "the file is not UTF-8 text")
    }
    return try parse(text, source: source)
  }

  /// Parses YAML text.
  /// - Parameters:
  ///   - text: The YAML document.
  ///   - source: Name used in messages.
  /// - Returns: The root node.
  /// - Throws: `SpecError.syntax` as for `read(path:)`.
  static func parse(_ text: String, source: String) throws -> SpecNode {
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw syntaxError(error, source: source)
    }
    guard let node else {
      throw SpecError.syntax(source: source, line: nil, message: "the document is empty")
    }
    return try convert(node, path: "", source: source)
  }

  private static func convert(_ node: Node, path: String, source: String) throws -> SpecNode {
    let line = node.mark?.line
    switch node {
    case .scalar(let scalar):
      return SpecNode(.scalar(scalar.string), path: path, source: source, line: line)
    case .sequence(let sequence):
      var items = [SpecNode]()
      for (i, item) in sequence.enumerated() {
        items.append(try convert(item, path: SpecNode.childPath(path, index: i), source: source))
      }
      return SpecNode(.sequence(items), path: path, source: source, line: line)
    case .mapping(let mapping):
      var entries = [SpecNode.Entry]()
      for (keyNode, value) in mapping {
        guard case .scalar(let keyScalar) = keyNode else {
          throw SpecError.syntax(
            source: source, line: keyNode.mark?.line, message: "mapping keys must be plain text")
        }
        let key = keyScalar.string
        let childPath = SpecNode.childPath(path, key: key)
        if entries.contains(where: { $0.key == key }) {
          throw SpecError.syntax(
            source: source, line: keyNode.mark?.line, message: "\(childPath): duplicate key")
        }
        let child = try convert(value, path: childPath, source: source)
        let located = SpecNode(
          child.value, path: childPath, source: source, line: keyNode.mark?.line ?? child.line)
        entries.append(SpecNode.Entry(key: key, node: located))
      }
      return SpecNode(.mapping(entries), path: path, source: source, line: line)
    case .alias:
      throw SpecError.syntax(
        source: source, line: line, message: "YAML aliases are not supported in spec files")
    }
  }

  private static func syntaxError(_ error: YamlError, source: String) -> SpecError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return .syntax(source: source, line: mark.line, message: "YAML syntax error: \(problem)")
    default:
      return .syntax(source: source, line: nil, message: "YAML error: \(error)")
    }
  }
}
