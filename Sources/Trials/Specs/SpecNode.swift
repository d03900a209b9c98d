/// One node of a parsed specification file (a simulation design, later an analysis spec).
///
/// The tree is independent of the file format: `TrajCLI` builds it from YAML, tests build it
/// from literals. Every node knows where it sits — its key path from the root, such as
/// `arms[2].size` — and, when the format reports it, its 1-based source line, so that errors
/// can name both.
///
/// Invariants: mapping keys are unique and kept in source order; scalars hold the raw text
/// (typed reading is the job of `SpecNode`'s readers and `SpecMapping`).
public struct SpecNode: Sendable, Equatable {
  /// What a node holds.
  public enum Value: Sendable, Equatable {
    /// A scalar, as written (`"10"`, `"ten"`, `"true"`).
    case scalar(String)
    /// An ordered list of nodes.
    case sequence([SpecNode])
    /// Keys and values in source order.
    case mapping([Entry])
  }

  /// One key–value pair of a mapping.
  public struct Entry: Sendable, Equatable {
    /// The key.
    public let key: String
    /// The value; its `path` ends with the key.
    public let node: SpecNode

    /// Creates an entry.
    ///
    /// - Parameters:
    ///   - key: The key.
    ///   - node: The value.
    public init(key: String, node: SpecNode) {
      self.key = key
      self.node = node
    }
  }

  /// The content.
  public let value: Value
  /// Key path from the root (`""` for the root, `arms[2].size` below it).
  public let path: String
  /// The file or source name used in messages (`design.yaml`).
  public let source: String
  /// The 1-based line in the source, if known.
  public let line: Int?

  /// Creates a node.
  ///
  /// - Parameters:
  ///   - value: The content; children should carry paths made by `childPath`.
  ///   - path: The key path of this node.
  ///   - source: File or source name for messages.
  ///   - line: 1-based source line, if known.
  public init(_ value: Value, path: String, source: String, line: Int? = nil) {
    self.value = value
    self.path = path
    self.source = source
    self.line = line
  }

  /// The key path of the value under `key` in the mapping at `parent`.
  ///
  /// - Parameters:
  ///   - parent: The mapping's path.
  ///   - key: The key.
  /// - Returns: `key` at the root, `parent.key` below it.
  public static func childPath(_ parent: String, key: String) -> String {
    parent.isEmpty ? key : "\(parent).\(key)"
  }

  /// The key path of element `index` of the sequence at `parent`.
  ///
  /// - Parameters:
  ///   - parent: The sequence's path.
  ///   - index: 0-based element index.
  /// - Returns: `parent[index]`.
  public static func childPath(_ parent: String, index: Int) -> String {
    "\(parent)[\(index)]"
  }

  /// A short description of the node's content for messages: the scalar in quotes, or its kind.
  public var foundDescription: String {
    switch value {
    case .scalar(let text): "\"\(text)\""
    case .sequence: "a list"
    case .mapping: "a mapping"
    }
  }

  /// An error at this node: its value is of the wrong kind.
  ///
  /// - Parameter expected: What was expected (`a whole number ≥ 1`).
  /// - Returns: The error, naming this node's path and what was found.
  public func wrongType(_ expected: String) -> SpecError {
    .wrongType(
      source: source, line: line, path: path, expected: expected, found: foundDescription)
  }

  /// An error at this node: its value is of the right kind but not allowed.
  ///
  /// - Parameter reason: Why (`must be > 0`).
  /// - Returns: The error, naming this node's path and what was found.
  public func invalid(_ reason: String) -> SpecError {
    .invalidValue(source: source, line: line, path: path, reason: reason, found: foundDescription)
  }
}
