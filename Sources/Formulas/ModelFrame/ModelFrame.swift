import DataTable
import LinearAlgebra

/// Everything a mixed-model fit needs from the data, laid out as lme4's `lFormula` lays it out:
/// the response y, the fixed-effects model matrix X, and one block of Z per random-effects term.
///
/// Built from a `Formula` and a `Table`: rows with a missing value in any variable the formula
/// names are dropped; categorical variables are coded by treatment contrasts or indicators as R's
/// `model.matrix` codes them; columns of X that are linearly dependent on earlier ones are
/// dropped as lme4's `chkRank.drop.cols` does; random-effects terms are ordered by decreasing
/// number of levels as lme4's `mkReTrms` orders them. Names (`armB`, `week:armB`,
/// `cask:batch`, `Subject.1`) are those lme4 prints.
///
/// Invariants: `response.count == rowsUsed.count == X.rows`; `X.columns ==
/// fixedEffectNames.count`; `rowsUsed.count + rowsDropped == rowsRead`.
public struct ModelFrame: Sendable {
  /// The formula the frame was built from.
  public let formula: Formula
  /// The response on the rows used, in table order.
  public let response: [Double]
  /// Prior weights (`ModelFrameOptions.weights`) on the rows used, or nil.
  public let weights: [Double]?
  /// The offset (`ModelFrameOptions.offset`) on the rows used, or nil.
  public let offset: [Double]?
  /// The response variable's name.
  public let responseName: String
  // swift-format-ignore: AlwaysUseLowerCamelCase
  /// The fixed-effects model matrix (n × p, column-major), after rank-deficient columns were
  /// dropped.
  public let X: Matrix
  /// Names of the columns of `X`, as lme4 prints them: `(Intercept)`, `week`, `armB`,
  /// `week:armB`.
  public let fixedEffectNames: [String]
  /// Names of the columns dropped because they are linear combinations of earlier ones.
  public let droppedFixedEffectNames: [String]
  /// For each column of `X`: 0 for the intercept, k for `formula.fixedTerms[k - 1]` (R's
  /// `assign`), for tests of whole terms.
  public let fixedEffectAssign: [Int]
  /// Levels, reference first, of each categorical variable coded in X or in a random-effects
  /// term, restricted to the rows used.
  public let factorLevels: [String: [String]]
  /// The random-effects terms, most levels first (ties in formula order unless lme4 reorders).
  public let randomTerms: [RandomTerm]
  /// The residual covariance term on the rows used (`us(visit | subject)`, …), if any.
  public let covariance: CovarianceFrame?
  /// Index in the table of each row dropped, ascending.
  ///
  /// Only the dropped rows are stored (often none), not one index per row used.
  public let droppedRows: [Int]
  /// Number of rows in the table.
  public let rowsRead: Int
  /// Rows dropped for a missing value in some variable the model uses.
  public let rowsDropped: Int
  /// Missing values per variable, for variables that have any; a row missing two variables
  /// counts in both, and once in `rowsDropped`.
  public let droppedByColumn: [String: Int]
  /// Things the user should know about how the data were read: numeric grouping variables
  /// treated as categorical, columns read as categorical because of a non-number, fixed-effect
  /// columns dropped for rank deficiency (in lme4's words).
  public let notes: [FrameNote]

  /// Builds the model frame of `formula` on `table`.
  /// - Parameters:
  ///   - formula: The model formula.
  ///   - table: The data.
  ///   - options: Reference levels, variables to treat as categorical, and whether random
  ///     effects are required.
  /// - Throws: `FormulaError` for bad data or an unidentifiable model (see its cases);
  ///   `LinearAlgebraError` if the rank computation fails.
  /// - Complexity: O(n·p² + n·Σq) for n rows used, p fixed-effect and q random-effect columns.
  public init(
    formula: Formula, table: consuming Table, options: ModelFrameOptions = ModelFrameOptions()
  ) throws {
    if options.requiresRandomEffects && formula.randomTerms.isEmpty {
      throw FormulaError.noRandomEffects(formula: formula.text)
    }
    // The table ends with this call: when the caller passed its last reference (`consume`),
    // its columns are freed before X is built.
    let (data, rowsRead) = try Self.modelData(formula: formula, table: table, options: options)
    let random = try Self.randomTerms(formula: formula, data: data)
    let fixed = try Self.fixedDesign(formula: formula, data: data)

    self.formula = formula
    self.response = data.response
    self.weights = data.weights
    self.offset = data.offset
    self.responseName = formula.responseName
    self.X = fixed.matrix
    self.fixedEffectNames = fixed.names
    self.droppedFixedEffectNames = fixed.dropped
    self.fixedEffectAssign = fixed.assign
    var factorLevels: [String: [String]] = [:]
    for (name, value) in data.predictorValues {
      if case .factor(let factor) = value { factorLevels[name] = factor.levels }
    }
    self.factorLevels = factorLevels
    self.randomTerms = random
    self.covariance = data.covariance
    self.droppedRows = Self.complement(data.rowsUsed, upTo: rowsRead)
    self.rowsRead = rowsRead
    self.rowsDropped = rowsRead - data.rowsUsed.count
    self.droppedByColumn = data.droppedByColumn
    self.notes = data.notes + fixed.notes
  }

  private static func modelData(
    formula: Formula, table: consuming Table, options: ModelFrameOptions
  ) throws -> (ModelData, rowsRead: Int) {
    let rowsRead = table.rowCount
    return (try ModelData(formula: formula, table: table, options: options), rowsRead)
  }

  /// Index in the table of each row used, ascending (computed on each access).
  public var rowsUsed: [Int] { Self.complement(droppedRows, upTo: rowsRead) }

  /// The indices in `0..<count` missing from the ascending `subset`.
  private static func complement(_ subset: [Int], upTo count: Int) -> [Int] {
    var missing = [Int]()
    var next = 0
    for row in 0..<count {
      if next < subset.count && subset[next] == row {
        next += 1
      } else {
        missing.append(row)
      }
    }
    return missing
  }

  /// The number of observations used, n.
  public var observationCount: Int { response.count }
}
