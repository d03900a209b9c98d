import DataTable
import Foundation

/// A categorical view of a numeric column, as R's `factor()` makes one: levels are the distinct
/// values in increasing order, labelled as `as.character` prints them (15 significant digits:
/// `308`, `1.5`, `1e+05`).
///
/// Temporary: `Table.categorical(from:)` in DataTable replaces this once it lands.
/// - Parameter column: A numeric column (`.nan` = missing).
/// - Returns: Codes per row (`-1` for missing) and the level labels.
func categoricalView(ofNumeric column: Column) -> (codes: [Int32], levels: [String]) {
  let distinct = Set(column.numbers.filter { !$0.isNaN }).sorted()
  var levels: [String] = []
  var indexOfLabel: [String: Int32] = [:]
  var indexOfValue: [Double: Int32] = [:]
  for value in distinct {
    let label = rNumberLabel(value)
    if let index = indexOfLabel[label] {
      indexOfValue[value] = index
    } else {
      indexOfLabel[label] = Int32(levels.count)
      indexOfValue[value] = Int32(levels.count)
      levels.append(label)
    }
  }
  let codes = column.numbers.map { $0.isNaN ? -1 : indexOfValue[$0] ?? -1 }
  return (codes, levels)
}

/// `value` as R's `as.character` prints a double: the fewest significant digits (at most 15)
/// that give the value to 15 digits, in fixed notation unless scientific is shorter.
func rNumberLabel(_ value: Double) -> String {
  if value.isNaN { return "NaN" }
  if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
  if value == 0 { return "0" }
  // "d.dddddddddddddde±x" gives the 15 significant digits and the exponent.
  let scientific = String(format: "%.14e", value)
  guard let e = scientific.firstIndex(of: "e"),
    let exponent = Int(scientific[scientific.index(after: e)...])
  else { return scientific }
  var mantissa = scientific[..<e].filter { $0.isNumber }
  while mantissa.count > 1, mantissa.last == "0" { mantissa.removeLast() }
  let significant = mantissa.count
  let sign = value < 0 ? 1 : 0
  let decimals = max(0, significant - 1 - exponent)
  let fixedWidth = sign + (exponent >= 0 ? exponent + 1 : 1) + (decimals > 0 ? decimals + 1 : 0)
  let exponentDigits = max(2, String(abs(exponent)).count)
  let scientificWidth = sign + significant + (significant > 1 ? 1 : 0) + 2 + exponentDigits
  if fixedWidth <= scientificWidth { return String(format: "%.\(decimals)f", value) }
  let digits = Array(mantissa)
  let body = significant > 1 ? String(digits[0]) + "." + String(digits[1...]) : String(digits[0])
  let exponentText = String(abs(exponent))
  let padded = String(repeating: "0", count: max(0, 2 - exponentText.count)) + exponentText
  return (sign == 1 ? "-" : "") + body + "e" + (exponent < 0 ? "-" : "+") + padded
}
