import DataTable

/// The table's columns that a formula uses, checked, restricted to complete rows, and typed for
/// the model (numeric, or a factor with unused levels dropped and the reference first).
///
/// This is lme4's `model.frame` step: every variable named in the formula is read, and a row
/// with a missing value in any of them is dropped (R's `na.omit`).
struct ModelData {
  /// Table row index of each used row.
  let rowsUsed: [Int]
  /// Missing values per variable (only variables with some).
  let droppedByColumn: [String: Int]
  /// The response on the used rows.
  let response: [Double]
  /// The prior weights on the used rows, or nil.
  let weights: [Double]?
  /// The offset on the used rows, or nil.
  let offset: [Double]?
  /// Values of the variables used in fixed terms and left of random-effects bars.
  let predictorValues: [String: VariableValues]
  /// Values of the grouping variables (always factors).
  let groupingValues: [String: FactorValues]
  /// Messages about how the data were read.
  let notes: [FrameNote]
  /// The covariance term on the rows used, when the formula has one.
  let covariance: CovarianceFrame?

  /// Reads and checks the columns `formula` uses.
  /// - Throws: `FormulaError` for unknown variables, a non-numeric or constant response,
  ///   infinite values, unknown reference levels, or no complete rows.
  init(formula: Formula, table: Table, options: ModelFrameOptions) throws {
    var columns: [String: Column] = [:]
    func column(_ name: String) throws -> Column {
      if let column = columns[name] { return column }
      guard let column = table.columns.first(where: { $0.name == name }) else {
        throw FormulaError.unknownVariable(
          name: name, source: table.source,
          suggestion: nearestName(to: name, among: table.columnNames))
      }
      columns[name] = column
      return column
    }
    for name in formula.variableNames { _ = try column(name) }
    // The weights and the offset are numeric columns read (and their missing rows dropped) as
    // the formula's variables are.
    let extra = [options.weights, options.offset].compactMap { $0 }
    for name in extra {
      let column = try column(name)
      if column.kind == .categorical {
        if let (row, text) = column.firstNonNumeric {
          throw FormulaError.responseNotNumeric(
            at: table.location(row: row, column: name), text: text)
        }
        throw FormulaError.categoricalWeights(name: name, source: table.source)
      }
    }
    let variables = formula.variableNames + extra.filter { !formula.variableNames.contains($0) }
    for name in options.factors.sorted() + options.references.keys.sorted() {
      _ = try column(name)
    }

    let predictors = Self.orderedUnique(
      formula.fixedTerms.flatMap(\.variables)
        + formula.randomTerms.flatMap { $0.terms.flatMap(\.variables) })
    let grouping = Self.orderedUnique(formula.randomTerms.flatMap(\.groupingVariables))
    func isCategorical(_ name: String) -> Bool {
      columns[name]?.kind == .categorical || options.factors.contains(name)
    }

    // The response.
    let responseName = formula.responseName
    let responseColumn = try column(responseName)
    if responseColumn.kind == .categorical {
      if let (row, text) = responseColumn.firstNonNumeric {
        throw FormulaError.responseNotNumeric(
          at: table.location(row: row, column: responseName), text: text)
      }
      throw FormulaError.categoricalResponse(name: responseName, source: table.source)
    }
    if options.factors.contains(responseName) {
      throw FormulaError.categoricalResponse(name: responseName, source: table.source)
    }
    if formula.fixedTerms.contains(where: { $0.variables.contains(responseName) }) {
      throw FormulaError.responseOnRightHandSide(name: responseName)
    }

    // Reference levels.
    var sources: [String: (codes: [Int32], levels: [String])] = [:]
    func source(_ name: String) throws -> (codes: [Int32], levels: [String]) {
      if let source = sources[name] { return source }
      let column = try column(name)
      let source =
        column.kind == .categorical
        ? (column.codes, column.levels) : categoricalView(ofNumeric: column)
      sources[name] = source
      return source
    }
    for (name, level) in options.references.sorted(by: { $0.key < $1.key }) {
      let used = formula.variableNames.contains(name)
      if used && !isCategorical(name) && !grouping.contains(name) {
        throw FormulaError.referenceForNumericVariable(name: name)
      }
      let levels = try source(name).levels
      if !levels.contains(level) {
        throw FormulaError.unknownLevel(
          variable: name, level: level, levels: levels,
          suggestion: nearestName(to: level, among: levels))
      }
    }

    // Rows with a missing value in any variable are dropped.
    var complete = [Bool](repeating: true, count: table.rowCount)
    var missing: [String: Int] = [:]
    for name in variables {
      let column = try column(name)
      var count = 0
      // Straight over the storage: `Column.isMissing` per row costs a retain/release per call.
      if column.kind == .numeric {
        let numbers = column.numbers
        for i in 0..<table.rowCount where numbers[i].isNaN {
          count += 1
          complete[i] = false
        }
      } else {
        let codes = column.codes
        for i in 0..<table.rowCount where codes[i] < 0 {
          count += 1
          complete[i] = false
        }
      }
      if count > 0 { missing[name] = count }
    }
    let rowsUsed = complete.indices.filter { complete[$0] }
    if rowsUsed.isEmpty {
      throw FormulaError.noRowsLeft(
        source: table.source, rowsRead: table.rowCount,
        variablesWithMissing: variables.filter { missing[$0] != nil })
    }

    // Infinite values in rows that are used.
    for name in variables {
      let column = try column(name)
      guard column.kind == .numeric else { continue }
      let numbers = column.numbers
      for i in rowsUsed where !numbers[i].isFinite {
        let text =
          column.firstNonFinite.flatMap { $0.row == i ? $0.text : nil }
          ?? rNumberLabel(column.numbers[i])
        throw FormulaError.nonFinite(at: table.location(row: i, column: name), text: text)
      }
    }

    let response = rowsUsed.map { responseColumn.numbers[$0] }
    let weights = try options.weights.map { name -> [Double] in
      let numbers = try column(name).numbers
      for i in rowsUsed where !(numbers[i] > 0) {
        throw FormulaError.nonPositiveWeight(
          at: table.location(row: i, column: name), text: rNumberLabel(numbers[i]))
      }
      return rowsUsed.map { numbers[$0] }
    }
    let offset = try options.offset.map { name in
      let numbers = try column(name).numbers
      return rowsUsed.map { numbers[$0] }
    }
    if let first = response.first, response.allSatisfy({ $0 == first }) {
      throw FormulaError.constantResponse(name: responseName)
    }

    // Typed values on the used rows.
    func factor(_ name: String) throws -> FactorValues {
      let (codes, levels) = try source(name)
      return Self.factorValues(
        codes: codes, levels: levels, rows: rowsUsed, reference: options.references[name])
    }
    var predictorValues: [String: VariableValues] = [:]
    for name in predictors {
      if isCategorical(name) {
        predictorValues[name] = .factor(try factor(name))
      } else {
        let numbers = try column(name).numbers
        predictorValues[name] = .numeric(rowsUsed.map { numbers[$0] })
      }
    }
    var groupingValues: [String: FactorValues] = [:]
    for name in grouping { groupingValues[name] = try factor(name) }

    var notes: [FrameNote] = []
    for name in grouping where columns[name]?.kind == .numeric && !options.factors.contains(name) {
      notes.append(.numericGrouping(variable: name))
    }
    for name in predictors {
      guard let column = columns[name], let (row, text) = column.firstNonNumeric else { continue }
      notes.append(
        .nonNumericPredictor(variable: name, location: "\(table.location(row: row))", text: text))
    }

    self.covariance = try formula.covarianceTerm.map {
      try Self.covarianceFrame(
        $0, formula: formula, table: table, rowsUsed: rowsUsed, options: options)
    }
    self.rowsUsed = rowsUsed
    self.droppedByColumn = missing
    self.response = response
    self.weights = weights
    self.offset = offset
    self.predictorValues = predictorValues
    self.groupingValues = groupingValues
    self.notes = notes
  }

  /// A factor on `rows`: levels that occur there, in level order with `reference` first.
  static func factorValues(
    codes: [Int32], levels: [String], rows: [Int], reference: String?
  ) -> FactorValues {
    var present = [Bool](repeating: false, count: levels.count)
    for i in rows { present[Int(codes[i])] = true }
    var order = levels.indices.filter { present[$0] }
    if let reference, let r = levels.firstIndex(of: reference), present[r] {
      order.removeAll { $0 == r }
      order.insert(r, at: 0)
    }
    var newCode = [Int32](repeating: -1, count: levels.count)
    for (k, old) in order.enumerated() { newCode[old] = Int32(k) }
    return FactorValues(
      levels: order.map { levels[$0] }, codes: rows.map { newCode[Int(codes[$0])] })
  }

  private static func orderedUnique(_ names: [String]) -> [String] {
    var seen = Set<String>()
    return names.filter { seen.insert($0).inserted }
  }
}
