/// A categorical variable restricted to the rows a model uses, with unused levels dropped.
struct FactorValues {
  /// Level labels, reference (contrast baseline) first.
  let levels: [String]
  /// Index into `levels` for each used row.
  let codes: [Int32]
}

/// One variable's values on the rows used: a number per row, or a factor.
enum VariableValues {
  /// Numeric values (all finite).
  case numeric([Double])
  /// A factor.
  case factor(FactorValues)
}

/// The model matrix R's `model.matrix` builds for terms over the used rows.
///
/// Column naming and coding follow R (`src/library/stats/src/model.c`, `TermCode` and
/// `modelmatrix`): a factor F in term T is coded by treatment contrasts (one column per
/// non-reference level, `armB`) when T without F is empty or contained in a term before T,
/// otherwise by indicators of all its levels (`armA`); with no intercept, the first factor of the
/// first term that has one is coded by indicators. Columns of an interaction multiply, the first
/// variable varying fastest, names joined by `:`.
struct ModelMatrixBuilder {
  /// Column names, `(Intercept)` first when there is one.
  private(set) var names: [String] = []
  /// Columns, each with one value per used row.
  var columns: [[Double]] = []
  /// For each column: 0 for the intercept, k for `terms[k - 1]` (R's `assign`).
  private(set) var assign: [Int] = []

  /// Builds the columns.
  /// - Parameters:
  ///   - terms: Terms in R's order.
  ///   - intercept: Whether to include the intercept.
  ///   - rowCount: Number of used rows.
  ///   - values: Each variable's values on the used rows.
  /// - Throws: `FormulaError.singleLevelFactor` for a factor with one level (R refuses to set
  ///   contrasts on it, however it would be coded).
  init(
    terms: [Term], intercept: Bool, rowCount: Int, values: [String: VariableValues]
  ) throws {
    if intercept {
      names.append("(Intercept)")
      columns.append([Double](repeating: 1, count: rowCount))
      assign.append(0)
    }
    let flags = Self.contrastFlags(terms: terms, intercept: intercept) {
      if case .factor = values[$0] { return true }
      return false
    }
    for (t, term) in terms.enumerated() {
      var parts: [[(name: String, column: [Double])]] = []
      for (k, variable) in term.variables.enumerated() {
        guard let value = values[variable] else {
          preconditionFailure("No values for variable '\(variable)'")
        }
        parts.append(try Self.columns(of: variable, value, contrasts: flags[t][k]))
      }
      for (name, column) in Self.products(parts, rowCount: rowCount) {
        names.append(name)
        columns.append(column)
        assign.append(t + 1)
      }
    }
  }

  /// For each term and each of its variables: `true` for contrasts, `false` for indicators.
  static func contrastFlags(
    terms: [Term], intercept: Bool, isFactor: (String) -> Bool
  ) -> [[Bool]] {
    let sets = terms.map { Set($0.variables) }
    var flags = terms.enumerated().map { j, term in
      term.variables.map { variable in
        let rest = sets[j].subtracting([variable])
        return rest.isEmpty || sets[..<j].contains { rest.isSubset(of: $0) }
      }
    }
    if !intercept {
      search: for (j, term) in terms.enumerated() {
        for (k, variable) in term.variables.enumerated() where isFactor(variable) {
          flags[j][k] = false
          break search
        }
      }
    }
    return flags
  }

  /// The columns one variable contributes to a term.
  private static func columns(
    of variable: String, _ value: VariableValues, contrasts: Bool
  ) throws -> [(name: String, column: [Double])] {
    let prefix = deparsedName(variable)
    switch value {
    case .numeric(let numbers):
      return [(prefix, numbers)]
    case .factor(let factor):
      if factor.levels.count < 2 {
        throw FormulaError.singleLevelFactor(name: variable, level: factor.levels.first ?? "")
      }
      let used = contrasts ? Array(1..<factor.levels.count) : Array(factor.levels.indices)
      return used.map { level in
        let code = Int32(level)
        return (prefix + factor.levels[level], factor.codes.map { $0 == code ? 1 : 0 })
      }
    }
  }

  /// All products of one column per variable, the first variable varying fastest.
  private static func products(
    _ parts: [[(name: String, column: [Double])]], rowCount: Int
  ) -> [(name: String, column: [Double])] {
    var out: [(name: String, column: [Double])] = [("", [Double](repeating: 1, count: rowCount))]
    var first = true
    for part in parts {
      var next: [(name: String, column: [Double])] = []
      for piece in part {
        for existing in out {
          let name = first ? piece.name : existing.name + ":" + piece.name
          var column = existing.column
          for i in 0..<rowCount { column[i] *= piece.column[i] }
          next.append((name, column))
        }
      }
      out = next
      first = false
    }
    return out
  }
}
