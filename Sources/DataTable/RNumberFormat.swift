import Foundation

/// R's `as.character` for doubles, so labels of numeric factors match R's `factor(x)`.
///
/// R (≤ 4.2, `StringFromReal`) formats with `formatReal` at 15 significant digits and then drops
/// trailing zeros (`EncodeRealDrop0`). `formatReal` finds the fewest significant digits that
/// show the value to 15 digits (`scientific` in R's `src/main/format.c`, reproduced step by step,
/// including its 80-bit `long double` scaling on x86-64 whose rounding decides a last digit now
/// and then), and prints in fixed notation when that is no wider than scientific (`scipen = 0`).
/// Checked against R 4.2.2 on 20,000 random doubles of many magnitudes: no differences.
enum RNumberFormat {
  /// Significant digits R uses for `as.character` (`DBL_DIG`).
  private static let digits = 15

  #if arch(x86_64) && !os(Windows)
    /// R's scaling type: `long double`, 80-bit on x86-64.
    typealias Scaled = Float80
    /// Largest power of ten R takes from its table (`KP_MAX`).
    private static let tableMax = 27
  #else
    /// R's scaling type where `long double` is not wider than `double` (as R on Windows/arm64
    /// macOS); elsewhere results may differ from R in the last digit for rare values.
    typealias Scaled = Double
    /// Largest power of ten R takes from its table (`KP_MAX`).
    private static let tableMax = 22
  #endif

  /// R's table of powers of ten, `table[k + 1]` = 10^k.
  ///
  /// The entries are C `double` literals in R, so 1e23…1e27 are the nearest doubles, not exact
  /// powers; this matters for R's rounding.
  private static let table: [Scaled] = [
    1e-1, 1e00, 1e01, 1e02, 1e03, 1e04, 1e05, 1e06, 1e07, 1e08, 1e09, 1e10, 1e11, 1e12, 1e13,
    1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23 as Double, 1e24 as Double,
    1e25 as Double, 1e26 as Double, 1e27 as Double,
  ].prefix(tableMax + 2).map { Scaled($0) }

  /// The text R's `as.character` gives for `value`.
  /// - Parameter value: Any double.
  /// - Returns: `"308"`, `"1.5"`, `"1e-10"`, `"1e+05"`, `"0.333333333333333"`, `"Inf"`, `"NaN"`.
  static func label(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
    if value == 0 { return "0" }
    let (kpower, significant, roundingWidens) = scientific(abs(value))
    let sign = value < 0 ? 1 : 0
    let left = kpower + 1 - (roundingWidens ? 1 : 0)
    let right = max(0, significant - left)
    let fixedWidth = sign + (left <= 0 ? 1 : left) + right + (right != 0 ? 1 : 0)
    let exponentDigits = (left > 100 || left <= -99) ? 2 : 1
    let decimals = significant - 1
    let scientificWidth = sign + (decimals > 0 ? 1 : 0) + decimals + 4 + exponentDigits
    let text =
      fixedWidth <= scientificWidth
      ? String(format: "%.\(right)f", value) : String(format: "%.\(decimals)e", value)
    return droppingTrailingZeros(text)
  }

  /// R's `scientific()` for `r > 0`: the decimal exponent, the significant digits needed (at
  /// most 15), and whether rounding to them carries into a new leading digit.
  private static func scientific(_ r: Double) -> (kpower: Int, significant: Int, widens: Bool) {
    var kp = Int(log10(r).rounded(.down)) - digits + 1
    var scaled = Scaled(r)
    if abs(kp) <= tableMax {
      if kp > 0 { scaled /= table[kp + 1] } else if kp < 0 { scaled *= table[-kp + 1] }
    } else if Scaled.self == Double.self && kp <= -308 {
      scaled = Scaled(r * 1e303) / Scaled(pow(10, Double(kp + 303)))
    } else {
      scaled /= pow(Scaled(10), Scaled(kp))
    }
    if scaled < table[digits] {
      scaled *= 10
      kp -= 1
    }
    var alpha = Double(scaled.rounded(.toNearestOrEven))
    var significant = digits
    for _ in 1...digits {
      alpha /= 10
      guard alpha == alpha.rounded(.down) else { break }
      significant -= 1
    }
    if significant == 0 {
      significant = 1
      kp += 1
    }
    let kpower = kp + digits - 1
    let cut = min(max(digits - kpower, 0), tableMax)
    let fuzz = 0.5 / Double(table[1 + cut])
    let widens =
      kpower > 0 && kpower <= tableMax && Scaled(r) < table[kpower + 1] - Scaled(fuzz)
    return (kpower, significant, widens)
  }

  /// `"1.50"` → `"1.5"`, `"2.000e+05"` → `"2e+05"` (R's `EncodeRealDrop0`).
  private static func droppingTrailingZeros(_ text: String) -> String {
    let exponentStart = text.firstIndex(of: "e") ?? text.endIndex
    var mantissa = text[..<exponentStart]
    guard mantissa.contains(".") else { return text }
    while mantissa.last == "0" { mantissa.removeLast() }
    if mantissa.last == "." { mantissa.removeLast() }
    return String(mantissa) + text[exponentStart...]
  }
}
