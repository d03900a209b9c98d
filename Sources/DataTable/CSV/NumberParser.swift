/// Reads one CSV cell as a number, R's `as.numeric` grammar minus hexadecimal.
///
/// Accepted: an optional sign, decimal digits with an optional point (`12`, `1.`, `.5`), an
/// optional exponent (`e`/`E`, optional sign, digits); and, with an optional sign, `inf` or
/// `infinity` in any letter case. Nothing else (no spaces: the reader trims unquoted cells).
///
/// Results are correctly rounded. Mantissas of at most 19 significant digits that are at most
/// 2⁵³ with a decimal exponent in −22…22 are converted by one exact `Double` multiply or
/// divide (Clinger 1990, "How to read floating point numbers accurately", the fast path);
/// everything else goes to the standard library's `Double(_:)` text initializer, which is
/// correctly rounded.
package enum NumberParser {
  /// Exact powers of ten, 10⁰…10²² (all representable in a `Double`).
  private static let powersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
  ]

  /// `infinity`, lower case.
  private static let infinityWord: [UInt8] = Array("infinity".utf8)

  /// Largest mantissa for which the fast path is exact (2⁵³).
  private static let maxExactMantissa: UInt64 = 1 << 53

  /// The value of the bytes `start..<start+count`, or nil when they are not a number.
  /// - Parameters:
  ///   - start: First byte.
  ///   - count: Number of bytes (may be 0).
  /// - Returns: The correctly rounded value (±infinity for `Inf` or overflow), or nil.
  @inline(__always)
  static func parse(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
    guard count > 0 else { return nil }
    var i = 0
    var negative = false
    let first = start[0]
    if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      i = 1
    }
    var mantissa: UInt64 = 0
    var significantDigits = 0
    var exponent10 = 0
    var sawDigit = false
    var truncated = false

    // Integer part.
    while i < count {
      let d = start[i] &- UInt8(ascii: "0")
      if d > 9 { break }
      sawDigit = true
      if significantDigits < 19 {
        if mantissa != 0 || d != 0 {
          mantissa = mantissa &* 10 &+ UInt64(d)
          significantDigits += 1
        }
      } else {
        exponent10 += 1
        if d != 0 { truncated = true }
      }
      i += 1
    }
    // Fraction.
    if i < count && start[i] == UInt8(ascii: ".") {
      i += 1
      while i < count {
        let d = start[i] &- UInt8(ascii: "0")
        if d > 9 { break }
        sawDigit = true
        if significantDigits < 19 {
          if mantissa != 0 || d != 0 {
            mantissa = mantissa &* 10 &+ UInt64(d)
            significantDigits += 1
          }
          exponent10 -= 1
        } else if d != 0 {
          truncated = true
        }
        i += 1
      }
    }
    guard sawDigit else { return parseInfinity(start, count: count, signLength: i) }
    // Exponent.
    if i < count && (start[i] | 0x20) == UInt8(ascii: "e") {
      i += 1
      var negativeExponent = false
      if i < count && (start[i] == UInt8(ascii: "-") || start[i] == UInt8(ascii: "+")) {
        negativeExponent = start[i] == UInt8(ascii: "-")
        i += 1
      }
      var value = 0
      var sawExponentDigit = false
      while i < count {
        let d = start[i] &- UInt8(ascii: "0")
        if d > 9 { break }
        sawExponentDigit = true
        if value < 100_000 { value = value * 10 + Int(d) }
        i += 1
      }
      guard sawExponentDigit else { return nil }
      exponent10 += negativeExponent ? -value : value
    }
    guard i == count else { return nil }

    if mantissa == 0 && !truncated { return negative ? -0.0 : 0.0 }
    if !truncated && mantissa <= maxExactMantissa {
      var value = Double(mantissa)
      if exponent10 >= 0 && exponent10 <= 22 {
        value *= powersOfTen[exponent10]
        return negative ? -value : value
      }
      if exponent10 < 0 && exponent10 >= -22 {
        value /= powersOfTen[-exponent10]
        return negative ? -value : value
      }
    }
    return slowPath(start, count: count)
  }

  /// `inf`/`infinity` (any case) after an optional sign of `signLength` bytes.
  private static func parseInfinity(
    _ start: UnsafePointer<UInt8>, count: Int, signLength: Int
  ) -> Double? {
    let letters = count - signLength
    guard letters == 3 || letters == 8 else { return nil }
    for k in 0..<letters where start[signLength + k] | 0x20 != infinityWord[k] { return nil }
    return signLength == 1 && start[0] == UInt8(ascii: "-") ? -.infinity : .infinity
  }

  /// Correctly rounded conversion by the standard library, for text the fast path cannot take.
  private static func slowPath(_ start: UnsafePointer<UInt8>, count: Int) -> Double? {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    return Double(text)
  }

  /// The value of `text` under the same grammar (for tests).
  /// - Parameter text: The cell text.
  /// - Returns: The value, or nil when `text` is not a number.
  package static func parse(_ text: String) -> Double? {
    var copy = text
    return copy.withUTF8 { buffer in
      guard let base = buffer.baseAddress else { return nil }
      return parse(base, count: buffer.count)
    }
  }
}
