/// Fixed-point number text for SVG coordinates and axis labels, written digit by digit so the
/// bytes are the same on every platform and locale.
public enum SVGNumber {
  /// `value` rounded half away from zero to `decimals` decimals, trailing zeros kept
  /// (`fixed(2.5, decimals: 2)` = `2.50`); `-0.00` is written `0.00`.
  /// - Parameters:
  ///   - value: A finite number.
  ///   - decimals: Digits after the point (0–12).
  /// - Returns: The text; `NaN`/`Inf` for non-finite values.
  public static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "Inf" : "-Inf") }
    let d = min(max(decimals, 0), 12)
    let scale = NiceScale.pow10(d)
    let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
    guard scaled < 9e15 else { return String(value) }
    let units = UInt64(scaled)
    var digits = String(units)
    if d > 0 {
      if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
      digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
    }
    return value < 0 && units != 0 ? "-" + digits : digits
  }

  /// A coordinate: two decimals, trailing zeros and a trailing point dropped (`12.5`, `3`).
  /// - Parameter value: A finite number.
  /// - Returns: The text.
  public static func coordinate(_ value: Double) -> String {
    var text = fixed(value, decimals: 2)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }
}
