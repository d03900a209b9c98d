/// A JSON reader for `JSONValue.parse` that never throws on the way to a valid value.
///
/// `JSONDecoder` can only learn a value's type by trying to decode each type in turn, and every
/// failed attempt throws; reading a 28 MB fit JSON (200,000 subjects) took 37 s inside a test
/// process against 4 s in a standalone program (measured; the per-throw bookkeeping of the
/// test process is the likely cost). This reader
/// looks at the next byte instead; numbers go through `Double(_:)` (correctly rounded, as
/// `JSONDecoder`), and strings handle every JSON escape. It throws only on malformed input.
struct JSONParser {
  /// Malformed JSON: what was expected and the byte offset.
  struct SyntaxError: Error, CustomStringConvertible {
    let expected: String
    let offset: Int
    var description: String { "malformed JSON: expected \(expected) at byte \(offset)" }
  }

  private let bytes: [UInt8]
  private var index = 0

  /// Parses one JSON document (surrounding whitespace allowed).
  /// - Parameter bytes: UTF-8 JSON.
  /// - Returns: The value.
  /// - Throws: `SyntaxError` on malformed input.
  static func parse(_ bytes: [UInt8]) throws -> JSONValue {
    var parser = JSONParser(bytes: bytes)
    let value = try parser.value()
    parser.skipWhitespace()
    guard parser.index == bytes.count else { throw parser.error("end of input") }
    return value
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private func error(_ expected: String) -> SyntaxError {
    SyntaxError(expected: expected, offset: index)
  }

  private mutating func skipWhitespace() {
    while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
  }

  private mutating func expect(_ literal: String) throws {
    for byte in literal.utf8 {
      guard index < bytes.count, bytes[index] == byte else { throw error("'\(literal)'") }
      index += 1
    }
  }

  private mutating func value() throws -> JSONValue {
    skipWhitespace()
    guard index < bytes.count else { throw error("a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try object()
    case UInt8(ascii: "["): return try array()
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"):
      try expect("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try expect("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try expect("null")
      return .null
    default: return .number(try number())
    }
  }

  private mutating func object() throws -> JSONValue {
    index += 1
    var members: [String: JSONValue] = [:]
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(members)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("a member name")
      }
      let key = try string()
      skipWhitespace()
      try expect(":")
      members[key] = try value()
      skipWhitespace()
      guard index < bytes.count else { throw error("',' or '}'") }
      index += 1
      if bytes[index - 1] == UInt8(ascii: "}") { return .object(members) }
      guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("',' or '}'") }
    }
  }

  private mutating func array() throws -> JSONValue {
    index += 1
    var elements: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(elements)
    }
    while true {
      elements.append(try value())
      skipWhitespace()
      guard index < bytes.count else { throw error("',' or ']'") }
      index += 1
      if bytes[index - 1] == UInt8(ascii: "]") { return .array(elements) }
      guard bytes[index - 1] == UInt8(ascii: ",") else { throw error("',' or ']'") }
    }
  }

  private mutating func number() throws -> Double {
    let start = index
    while index < bytes.count && Self.isNumberByte(bytes[index]) { index += 1 }
    let text = String(decoding: bytes[start..<index], as: UTF8.self)
    guard !text.isEmpty, let value = Double(text), value.isFinite else {
      index = start
      throw error("a value")
    }
    return value
  }

  private static func isNumberByte(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
      || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e")
      || byte == UInt8(ascii: "E")
  }

  private mutating func string() throws -> String {
    index += 1
    var scalars = String.UnicodeScalarView()
    var runStart = index
    var out = ""
    while true {
      guard index < bytes.count else { throw error("'\"'") }
      let byte = bytes[index]
      if byte == UInt8(ascii: "\"") {
        out += String(decoding: bytes[runStart..<index], as: UTF8.self)
        index += 1
        return out
      }
      guard byte == UInt8(ascii: "\\") else {
        index += 1
        continue
      }
      out += String(decoding: bytes[runStart..<index], as: UTF8.self)
      index += 1
      guard index < bytes.count else { throw error("an escape") }
      let escape = bytes[index]
      index += 1
      scalars.removeAll()
      switch escape {
      case UInt8(ascii: "\""): out += "\""
      case UInt8(ascii: "\\"): out += "\\"
      case UInt8(ascii: "/"): out += "/"
      case UInt8(ascii: "b"): out += "\u{8}"
      case UInt8(ascii: "f"): out += "\u{C}"
      case UInt8(ascii: "n"): out += "\n"
      case UInt8(ascii: "r"): out += "\r"
      case UInt8(ascii: "t"): out += "\t"
      case UInt8(ascii: "u"):
        var code = try hex4()
        if (0xD800..<0xDC00).contains(code) {
          try expect("\\u")
          let low = try hex4()
          guard (0xDC00..<0xE000).contains(low) else { throw error("a low surrogate") }
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(code) else { throw error("a Unicode scalar") }
        scalars.append(scalar)
        out += String(scalars)
      default: throw error("an escape")
      }
      runStart = index
    }
  }

  private mutating func hex4() throws -> UInt32 {
    guard index + 4 <= bytes.count,
      let code = UInt32(String(decoding: bytes[index..<(index + 4)], as: UTF8.self), radix: 16)
    else { throw error("4 hex digits") }
    index += 4
    return code
  }
}
