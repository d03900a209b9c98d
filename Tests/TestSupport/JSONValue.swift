import Foundation

/// A decoded JSON document, for reading golden fixtures and the CLI's JSON output in tests.
public enum JSONValue: Decodable, Sendable, Equatable {
  /// `null`.
  case null
  /// `true` / `false`.
  case bool(Bool)
  /// Any number.
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONValue])
  /// An object; key order is not kept.
  case object([String: JSONValue])

  /// Decodes any JSON value.
  /// - Parameter decoder: The decoder.
  /// - Throws: `DecodingError` when the input is not JSON.
  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  /// Parses JSON bytes (with `JSONParser`, which is ten times faster than `JSONDecoder` in a
  /// test process; the `Decodable` conformance stays for decoding inside other types).
  /// - Parameter data: UTF-8 JSON.
  /// - Returns: The value.
  /// - Throws: `JSONParser.SyntaxError` on malformed JSON.
  public static func parse(_ data: Data) throws -> JSONValue {
    try JSONParser.parse([UInt8](data))
  }

  /// Member `key` of an object (`.null` when absent or not an object).
  public subscript(key: String) -> JSONValue {
    if case .object(let o) = self { return o[key] ?? .null }
    return .null
  }

  /// Element `index` of an array (`.null` when absent).
  public subscript(index: Int) -> JSONValue {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return .null
  }

  /// The number, if this is one.
  public var double: Double? {
    if case .number(let d) = self { return d }
    return nil
  }

  /// The string, if this is one.
  public var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The Boolean, if this is one.
  public var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  /// The elements, if this is an array (a scalar reads as a one-element array, as R's
  /// `auto_unbox` writes length-one vectors as scalars).
  public var array: [JSONValue] {
    switch self {
    case .array(let a): return a
    case .null: return []
    default: return [self]
    }
  }

  /// The members, if this is an object.
  public var object: [String: JSONValue] {
    if case .object(let o) = self { return o }
    return [:]
  }

  /// The numbers of an array of numbers (or a single number).
  public var doubles: [Double] { array.compactMap(\.double) }

  /// The strings of an array of strings (or a single string).
  public var strings: [String] { array.compactMap(\.string) }
}
