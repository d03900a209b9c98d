/// A JSON document with ordered object keys, rendered byte-for-byte deterministically.
///
/// Numbers are written in Swift's shortest round-trip form (`251.40510484848403`), so
/// reading them back gives the same `Double`; non-finite numbers become `null`.
public enum JSON: Sendable, Equatable {
  /// `null`.
  case null
  /// `true` / `false`.
  case bool(Bool)
  /// A number (`null` when not finite).
  case number(Double)
  /// An integer.
  case integer(Int)
  /// A string.
  case string(String)
  /// An array.
  case array([JSON])
  /// An object; keys are written in this order.
  case object([(String, JSON)])

  /// Equality, with objects compared key by key in order.
  public static func == (lhs: JSON, rhs: JSON) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): true
    case (.bool(let a), .bool(let b)): a == b
    case (.number(let a), .number(let b)): a == b || (a.isNaN && b.isNaN)
    case (.integer(let a), .integer(let b)): a == b
    case (.string(let a), .string(let b)): a == b
    case (.array(let a), .array(let b)): a == b
    case (.object(let a), .object(let b)):
      a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: false
    }
  }

  /// An array of numbers.
  /// - Parameter values: The numbers.
  /// - Returns: `.array` of `.number`.
  public static func numbers(_ values: [Double]) -> JSON { .array(values.map { .number($0) }) }

  /// An array of strings.
  /// - Parameter values: The strings.
  /// - Returns: `.array` of `.string`.
  public static func strings(_ values: [String]) -> JSON { .array(values.map { .string($0) }) }

  /// The document as text: two-space indentation, one member per line, trailing newline.
  public var rendered: String { String(decoding: renderedBytes, as: UTF8.self) }

  /// The rendered document as UTF-8 bytes (what files are written from, without a detour
  /// through `String`).
  public var renderedBytes: [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(1 << 16)
    write(into: &out, indent: 0) { _ in }
    out.append(UInt8(ascii: "\n"))
    return out
  }

  /// Renders the document (the bytes of `renderedBytes`) in pieces of about `chunkBytes`
  /// bytes, handing each to `sink` in order: a large document is written without ever being
  /// held whole (21 MB for the BLUPs of 100,000 subjects).
  /// - Parameters:
  ///   - chunkBytes: Pieces are passed on once they reach this size.
  ///   - sink: Receives each piece.
  /// - Throws: What `sink` throws; rendering stops there.
  public func render(chunkBytes: Int = 1 << 20, to sink: ([UInt8]) throws -> Void) rethrows {
    var out = [UInt8]()
    out.reserveCapacity(chunkBytes + (1 << 12))
    try write(into: &out, indent: 0) { buffer in
      if buffer.count >= chunkBytes {
        try sink(buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    out.append(UInt8(ascii: "\n"))
    try sink(out)
  }

  // Written into a byte buffer: large documents (a BLUP per subject for 100,000 subjects) are
  // the common case, and appending bytes is several times faster than growing a String.
  // `boundary` is called between the elements of arrays and objects, where the buffer may be
  // handed on.
  private func write(
    into out: inout [UInt8], indent: Int, boundary: (inout [UInt8]) throws -> Void
  ) rethrows {
    switch self {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .number(let x):
      var text = JSON.format(x)
      text.withUTF8 { out.append(contentsOf: $0) }
    case .integer(let i): out.append(contentsOf: String(i).utf8)
    case .string(let s): JSON.escape(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out.append(contentsOf: "[]".utf8)
        return
      }
      // Arrays of scalars stay on one line; nested structures get one element per line.
      if items.allSatisfy(\.isScalar) {
        out.append(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
          if i > 0 { out.append(contentsOf: ", ".utf8) }
          try item.write(into: &out, indent: indent, boundary: boundary)
          try boundary(&out)
        }
        out.append(UInt8(ascii: "]"))
        return
      }
      out.append(contentsOf: "[\n".utf8)
      for (i, item) in items.enumerated() {
        JSON.spaces(indent + 2, into: &out)
        try item.write(into: &out, indent: indent + 2, boundary: boundary)
        out.append(contentsOf: (i + 1 < items.count ? ",\n" : "\n").utf8)
        try boundary(&out)
      }
      JSON.spaces(indent, into: &out)
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      if members.isEmpty {
        out.append(contentsOf: "{}".utf8)
        return
      }
      out.append(contentsOf: "{\n".utf8)
      for (i, (key, value)) in members.enumerated() {
        JSON.spaces(indent + 2, into: &out)
        JSON.escape(key, into: &out)
        out.append(contentsOf: ": ".utf8)
        try value.write(into: &out, indent: indent + 2, boundary: boundary)
        out.append(contentsOf: (i + 1 < members.count ? ",\n" : "\n").utf8)
        try boundary(&out)
      }
      JSON.spaces(indent, into: &out)
      out.append(UInt8(ascii: "}"))
    }
  }

  private static func spaces(_ count: Int, into out: inout [UInt8]) {
    for _ in 0..<count { out.append(UInt8(ascii: " ")) }
  }

  private var isScalar: Bool {
    switch self {
    case .array, .object: false
    default: true
    }
  }

  /// Shortest round-trip decimal form; integers without a fraction; `null` if not finite.
  /// - Parameter x: The number.
  /// - Returns: The JSON text.
  public static func format(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
    return x.description
  }

  private static func escape(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in s.utf8 {
      switch byte {
      case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
      case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
      case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
      case UInt8(ascii: "\r"): out.append(contentsOf: "\\r".utf8)
      case UInt8(ascii: "\t"): out.append(contentsOf: "\\t".utf8)
      case 0..<0x20:
        let hex = String(byte, radix: 16)
        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
      default:
        // Bytes of multi-byte UTF-8 sequences are ≥ 0x80 and pass through unchanged.
        out.append(byte)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}
