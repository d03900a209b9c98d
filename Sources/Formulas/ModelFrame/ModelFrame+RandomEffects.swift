extension ModelFrame {
  /// The random-effects terms evaluated on the data, in lme4's order, with lme4's names and
  /// identifiability checks.
  static func randomTerms(formula: Formula, data: ModelData) throws -> [RandomTerm] {
    let n = data.rowsUsed.count
    var terms: [RandomTerm] = []
    for specification in formula.randomTerms {
      let builder = try ModelMatrixBuilder(
        terms: specification.terms, intercept: specification.hasIntercept, rowCount: n,
        values: data.predictorValues)
      let q = builder.columnCount
      var values = [Double](repeating: 0, count: n * q)
      values.withUnsafeMutableBufferPointer { v in
        guard let base = v.baseAddress else { return }
        for j in 0..<q { builder.write(column: j, to: base + j, stride: q) }
      }
      let factor = groupingFactor(specification.groupingVariables, data: data)
      terms.append(
        RandomTerm(
          groupName: specification.groupingName, factorName: specification.groupingName,
          text: specification.text, columnNames: builder.names, levels: factor.levels,
          levelIndex: factor.codes, values: values))
    }
    terms = lme4Order(terms)
    terms = withGroupNames(terms)
    try checkIdentifiable(terms, observations: n)
    return terms
  }

  /// lme4's `mkReTrms`: when some term has more levels than the one before it, the terms are
  /// put in `rev(order(nl))` order: decreasing levels, ties in reverse formula order.
  static func lme4Order(_ terms: [RandomTerm]) -> [RandomTerm] {
    let levels = terms.map(\.levelCount)
    guard zip(levels, levels.dropFirst()).contains(where: { $1 > $0 }) else { return terms }
    let ascending = terms.indices.sorted { (levels[$0], $0) < (levels[$1], $1) }
    return ascending.reversed().map { terms[$0] }
  }

  /// lme4's `VarCorr` group names: the factor names, through `make.names(unique = TRUE)` when
  /// a factor appears in more than one term.
  private static func withGroupNames(_ terms: [RandomTerm]) -> [RandomTerm] {
    let names = terms.map(\.factorName)
    guard Set(names).count < names.count else { return terms }
    return zip(terms, makeNames(names)).map { term, name in
      RandomTerm(
        groupName: name, factorName: term.factorName, text: term.text,
        columnNames: term.columnNames, levels: term.levels, levelIndex: term.levelIndex,
        values: term.values)
    }
  }

  /// The grouping factor on the used rows.
  ///
  /// For an interaction, levels are the combinations that occur, labelled `a:b` and ordered
  /// with the first variable varying slowest (lme4's `%i%` followed by dropping unused levels).
  private static func groupingFactor(_ variables: [String], data: ModelData) -> FactorValues {
    let factors = variables.compactMap { data.groupingValues[$0] }
    precondition(factors.count == variables.count, "Grouping variables were not read")
    if factors.count == 1 { return factors[0] }
    let n = data.rowsUsed.count
    var index: [[Int32]: Int32] = [:]
    var keys: [[Int32]] = []
    var rowKey = [Int32](repeating: 0, count: n)
    for i in 0..<n {
      let key = factors.map { $0.codes[i] }
      if let k = index[key] {
        rowKey[i] = k
      } else {
        index[key] = Int32(keys.count)
        rowKey[i] = Int32(keys.count)
        keys.append(key)
      }
    }
    let order = keys.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
    var rank = [Int32](repeating: 0, count: keys.count)
    for (r, k) in order.enumerated() { rank[k] = Int32(r) }
    let levels = order.map { k in
      zip(factors, keys[k]).map { $0.levels[Int($1)] }.joined(separator: ":")
    }
    return FactorValues(levels: levels, codes: rowKey.map { rank[Int($0)] })
  }

  /// lme4's `checkNlevels` and `checkZdims` with their default "stop" settings.
  private static func checkIdentifiable(_ terms: [RandomTerm], observations n: Int) throws {
    var seen = Set<String>()
    let factors = terms.filter { seen.insert($0.factorName).inserted }
    let tooFew = factors.filter { $0.levelCount < 2 }.map(\.factorName)
    if !tooFew.isEmpty { throw FormulaError.tooFewGroupingLevels(factors: tooFew) }
    let tooMany = factors.filter { $0.levelCount >= n }.map(\.factorName)
    if !tooMany.isEmpty { throw FormulaError.tooManyGroupingLevels(factors: tooMany) }
    for term in terms where n <= term.levelCount * term.columnCount {
      throw FormulaError.tooManyRandomEffects(
        term: term.text, observations: n, randomEffects: term.levelCount * term.columnCount)
    }
  }
}
