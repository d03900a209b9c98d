import DataTable
import Testing

@testable import Formulas

/// The message `ModelFrame` throws for `text` on `table`, or nil when it builds.
private func message(
  _ text: String, _ table: Table, options: ModelFrameOptions = ModelFrameOptions()
) -> String? {
  do {
    _ = try ModelFrame(formula: try Formula(text), table: table, options: options)
    return nil
  } catch {
    return "\(error)"
  }
}

@Suite("Model frame errors")
struct ModelFrameErrorTests {
  @Test("an unknown variable suggests the nearest column")
  func unknownVariable() throws {
    let table = try sleepTable()
    #expect(
      message("Reaction ~ Dayz + (1 | Subject)", table)
        == "sleep.csv: unknown variable 'Dayz' (no column has that name); did you mean 'Days'?"
    )
    #expect(
      message("Reaction ~ Days + (1 | Patient)", table)
        == "sleep.csv: unknown variable 'Patient' (no column has that name)")
    #expect(
      message(
        "Reaction ~ Days + (1 | Subject)", table, options: ModelFrameOptions(factors: ["days"]))
        == "sleep.csv: unknown variable 'days' (no column has that name); did you mean 'Days'?"
    )
  }

  @Test("a response with a stray text value names the cell")
  func responseNotNumeric() throws {
    let pain = Column(
      name: "pain", codes: (0..<12).map { Int32($0 % 3) }, levels: ["1", "2", "wk3"],
      firstNonNumeric: (row: 15 - 13, text: "wk3"))
    let table = try Table(
      source: "data.csv", columns: [pain, numeric("Subject", (0..<12).map { Double($0 % 4) })],
      lines: (0..<12).map { $0 + 15 })
    #expect(
      message("pain ~ 1 + (1 | Subject)", table)
        == "data.csv:17: column 'pain': expected a number, found \"wk3\"")
  }

  @Test("a categorical response is refused")
  func categoricalResponse() throws {
    let arm = categorical("arm", (0..<12).map { ["A", "B"][$0 % 2] })
    let table = try sleepTable(extra: [arm])
    #expect(
      message("arm ~ Days + (1 | Subject)", table)
        == "sleep.csv: the response 'arm' is categorical; a numeric response is required")
    #expect(
      message(
        "Reaction ~ 1 + (1 | Subject)", table, options: ModelFrameOptions(factors: ["Reaction"]))
        == "sleep.csv: the response 'Reaction' is categorical; a numeric response is required")
  }

  @Test("the response on the right-hand side is refused")
  func responseOnRight() throws {
    #expect(
      message("Reaction ~ Reaction + Days + (1 | Subject)", try sleepTable())
        == "the response 'Reaction' also appears on the right-hand side of the formula")
  }

  @Test("an infinite value in a used row names its line")
  func nonFinite() throws {
    var days: [Double?] = (0..<12).map { Double($0 % 4) }
    days[6] = .infinity
    let column = Column(
      name: "Days", numbers: days.map { $0 ?? .nan }, firstNonFinite: (row: 6, text: "inf"))
    let base = try sleepTable()
    let table = try Table(source: "sleep.csv", columns: [base.columns[0], column, base.columns[2]])
    #expect(
      message("Reaction ~ Days + (1 | Subject)", table)
        == "sleep.csv:8: column 'Days': non-finite value \"inf\"")
    // Not an error when that row is dropped for a missing value elsewhere.
    var reaction = base.columns[0].numbers
    reaction[6] = .nan
    let dropped = try Table(
      source: "sleep.csv",
      columns: [Column(name: "Reaction", numbers: reaction), column, base.columns[2]])
    #expect(message("Reaction ~ Days + (1 | Subject)", dropped) == nil)
  }

  @Test("no rows left after dropping missing values")
  func noRowsLeft() throws {
    let table = try Table(
      source: "m.csv",
      columns: [
        numeric("y", [1, nil, 3]), numeric("x", [nil, 2, 3]), categorical("g", ["a", "b", nil]),
      ])
    #expect(
      message("y ~ x + (1 | g)", table)
        == "m.csv: no rows left: each of the 3 rows has a missing value in at least one of 'y', 'x', 'g'"
    )
  }

  @Test("a formula without random effects is refused when they are required")
  func noRandomEffects() throws {
    #expect(
      message("Reaction ~ Days", try sleepTable())
        == "no random-effects terms in formula 'Reaction ~ Days'; add one such as (1 | subject)")
  }

  @Test("a constant response is refused")
  func constantResponse() throws {
    let base = try sleepTable()
    let table = try Table(
      source: "sleep.csv",
      columns: [numeric("y", Array(repeating: 3, count: 12))] + base.columns)
    #expect(message("y ~ Days + (1 | Subject)", table) == "response 'y' is constant")
  }

  @Test("lme4's check.nlev.gtr.1: a grouping factor needs two levels")
  func singleLevelGrouping() throws {
    let site = categorical("site", Array(repeating: "north", count: 12))
    #expect(
      message("Reaction ~ Days + (1 | site)", try sleepTable(extra: [site]))
        == "grouping factors must have > 1 sampled level (problems: site)")
  }

  @Test("lme4's check.nobs.vs.nlev: fewer levels than observations")
  func tooManyLevels() throws {
    let visit = numeric("visit", (0..<12).map { Double($0) })
    #expect(
      message("Reaction ~ Days + (1 | Subject) + (1 | visit)", try sleepTable(extra: [visit]))
        == "number of levels of each grouping factor must be < number of observations (problems: visit)"
    )
  }

  @Test("lme4's check.nobs.vs.nRE: more observations than random effects")
  func tooManyRandomEffects() throws {
    // Three subjects with two days each: 6 observations, 3 × 2 random effects.
    let table = try Table(
      source: "s.csv",
      columns: [
        numeric("Reaction", [250, 260, 255, 270, 240, 251]), numeric("Days", [0, 1, 0, 1, 0, 1]),
        numeric("Subject", [308, 308, 309, 309, 310, 310]),
      ])
    #expect(
      message("Reaction ~ Days + (Days | Subject)", table)
        == "number of observations (=6) <= number of random effects (=6) for term (Days | Subject); the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable"
    )
  }

  @Test("a fixed factor with a single level in the rows used is refused")
  func singleLevelFactor() throws {
    let arm = categorical("arm", Array(repeating: "A", count: 12))
    #expect(
      message("Reaction ~ arm + (1 | Subject)", try sleepTable(extra: [arm]))
        == "variable 'arm' has a single level (\"A\") in the rows used; contrasts can be applied only to factors with 2 or more levels"
    )
  }

  @Test("a reference level for a numeric variable is refused")
  func referenceForNumeric() throws {
    #expect(
      message(
        "Reaction ~ Days + (1 | Subject)", try sleepTable(),
        options: ModelFrameOptions(references: ["Days": "2"]))
        == "a reference level is given for 'Days', which the model uses as a number; list it in factors to treat it as categorical"
    )
    // A numeric grouping variable is categorical, so its reference is fine.
    #expect(
      message(
        "Reaction ~ Days + (1 | Subject)", try sleepTable(),
        options: ModelFrameOptions(references: ["Subject": "309"])) == nil)
  }
}
