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
  /// One factor of a column: a numeric variable, or the indicator of one level of a factor.
  private enum Factor {
    case numeric([Double])
    case indicator(codes: [Int32], level: Int32)
  }

  /// Column names, `(Intercept)` first when there is one.
  private(set) var names: [String] = []
  /// For each column: 0 for the intercept, k for `terms[k - 1]` (R's `assign`).
  private(set) var assign: [Int] = []
  /// Each column as the product of its factors (none for the intercept).
  ///
  /// Columns are written on demand into the caller's storage, so the model matrix is never held
  /// twice.
  private var recipes: [[Factor]] = []
  /// Number of used rows.
  let rowCount: Int

  /// Plans the columns.
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
    self.rowCount = rowCount
    if intercept {
      names.append("(Intercept)")
      recipes.append([])
      assign.append(0)
    }
    let flags = Self.contrastFlags(terms: terms, intercept: intercept) {
      if case .factor = values[$0] { return true }
      return false
    }
    for (t, term) in terms.enumerated() {
      var parts: [[(name: String, factor: Factor)]] = []
      for (k, variable) in term.variables.enumerated() {
        guard let value = values[variable] else {
          preconditionFailure("No values for variable '\(variable)'")
        }
        parts.append(try Self.factors(of: variable, value, contrasts: flags[t][k]))
      }
      for (name, recipe) in Self.products(parts) {
        names.append(name)
        recipes.append(recipe)
        assign.append(t + 1)
      }
    }
  }

  /// The number of columns.
  var columnCount: Int { recipes.count }

  /// Writes column `j` to `out[0]`, `out[stride]`, …, `out[(rowCount - 1) * stride]`.
  func write(column j: Int, to out: UnsafeMutablePointer<Double>, stride: Int) {
    for i in 0..<rowCount { out[i * stride] = 1 }
    for factor in recipes[j] {
      switch factor {
      case .numeric(let numbers):
        numbers.withUnsafeBufferPointer { x in
          for i in 0..<rowCount { out[i * stride] *= x[i] }
        }
      case .indicator(let codes, let level):
        codes.withUnsafeBufferPointer { c in
          for i in 0..<rowCount where c[i] != level { out[i * stride] = 0 }
        }
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

  /// The factors one variable contributes to a term's columns, with their names.
  private static func factors(
    of variable: String, _ value: VariableValues, contrasts: Bool
  ) throws -> [(name: String, factor: Factor)] {
    let prefix = deparsedName(variable)
    switch value {
    case .numeric(let numbers):
      return [(prefix, .numeric(numbers))]
    case .factor(let factor):
      if factor.levels.count < 2 {
        throw FormulaError.singleLevelFactor(name: variable, level: factor.levels.first ?? "")
      }
      let used = contrasts ? Array(1..<factor.levels.count) : Array(factor.levels.indices)
      return used.map { level in
        (prefix + factor.levels[level], .indicator(codes: factor.codes, level: Int32(level)))
      }
    }
  }

  /// All products of one factor per variable, the first variable varying fastest.
  private static func products(
    _ parts: [[(name: String, factor: Factor)]]
  ) -> [(name: String, recipe: [Factor])] {
    var out: [(name: String, recipe: [Factor])] = [("", [])]
    var first = true
    for part in parts {
      var next: [(name: String, recipe: [Factor])] = []
      for piece in part {
        for existing in out {
          let name = first ? piece.name : existing.name + ":" + piece.name
          next.append((name, existing.recipe + [piece.factor]))
        }
      }
      out = next
      first = false
    }
    return out
  }
}
