import Foundation

// MARK: - Numeric to categorical

extension Column {
  /// The categorical version of a numeric column, as R's `factor(x)` makes it.
  ///
  /// Levels are the distinct non-missing values in numeric order, labelled as R's
  /// `as.character` prints a double (15 significant digits; fixed notation unless scientific
  /// is shorter): `308`, `1.5`, `0.1`, `1e-10`, `1e+05`, `Inf`. Values that print alike
  /// (`0.3` and `0.1 + 0.2`) share a level, as in R. Missing values (`.nan`) get code `-1`.
  ///
  /// Use it when a grouping variable was stored as numbers (site 101, 102, …).
  /// - Parameter numeric: A numeric column; a categorical column is returned unchanged.
  /// - Returns: A categorical column with the same name and rows.
  /// - Complexity: O(n log n) in the number of rows.
  public static func categorical(from numeric: Column) -> Column {
    guard numeric.kind == .numeric else { return numeric }
    let distinct = Set(numeric.numbers.lazy.filter { !$0.isNaN }).sorted()
    var levels: [String] = []
    var codeOf: [Double: Int32] = [:]
    codeOf.reserveCapacity(distinct.count)
    for value in distinct {
      let label = rLabel(value)
      if levels.last != label { levels.append(label) }
      codeOf[value] = Int32(levels.count - 1)
    }
    let codes = numeric.numbers.map { $0.isNaN ? -1 : codeOf[$0] ?? -1 }
    return Column(name: numeric.name, codes: codes, levels: levels)
  }

  /// The text R's `as.character` gives for a double.
  ///
  /// R (`formatReal` with 15 digits) prints the value with the fewest significant digits, at
  /// most 15, that show it to 15 digits, in fixed notation when that is no wider than
  /// scientific notation (`scipen = 0`), else as `d.ddde±XX`.
  /// - Parameter value: Any double.
  /// - Returns: `"308"`, `"1.5"`, `"1e-10"`, `"1e+05"`, `"Inf"`, `"-Inf"`, `"NaN"`.
  static func rLabel(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
    if value == 0 { return "0" }
    // "-d.dddddddddddddde±XX": 15 significant digits, correctly rounded by the C library.
    let scientific = String(format: "%.14e", value)
    let negative = value < 0
    let parts = scientific.split(separator: "e")
    guard parts.count == 2, let power = Int(parts[1]) else { return scientific }
    var digits = Array(parts[0].filter(\.isNumber))
    while digits.count > 1 && digits.last == "0" { digits.removeLast() }
    let significant = digits.count
    let sign = negative ? 1 : 0

    let right = max(0, significant - power - 1)
    let fixedWidth = sign + (power >= 1 ? power + 1 : 1) + (right > 0 ? right + 1 : 0)
    let exponentDigits = abs(power) >= 100 ? 3 : 2
    let scientificWidth = sign + (significant > 1 ? significant : 1) + 2 + exponentDigits
    if fixedWidth <= scientificWidth {
      return String(format: "%.\(right)f", value)
    }
    var text = negative ? "-" : ""
    text.append(digits[0])
    if significant > 1 {
      text.append(".")
      text.append(contentsOf: digits[1...])
    }
    let magnitude = String(abs(power))
    text += (power < 0 ? "e-" : "e+") + String(repeating: "0", count: max(0, 2 - magnitude.count))
    text += magnitude
    return text
  }
}
