import DataTable

/// Typed reading of scalar and sequence nodes; every failure is a `SpecError` naming the node.
extension SpecNode {
  /// The node as text.
  ///
  /// - Returns: The scalar's text.
  /// - Throws: `SpecError.wrongType` if the node is a list or mapping.
  public func string() throws -> String {
    guard case .scalar(let text) = value else { throw wrongType("a text value") }
    return text
  }

  /// The node as a finite number.
  ///
  /// - Returns: The value.
  /// - Throws: `SpecError.wrongType` unless the node is a scalar that reads as a finite number.
  public func double() throws -> Double {
    guard case .scalar(let text) = value, let x = Double(text), x.isFinite else {
      throw wrongType("a number")
    }
    return x
  }

  /// The node as a number in `range`.
  ///
  /// - Parameter range: Allowed values.
  /// - Returns: The value.
  /// - Throws: `SpecError.wrongType` if not a number, `.invalidValue` if outside `range`.
  public func double(in range: ClosedRange<Double>) throws -> Double {
    let x = try double()
    guard range.contains(x) else {
      throw invalid("must be in [\(Self.text(range.lowerBound)), \(Self.text(range.upperBound))]")
    }
    return x
  }

  /// The node as a number `≥ minimum` (or `> minimum` when `strictly`).
  ///
  /// - Parameters:
  ///   - minimum: The bound.
  ///   - strictly: Whether the bound itself is excluded.
  /// - Returns: The value.
  /// - Throws: `SpecError.wrongType` if not a number, `.invalidValue` if below the bound.
  public func double(atLeast minimum: Double, strictly: Bool = false) throws -> Double {
    let x = try double()
    if strictly ? !(x > minimum) : !(x >= minimum) {
      throw invalid("must be \(strictly ? ">" : "≥") \(Self.text(minimum))")
    }
    return x
  }

  /// The node as a probability in [0, 1].
  ///
  /// - Returns: The value.
  /// - Throws: `SpecError` if not a number or outside [0, 1].
  public func probability() throws -> Double {
    let x = try double()
    guard x >= 0 && x <= 1 else { throw invalid("must be a probability in [0, 1]") }
    return x
  }

  /// The node as a whole number `≥ minimum`.
  ///
  /// - Parameter minimum: The smallest allowed value.
  /// - Returns: The value.
  /// - Throws: `SpecError.wrongType` if not a whole number, `.invalidValue` if below `minimum`.
  public func int(atLeast minimum: Int = Int.min) throws -> Int {
    let bound = minimum == Int.min ? "" : " ≥ \(minimum)"
    guard case .scalar(let text) = value else { throw wrongType("a whole number\(bound)") }
    let parsed = Int(text) ?? Double(text).flatMap { $0.rounded() == $0 ? Int(exactly: $0) : nil }
    guard let n = parsed else { throw wrongType("a whole number\(bound)") }
    guard n >= minimum else { throw invalid("must be a whole number\(bound)") }
    return n
  }

  /// The node as a boolean (`true`/`false`, also `yes`/`no`).
  ///
  /// - Returns: The value.
  /// - Throws: `SpecError.wrongType` for anything else.
  public func bool() throws -> Bool {
    guard case .scalar(let text) = value else { throw wrongType("true or false") }
    switch text.lowercased() {
    case "true", "yes": return true
    case "false", "no": return false
    default: throw wrongType("true or false")
    }
  }

  /// The node as one of a fixed set of words.
  ///
  /// - Parameter choices: The allowed words.
  /// - Returns: The word.
  /// - Throws: `SpecError.invalidValue` listing the choices (and the nearest one).
  public func oneOf(_ choices: [String]) throws -> String {
    let text = try string()
    guard choices.contains(text) else {
      let hint = nearestName(to: text, among: choices).map { " (did you mean '\($0)'?)" } ?? ""
      throw invalid("must be one of \(choices.joined(separator: ", "))\(hint)")
    }
    return text
  }

  /// The elements of a sequence node.
  ///
  /// - Parameter minimumCount: The fewest elements allowed.
  /// - Returns: The elements, in order.
  /// - Throws: `SpecError.wrongType` if not a list, `.invalidValue` if too short.
  public func sequence(minimumCount: Int = 0) throws -> [SpecNode] {
    guard case .sequence(let items) = value else { throw wrongType("a list") }
    guard items.count >= minimumCount else {
      throw invalid("must list at least \(minimumCount) item\(minimumCount == 1 ? "" : "s")")
    }
    return items
  }

  /// The node as a mapping whose keys must all be among `allowed`.
  ///
  /// - Parameter allowed: Every key the mapping may have.
  /// - Returns: A reader for the mapping.
  /// - Throws: `SpecError.wrongType` if not a mapping, `.unknownKey` (with a suggestion) for
  ///   the first key not in `allowed`.
  public func mapping(allowing allowed: [String]) throws -> SpecMapping {
    let mapping = try mapping()
    for entry in mapping.entries where !allowed.contains(entry.key) {
      throw SpecError.unknownKey(
        source: source, line: entry.node.line ?? line, path: path, key: entry.key,
        suggestion: nearestName(to: entry.key, among: allowed))
    }
    return mapping
  }

  /// The node as a mapping with any keys (for maps keyed by names, such as arm labels).
  ///
  /// - Returns: A reader for the mapping.
  /// - Throws: `SpecError.wrongType` if the node is not a mapping.
  public func mapping() throws -> SpecMapping {
    guard case .mapping(let entries) = value else { throw wrongType("a mapping") }
    return SpecMapping(node: self, entries: entries)
  }

  static func text(_ x: Double) -> String {
    x.rounded() == x && abs(x) < 1e15 ? String(Int(x)) : String(x)
  }
}

/// A mapping node being read: look up required and optional keys by name.
public struct SpecMapping: Sendable {
  /// The mapping node itself.
  public let node: SpecNode
  /// Its entries, in source order.
  public let entries: [SpecNode.Entry]

  /// The keys, in source order.
  public var keys: [String] { entries.map(\.key) }

  /// The value under `key`, if present.
  ///
  /// - Parameter key: The key.
  /// - Returns: The value node, or nil.
  public func optional(_ key: String) -> SpecNode? {
    entries.first { $0.key == key }?.node
  }

  /// The value under `key`.
  ///
  /// - Parameter key: The key.
  /// - Returns: The value node.
  /// - Throws: `SpecError.missingKey` naming the mapping's path and the key.
  public func required(_ key: String) throws -> SpecNode {
    guard let found = optional(key) else {
      throw SpecError.missingKey(source: node.source, line: node.line, path: node.path, key: key)
    }
    return found
  }

  /// The value under `key` read by `read`, or `defaultValue` when the key is absent.
  ///
  /// - Parameters:
  ///   - key: The key.
  ///   - defaultValue: Used when the key is absent.
  ///   - read: Reads the node (for example `{ try $0.double(atLeast: 0) }`).
  /// - Returns: The value.
  /// - Throws: What `read` throws.
  public func value<T>(
    _ key: String, default defaultValue: T, _ read: (SpecNode) throws -> T
  ) throws -> T {
    guard let found = optional(key) else { return defaultValue }
    return try read(found)
  }

  /// The value under the required `key`, read by `read`.
  ///
  /// - Parameters:
  ///   - key: The key.
  ///   - read: Reads the node.
  /// - Returns: The value.
  /// - Throws: `SpecError.missingKey`, or what `read` throws.
  public func value<T>(_ key: String, _ read: (SpecNode) throws -> T) throws -> T {
    try read(required(key))
  }
}
