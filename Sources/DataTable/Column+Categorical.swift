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
    var levelOf: [String: Int32] = [:]
    var codeOf: [Double: Int32] = [:]
    codeOf.reserveCapacity(distinct.count)
    for value in distinct {
      let label = RNumberFormat.label(value)
      if levelOf[label] == nil {
        levelOf[label] = Int32(levels.count)
        levels.append(label)
      }
      codeOf[value] = levelOf[label]
    }
    let codes = numeric.numbers.map { $0.isNaN ? -1 : codeOf[$0] ?? -1 }
    return Column(name: numeric.name, codes: codes, levels: levels)
  }
}
