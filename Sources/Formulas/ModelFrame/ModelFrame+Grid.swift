import LinearAlgebra

/// The value of one predictor at a point of a reference grid: a number, or a level of a factor.
public enum GridValue: Sendable, Hashable {
  /// A numeric covariate's value.
  case number(Double)
  /// A categorical variable's level label.
  case level(String)
}

// MARK: - Design rows at arbitrary predictor values (reference grids, type III hypotheses)

extension ModelFrame {
  /// Names of the variables of the fixed-effects terms, in first-appearance order
  /// (`Formula.fixedVariableNames`).
  public var fixedVariableNames: [String] { formula.fixedVariableNames }

  /// Whether `variable` is categorical in this frame.
  /// - Parameter variable: A variable name.
  /// - Returns: `true` when the frame codes it as a factor.
  public func isCategorical(_ variable: String) -> Bool { factorLevels[variable] != nil }

  /// Rows of the fixed-effects model matrix at given predictor values, coded exactly as `X`.
  ///
  /// Each point assigns every fixed-effect variable a value; the rows are what `X` would hold
  /// for observations with those values. Used for reference grids (estimated marginal means).
  /// - Parameter points: One dictionary per row: variable → value.
  /// - Returns: `kept` (columns of `X`, i.e. `fixedEffectNames`) and `full` (every column
  ///   before rank-deficient ones were dropped, named by `fullNames`).
  /// - Throws: `FormulaError.unknownVariable` when a point lacks a variable or names an unknown
  ///   level.
  public func designRows(at points: [[String: GridValue]]) throws -> (
    kept: Matrix, full: Matrix, fullNames: [String]
  ) {
    let values = try gridValues(points)
    let builder = try ModelMatrixBuilder(
      terms: formula.fixedTerms, intercept: formula.hasIntercept, rowCount: points.count,
      values: values)
    let full = Self.write(builder)
    let index = Dictionary(
      builder.names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let kept = full.selectingColumns(fixedEffectNames.compactMap { index[$0] })
    return (kept, full, builder.names)
  }

  /// The full indicator coding of one fixed term (R's `model.matrix(~ 0 + term)`): every
  /// level of every factor in the term, times its numeric variables.
  /// - Parameters:
  ///   - term: A fixed term of the formula.
  ///   - points: Predictor values, one dictionary per row.
  /// - Returns: The matrix and its column names.
  /// - Throws: `FormulaError.unknownVariable` as `designRows(at:)`.
  public func indicatorDesign(
    of term: Term, at points: [[String: GridValue]]
  ) throws -> (matrix: Matrix, names: [String]) {
    let values = try gridValues(points)
    let builder = try ModelMatrixBuilder(
      terms: [term], intercept: false, rowCount: points.count, values: values)
    return (Self.write(builder), builder.names)
  }

  private static func write(_ builder: ModelMatrixBuilder) -> Matrix {
    var m = Matrix(rows: builder.rowCount, columns: builder.columnCount)
    m.storage.withUnsafeMutableBufferPointer { x in
      guard let base = x.baseAddress else { return }
      for j in 0..<builder.columnCount {
        builder.write(column: j, to: base + j * builder.rowCount, stride: 1)
      }
    }
    return m
  }

  private func gridValues(_ points: [[String: GridValue]]) throws -> [String: VariableValues] {
    var values = [String: VariableValues]()
    for variable in fixedVariableNames {
      if let levels = factorLevels[variable] {
        var codes = [Int32]()
        codes.reserveCapacity(points.count)
        for point in points {
          guard case .level(let label) = point[variable],
            let code = levels.firstIndex(of: label)
          else {
            throw FormulaError.unknownVariable(
              name: variable, source: "reference grid", suggestion: nil)
          }
          codes.append(Int32(code))
        }
        values[variable] = .factor(FactorValues(levels: levels, codes: codes))
      } else {
        var numbers = [Double]()
        numbers.reserveCapacity(points.count)
        for point in points {
          guard case .number(let x) = point[variable] else {
            throw FormulaError.unknownVariable(
              name: variable, source: "reference grid", suggestion: nil)
          }
          numbers.append(x)
        }
        values[variable] = .numeric(numbers)
      }
    }
    return values
  }
}
