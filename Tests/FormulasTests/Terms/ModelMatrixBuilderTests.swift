import Testing

@testable import Formulas

/// The 24-row design used in R to read off `colnames(model.matrix(f, d))`:
/// `week = rep(0:3, 6)`, `arm = factor(rep(c("A","B","C"), each = 8))`,
/// `sex = factor(rep(c("F","M"), 12))`, `x`, `z` numeric; two more columns with non-syntactic
/// names.
private func variables() -> [String: VariableValues] {
  let n = 24
  let week = (0..<n).map { Double($0 % 4) }
  let arm = FactorValues(levels: ["A", "B", "C"], codes: (0..<n).map { Int32($0 / 8) })
  let sex = FactorValues(levels: ["F", "M"], codes: (0..<n).map { Int32($0 % 2) })
  let x = (0..<n).map { Double($0) * 0.37 - 2 }
  return [
    "week": .numeric(week), "arm": .factor(arm), "sex": .factor(sex), "x": .numeric(x),
    "z": .numeric(x.map { $0 * $0 }), "pain score": .numeric(x), "my arm": .factor(arm),
  ]
}

/// Column names R 4.2.2's `model.matrix` gives on that data, checked with Rscript.
private let rColumnNames: [(formula: String, names: [String])] = [
  ("y ~ arm*week", ["(Intercept)", "armB", "armC", "week", "armB:week", "armC:week"]),
  ("y ~ week*arm", ["(Intercept)", "week", "armB", "armC", "week:armB", "week:armC"]),
  ("y ~ 0 + arm", ["armA", "armB", "armC"]),
  ("y ~ week:arm", ["(Intercept)", "week:armA", "week:armB", "week:armC"]),
  (
    "y ~ arm:sex",
    ["(Intercept)", "armA:sexF", "armB:sexF", "armC:sexF", "armA:sexM", "armB:sexM", "armC:sexM"]
  ),
  (
    "y ~ 0 + arm:sex",
    ["armA:sexF", "armB:sexF", "armC:sexF", "armA:sexM", "armB:sexM", "armC:sexM"]
  ),
  ("y ~ arm + arm:sex", ["(Intercept)", "armB", "armC", "armA:sexM", "armB:sexM", "armC:sexM"]),
  (
    "y ~ sex + arm:sex",
    ["(Intercept)", "sexM", "sexF:armB", "sexM:armB", "sexF:armC", "sexM:armC"]
  ),
  ("y ~ 0 + week + arm", ["week", "armA", "armB", "armC"]),
  ("y ~ 0 + week + arm + sex", ["week", "armA", "armB", "armC", "sexM"]),
  ("y ~ 0 + week:arm + sex", ["sexF", "sexM", "week:armA", "week:armB", "week:armC"]),
  (
    "y ~ arm:week:sex",
    [
      "(Intercept)", "armA:week:sexF", "armB:week:sexF", "armC:week:sexF", "armA:week:sexM",
      "armB:week:sexM", "armC:week:sexM",
    ]
  ),
  (
    "y ~ arm*sex*week",
    [
      "(Intercept)", "armB", "armC", "sexM", "week", "armB:sexM", "armC:sexM", "armB:week",
      "armC:week", "sexM:week", "armB:sexM:week", "armC:sexM:week",
    ]
  ),
  ("y ~ `pain score` + `my arm`", ["(Intercept)", "`pain score`", "`my arm`B", "`my arm`C"]),
  (
    "y ~ week + arm:sex + x:arm",
    [
      "(Intercept)", "week", "armA:sexF", "armB:sexF", "armC:sexF", "armA:sexM", "armB:sexM",
      "armC:sexM", "armA:x", "armB:x", "armC:x",
    ]
  ),
  ("y ~ x:arm + arm", ["(Intercept)", "armB", "armC", "x:armA", "x:armB", "x:armC"]),
]

@Suite("Model matrix columns")
struct ModelMatrixBuilderTests {
  @Test("column names and coding match R's model.matrix", arguments: rColumnNames)
  func names(formula: String, names: [String]) throws {
    let parsed = try Formula(formula)
    let builder = try ModelMatrixBuilder(
      terms: parsed.fixedTerms, intercept: parsed.hasIntercept, rowCount: 24, values: variables())
    #expect(builder.names == names)
  }

  @Test("indicator and contrast columns hold 0/1 and products")
  func values() throws {
    let parsed = try Formula("y ~ week * arm")
    let builder = try ModelMatrixBuilder(
      terms: parsed.fixedTerms, intercept: true, rowCount: 24, values: variables())
    let columns = try #require(written(builder, stride: 1))
    // Row 9 (0-based) is arm B, week 1.
    #expect(columns.map { $0[9] } == [1, 1, 1, 0, 1, 0])
    // Row 18 is arm C, week 2.
    #expect(columns.map { $0[18] } == [1, 2, 0, 1, 0, 2])
    #expect(builder.assign == [0, 1, 2, 2, 3, 3])
    // Written with a stride (row-major, as random-effects values are stored), every element
    // lands in its place and the gaps are untouched.
    #expect(written(builder, stride: 3) == columns)
  }

  /// Each column written into a buffer of `stride` × rows (NaN elsewhere), read back; `nil`
  /// if anything was written into the gaps between rows.
  private func written(_ builder: ModelMatrixBuilder, stride: Int) -> [[Double]]? {
    var columns = [[Double]]()
    for j in 0..<builder.columnCount {
      var buffer = [Double](repeating: .nan, count: builder.rowCount * stride)
      buffer.withUnsafeMutableBufferPointer { b in
        if let base = b.baseAddress { builder.write(column: j, to: base, stride: stride) }
      }
      var column = [Double]()
      for (i, value) in buffer.enumerated() {
        if i % stride == 0 {
          column.append(value)
        } else if !value.isNaN {
          return nil
        }
      }
      columns.append(column)
    }
    return columns
  }

  @Test("a factor with one level cannot take contrasts")
  func singleLevel() throws {
    let parsed = try Formula("y ~ arm")
    let one = FactorValues(levels: ["A"], codes: [0, 0, 0])
    #expect(throws: FormulaError.singleLevelFactor(name: "arm", level: "A")) {
      try ModelMatrixBuilder(
        terms: parsed.fixedTerms, intercept: true, rowCount: 3, values: ["arm": .factor(one)])
    }
  }
}
