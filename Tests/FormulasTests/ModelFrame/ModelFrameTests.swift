import DataTable
import LinearAlgebra
import Testing

@testable import Formulas

private func frame(
  _ text: String, _ table: Table, options: ModelFrameOptions = ModelFrameOptions()
) throws -> ModelFrame {
  try ModelFrame(formula: try Formula(text), table: table, options: options)
}

@Suite("Model frame")
struct ModelFrameTests {
  @Test("builds y, X and a random slope term")
  func basic() throws {
    let table = try sleepTable()
    let frame = try frame("Reaction ~ Days + (Days | Subject)", table)
    #expect(frame.responseName == "Reaction")
    #expect(frame.response == table.columns[0].numbers)
    #expect(frame.fixedEffectNames == ["(Intercept)", "Days"])
    #expect(frame.X.rows == 12 && frame.X.columns == 2)
    #expect(frame.X.column(0) == Array(repeating: 1, count: 12))
    #expect(frame.X.column(1) == table.columns[1].numbers)
    #expect(frame.droppedFixedEffectNames.isEmpty)
    #expect(frame.fixedEffectAssign == [0, 1])
    #expect(frame.randomTerms.count == 1)
    let term = try #require(frame.randomTerms.first)
    #expect(term.groupName == "Subject")
    #expect(term.factorName == "Subject")
    #expect(term.text == "Days | Subject")
    #expect(term.columnNames == ["(Intercept)", "Days"])
    #expect(term.levels == ["308", "309", "310"])
    #expect(term.levelIndex == [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
    #expect(Array(term.values.prefix(8)) == [1, 0, 1, 1, 1, 2, 1, 3])
    #expect(frame.rowsUsed == Array(0..<12))
    #expect(frame.droppedRows.isEmpty)
    #expect(frame.rowsRead == 12 && frame.rowsDropped == 0 && frame.droppedByColumn.isEmpty)
    #expect(frame.notes == [.numericGrouping(variable: "Subject")])
    #expect(
      frame.notes.map(\.description) == [
        "grouping variable 'Subject' is numeric; treated as categorical"
      ])
  }

  @Test("numeric grouping levels sort by value and print as R's as.character")
  func numericLevels() throws {
    let ids: [Double?] = [10, 9, 100, 1.5, 1e5, 10, 9, 100, 1.5, 1e5]
    let table = try Table(
      source: "t.csv",
      columns: [numeric("y", (0..<10).map { Double($0 * $0 % 7) }), numeric("id", ids)])
    let frame = try frame("y ~ 1 + (1 | id)", table)
    // R: levels(factor(c(10, 9, 100, 1.5, 1e5))) is "1.5" "9" "10" "100" "1e+05".
    #expect(frame.randomTerms.first?.levels == ["1.5", "9", "10", "100", "1e+05"])
    #expect(frame.randomTerms.first?.levelIndex == [2, 1, 3, 0, 4, 2, 1, 3, 0, 4])
  }

  @Test("|| gives lme4's group names Subject and Subject.1")
  func doubleBar() throws {
    let frame = try frame("Reaction ~ Days + (Days || Subject)", try sleepTable())
    #expect(frame.randomTerms.map(\.groupName) == ["Subject", "Subject.1"])
    #expect(frame.randomTerms.map(\.factorName) == ["Subject", "Subject"])
    #expect(frame.randomTerms.map(\.columnNames) == [["(Intercept)"], ["Days"]])
    #expect(frame.randomTerms.map(\.text) == ["1 | Subject", "0 + Days | Subject"])
  }

  @Test("terms are reordered as mkReTrms does: rev(order(nlevels)) when not already sorted")
  func termOrder() throws {
    // lmer(Reaction ~ Days + (1|grp) + (Days||Subject)) prints groups Subject (Days),
    // Subject.1 ((Intercept)), grp: ties end up in reverse formula order.
    let grp = numeric("grp", (0..<12).map { Double($0 / 4 % 2) })
    let frame = try frame(
      "Reaction ~ Days + (1 | grp) + (Days || Subject)", try sleepTable(extra: [grp]))
    #expect(frame.randomTerms.map(\.groupName) == ["Subject", "Subject.1", "grp"])
    #expect(frame.randomTerms.map(\.columnNames) == [["Days"], ["(Intercept)"], ["(Intercept)"]])
    #expect(frame.randomTerms.map(\.levelCount) == [3, 3, 2])
  }

  @Test("nested grouping (1 | batch/cask) gives cask:batch and batch with R's level labels")
  func nested() throws {
    // Rows in an order unlike the level order, to check the sorting.
    let batches = ["C", "A", "B", "A", "C", "B", "B", "A", "C", "A", "B", "C"]
    let casks = ["b", "a", "b", "b", "a", "a", "b", "a", "b", "b", "a", "a"]
    let table = try Table(
      source: "pastes.csv",
      columns: [
        numeric("strength", (0..<12).map { 60 + Double($0 % 5) }),
        categorical("batch", batches), categorical("cask", casks),
      ])
    let frame = try frame("strength ~ 1 + (1 | batch/cask)", table)
    #expect(frame.randomTerms.map(\.groupName) == ["cask:batch", "batch"])
    #expect(frame.randomTerms.map(\.factorName) == ["cask:batch", "batch"])
    #expect(frame.randomTerms.map(\.text) == ["1 | cask:batch", "1 | batch"])
    let inner = try #require(frame.randomTerms.first)
    // As lme4 lists Pastes' cask:batch levels: "a:A" "a:B" … "b:A" (cask varies slowest).
    #expect(inner.levels == ["a:A", "a:B", "a:C", "b:A", "b:B", "b:C"])
    let labels = inner.levelIndex.map { inner.levels[Int($0)] }
    #expect(labels == zip(casks, batches).map { "\($0):\($1)" })
    #expect(frame.randomTerms[1].levels == ["A", "B", "C"])
  }

  @Test("repeated factors get make.names group names as VarCorr prints them")
  func makeNamesGroups() throws {
    // 4 × 3 × 3 design: lmer(y ~ 1 + (x||a:b)) prints a.b, a.b.1;
    // lmer(y ~ 1 + (1|a/b) + (0+x|a)) prints b.a, a, a.1.
    let n = 36
    let table = try Table(
      source: "d.csv",
      columns: [
        numeric("y", (0..<n).map { Double(($0 * 5) % 11) }),
        numeric("x", (0..<n).map { Double(($0 * 3) % 7) }),
        categorical("a", (0..<n).map { "A\($0 / 3 % 4 + 1)" }),
        categorical("b", (0..<n).map { "B\($0 % 3 + 1)" }),
      ])
    let crossed = try frame("y ~ 1 + (x || a:b)", table)
    #expect(crossed.randomTerms.map(\.groupName) == ["a.b", "a.b.1"])
    #expect(crossed.randomTerms.map(\.factorName) == ["a:b", "a:b"])
    #expect(crossed.randomTerms.first?.levels.prefix(4) == ["A1:B1", "A1:B2", "A1:B3", "A2:B1"])
    let nested = try frame("y ~ 1 + (1 | a/b) + (0 + x | a)", table)
    #expect(nested.randomTerms.map(\.groupName) == ["b.a", "a", "a.1"])
    #expect(nested.randomTerms.map(\.factorName) == ["b:a", "a", "a"])
  }

  @Test("a factor on the left of the bar is coded as in model.matrix")
  func factorSlopes() throws {
    let arm = categorical("arm", (0..<12).map { ["A", "B", "C"][$0 % 3] })
    let table = try sleepTable(extra: [arm])
    #expect(
      try frame("Reaction ~ 1 + (arm | Subject)", table).randomTerms.first?.columnNames == [
        "(Intercept)", "armB", "armC",
      ])
    // lme4 1.1.31: (arm || g) becomes (1 | g) + (0 + arm | g), all levels as indicators.
    let split = try frame("Reaction ~ 1 + (arm || Subject)", table)
    #expect(split.randomTerms.map(\.columnNames) == [["(Intercept)"], ["armA", "armB", "armC"]])
    #expect(split.randomTerms.map(\.groupName) == ["Subject", "Subject.1"])
  }

  // MARK: - Missing values

  @Test("rows missing any used variable are dropped and counted per variable")
  func missingRows() throws {
    let table = try Table(
      source: "m.csv",
      columns: [
        numeric("y", [1, 2, 3, nil, 5, 6, 7, 8, 9, 10, 11, 12]),
        numeric("x", [0, nil, 2, nil, 4, 5, 6, 7, 8, 9, 10, 11]),
        categorical("g", ["a", "a", "a", "b", nil, "b", "b", "c", "c", "c", "d", "d"]),
        numeric("unused", Array(repeating: nil, count: 12)),
      ])
    let frame = try frame("y ~ x + (1 | g)", table)
    #expect(frame.rowsUsed == [0, 2, 5, 6, 7, 8, 9, 10, 11])
    #expect(frame.droppedRows == [1, 3, 4])
    #expect(frame.rowsRead == 12)
    #expect(frame.rowsDropped == 3)
    #expect(frame.droppedByColumn == ["y": 1, "x": 2, "g": 1])
    #expect(frame.response == [1, 3, 6, 7, 8, 9, 10, 11, 12])
    #expect(frame.randomTerms.first?.levels == ["a", "b", "c", "d"])
  }

  @Test("levels only present in dropped rows are dropped, as lme4's model frame does")
  func unusedLevelsDropped() throws {
    let table = try Table(
      source: "m.csv",
      columns: [
        numeric("y", [1, 2, 3, 4, 5, 6, 7, nil]),
        categorical("arm", ["A", "B", "C", "A", "B", "C", "A", "Z"]),
        categorical("g", ["a", "a", "b", "b", "c", "c", "d", "d"]),
      ])
    let frame = try frame("y ~ arm + (1 | g)", table)
    #expect(frame.fixedEffectNames == ["(Intercept)", "armB", "armC"])
    #expect(frame.factorLevels["arm"] == ["A", "B", "C"])
  }

  // MARK: - Rank deficiency

  @Test("a collinear fixed-effect column is dropped with lme4's message")
  func rankDeficient() throws {
    let days2 = numeric("Days2", (0..<12).map { 2 * Double($0 % 4) })
    let table = try sleepTable(extra: [days2])
    // lme4: Reaction ~ Days + Days2 keeps (Intercept), Days; with Days2 first it keeps Days2.
    let frame = try frame("Reaction ~ Days + Days2 + (1 | Subject)", table)
    #expect(frame.X.columns == 2)
    #expect(frame.notes.contains(.rankDeficient(droppedCount: 1)))
    #expect(
      frame.notes.map(\.description).contains(
        "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient"))
    let swapped = try ModelFrame(
      formula: try Formula("Reaction ~ Days2 + Days + (1 | Subject)"), table: table)
    // Which column goes is PivotedQR's contract (R's dqrdc2: the later of collinear columns).
    #expect(frame.fixedEffectNames == ["(Intercept)", "Days"])
    #expect(frame.droppedFixedEffectNames == ["Days2"])
    #expect(frame.fixedEffectAssign == [0, 1])
    #expect(swapped.fixedEffectNames == ["(Intercept)", "Days2"])
    #expect(swapped.droppedFixedEffectNames == ["Days"])
  }

  @Test("an empty cell of a factor interaction is dropped (R: arm:sex with intercept)")
  func interactionRankDeficient() throws {
    let n = 12
    let table = try Table(
      source: "d.csv",
      columns: [
        numeric("y", (0..<n).map { Double(($0 * 5) % 11) }),
        categorical("arm", (0..<n).map { ["A", "B", "C"][$0 / 4] }),
        categorical("sex", (0..<n).map { ["F", "M"][$0 % 2] }),
        categorical("g", (0..<n).map { ["g1", "g2", "g3"][$0 % 3] }),
      ])
    let frame = try frame("y ~ arm:sex + (1 | g)", table)
    // 1 + 6 indicator columns span a 6-dimensional space: the last one goes.
    #expect(
      frame.fixedEffectNames == [
        "(Intercept)", "armA:sexF", "armB:sexF", "armC:sexF", "armA:sexM", "armB:sexM",
      ])
    #expect(frame.droppedFixedEffectNames == ["armC:sexM"])
  }

  // MARK: - Options

  @Test("a reference level replaces the first level as the baseline")
  func references() throws {
    let arm = categorical("arm", (0..<12).map { ["ketamine", "placebo", "saline"][$0 % 3] })
    let table = try sleepTable(extra: [arm])
    let byDefault = try frame("Reaction ~ Days * arm + (1 | Subject)", table)
    #expect(
      byDefault.fixedEffectNames == [
        "(Intercept)", "Days", "armplacebo", "armsaline", "Days:armplacebo", "Days:armsaline",
      ])
    let relevelled = try frame(
      "Reaction ~ arm * Days + (1 | Subject)", table,
      options: ModelFrameOptions(references: ["arm": "placebo"]))
    #expect(
      relevelled.fixedEffectNames == [
        "(Intercept)", "armketamine", "armsaline", "Days", "armketamine:Days", "armsaline:Days",
      ])
    #expect(relevelled.factorLevels["arm"] == ["placebo", "ketamine", "saline"])
  }

  @Test("an unknown reference level lists the levels and suggests the nearest")
  func unknownReference() throws {
    let arm = categorical("arm", (0..<12).map { ["ketamine", "placebo"][$0 % 2] })
    let table = try sleepTable(extra: [arm])
    let error = FormulaError.unknownLevel(
      variable: "arm", level: "placebp", levels: ["ketamine", "placebo"], suggestion: "placebo")
    #expect(throws: error) {
      try frame(
        "Reaction ~ arm + (1 | Subject)", table,
        options: ModelFrameOptions(references: ["arm": "placebp"]))
    }
    #expect(
      error.description
        == "variable 'arm' has no level 'placebp'; did you mean 'placebo'? (levels: ketamine, placebo)"
    )
  }

  @Test("factors treats a numeric column as categorical")
  func forcedFactor() throws {
    let frame = try frame(
      "Reaction ~ Days + (1 | Subject)", try sleepTable(),
      options: ModelFrameOptions(factors: ["Days"]))
    #expect(frame.fixedEffectNames == ["(Intercept)", "Days1", "Days2", "Days3"])
    #expect(frame.factorLevels["Days"] == ["0", "1", "2", "3"])
  }

  @Test("a model without random effects is allowed when not required")
  func fixedOnly() throws {
    let frame = try frame(
      "Reaction ~ Days", try sleepTable(), options: ModelFrameOptions(requiresRandomEffects: false))
    #expect(frame.randomTerms.isEmpty)
    #expect(frame.fixedEffectNames == ["(Intercept)", "Days"])
  }

  @Test("a categorical column holding a stray non-number is noted")
  func strayTextNote() throws {
    let week = Column(
      name: "week", codes: (0..<12).map { Int32($0 % 4) }, levels: ["0", "1", "2", "wk3"],
      firstNonNumeric: (row: 3, text: "wk3"))
    let frame = try frame("Reaction ~ week + (1 | Subject)", try sleepTable(extra: [week]))
    #expect(
      frame.notes.map(\.description).contains(
        "variable 'week' is treated as categorical: sleep.csv:5 holds \"wk3\", which is not a number"
      ))
  }
}
