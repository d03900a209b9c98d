import Foundation

/// Number formatting that reproduces how R prints numbers in model summaries, so that
/// Trajectory's console output reads digit for digit like lme4's.
///
/// R formats a numeric *vector* with one common number of decimals: the fewest that show
/// every element to `digits` significant digits (trailing zeros after rounding do not count).
public enum RNumberFormat {
  /// R's `format(x, digits = digits)` for a vector in fixed notation: common decimals, each
  /// element right-aligned to a common width.
  /// - Parameters:
  ///   - values: The numbers (NaN prints as `NaN`, ±∞ as `Inf`/`-Inf`).
  ///   - digits: Significant digits (R's `digits`).
  ///   - minimumDecimals: R's `nsmall`: at least this many decimals.
  /// - Returns: Equal-width strings.
  public static func format(_ values: [Double], digits: Int, minimumDecimals: Int = 0) -> [String] {
    let decimals = max(
      minimumDecimals, values.map { decimalsNeeded($0, digits: digits) }.max() ?? 0)
    let strings = values.map { fixed($0, decimals: decimals) }
    let width = strings.map(\.count).max() ?? 0
    return strings.map { String(repeating: " ", count: width - $0.count) + $0 }
  }

  /// R's `round(x, digits)`: the decimal with `decimals` places nearest to the exact binary
  /// value of `x` (R ≥ 4.0 chooses between the two neighbouring candidates this way).
  /// - Parameters:
  ///   - x: The number.
  ///   - decimals: Decimal places (may be negative).
  /// - Returns: The rounded number.
  public static func round(_ x: Double, _ decimals: Int) -> Double {
    guard x.isFinite else { return x }
    if decimals >= 0 {
      return Double(String(format: "%.\(decimals)f", x)) ?? x
    }
    let scale = Foundation.pow(10, Double(-decimals))
    return (x / scale).rounded() * scale
  }

  /// Decimals needed to show `x` to `digits` significant digits, trailing zeros removed.
  /// - Parameters:
  ///   - x: The number.
  ///   - digits: Significant digits.
  /// - Returns: A count ≥ 0.
  public static func decimalsNeeded(_ x: Double, digits: Int) -> Int {
    guard x.isFinite, x != 0 else { return 0 }
    // %.*e gives the mantissa digits after rounding to `digits` significant digits.
    let text = String(format: "%.\(max(0, digits - 1))e", x)
    guard let eIndex = text.firstIndex(of: "e"),
      let exponent = Int(text[text.index(after: eIndex)...])
    else { return 0 }
    var mantissa = text[..<eIndex].filter { $0.isNumber }
    while mantissa.count > 1 && mantissa.hasSuffix("0") { mantissa.removeLast() }
    return max(0, mantissa.count - 1 - exponent)
  }

  /// Fixed notation with exactly `decimals` decimals.
  /// - Parameters:
  ///   - x: The number.
  ///   - decimals: Decimal places.
  /// - Returns: The text (`NaN`, `Inf`, `-Inf` for non-finite values, as R prints them).
  public static func fixed(_ x: Double, decimals: Int) -> String {
    if x.isNaN { return "NaN" }
    if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
    let s = String(format: "%.\(decimals)f", x)
    // R prints a negative zero after rounding as 0.
    if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(s.dropFirst())
    }
    return s
  }

  /// R's `abbreviate(name, minlength)`: drop lower-case vowels from the right (never the
  /// first character), then lower-case letters from the right, then truncate.
  /// - Parameters:
  ///   - name: The name.
  ///   - minimumLength: Target length.
  /// - Returns: The abbreviation.
  public static func abbreviate(_ name: String, minimumLength: Int) -> String {
    var chars = Array(name)
    if chars.count <= minimumLength { return name }
    let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
    func drop(where predicate: (Character) -> Bool) {
      var i = chars.count - 1
      while chars.count > minimumLength && i > 0 {
        if predicate(chars[i]) { chars.remove(at: i) }
        i -= 1
      }
    }
    drop { vowels.contains($0) }
    drop { $0.isLowercase }
    if chars.count > minimumLength { chars = Array(chars.prefix(minimumLength)) }
    return String(chars)
  }
}
