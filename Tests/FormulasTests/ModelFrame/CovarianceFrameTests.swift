import DataTable
import Testing

@testable import Formulas

/// A small repeated-measures table: 3 subjects, visits given per row.
private func visitsTable(
  _ rows: [(subject: String, visit: Double, y: Double)], arm: [String]? = nil
) throws -> Table {
  var text = "subject,visit,y" + (arm == nil ? "" : ",arm") + "\n"
  for (k, row) in rows.enumerated() {
    text += "\(row.subject),\(row.visit),\(row.y)" + (arm.map { "," + $0[k] } ?? "") + "\n"
  }
  return try Table.readCSV(text: text, source: "visits.csv")
}

private func message(_ text: String, _ table: Table) -> String? {
  do {
    _ = try ModelFrame(
      formula: try Formula(text), table: table,
      options: ModelFrameOptions(requiresRandomEffects: false))
    return nil
  } catch {
    return "\(error)"
  }
}

@Suite("Covariance terms")
struct CovarianceFrameTests {
  @Test("every structure name parses, with time, subject and optional group")
  func parses() throws {
    for name in CovarianceStructure.formulaNames {
      let formula = try Formula("y ~ x + \(name)(visit | subject)")
      let term = try #require(formula.covarianceTerm)
      #expect(term.structure.rawValue == name)
      #expect(term.timeVariable == "visit" && term.subjectVariable == "subject")
      #expect(term.groupVariable == nil)
      #expect(formula.fixedTerms.map(\.label) == ["x"])
      #expect(formula.randomTerms.isEmpty)
      #expect(formula.variableNames == ["y", "x", "visit", "subject"])
    }
    let grouped = try #require(try Formula("y ~ us(visit | arm / subject) + x").covarianceTerm)
    #expect(grouped.groupVariable == "arm" && grouped.subjectVariable == "subject")
    #expect(grouped.text == "us(visit | arm/subject)")
    let withRandom = try Formula("y ~ week + (1 + week | subject) + ar1(visit | subject)")
    #expect(withRandom.randomTerms.count == 1 && withRandom.covarianceTerm?.structure == .ar1)
  }

  @Test("formula errors: unknown structure with a suggestion, two terms, bad arguments")
  func formulaErrors() {
    func error(_ text: String) -> String? {
      do {
        _ = try Formula(text)
        return nil
      } catch {
        return "\(error)"
      }
    }
    #expect(
      error("y ~ x + ar(visit | subject)")
        == "unknown covariance structure 'ar'; did you mean 'ar1'? (structures: us, ar1, ar1h, "
        + "cs, csh, toep, toeph, ad, adh, sp_exp)\n  y ~ x + ar(visit | subject)\n          ^")
    #expect(
      error("y ~ us(visit | subject) + cs(visit | subject)")
        == "a formula can have at most one covariance term\n"
        + "  y ~ us(visit | subject) + cs(visit | subject)\n"
        + "                            ^")
    #expect(
      error("y ~ us(visit)")?.contains("write a covariance term as us(visit | subject)") == true)
    #expect(error("y ~ x:us(visit | subject)")?.contains("can only be added with '+'") == true)
    #expect(error("y ~ us(visit | visit)")?.contains("cannot be the time") == true)
    // Calls that are not near a structure name keep the tokenizer's message.
    #expect(error("y ~ log(x)")?.contains("functions in formulas are not supported yet") == true)
  }

  @Test("visits are ordered numerically and missing visits are simply absent")
  func visitOrder() throws {
    let table = try visitsTable([
      ("a", 10, 1), ("a", 2, 2), ("b", 1, 3), ("b", 10, 4), ("c", 2, 5), ("c", 1, 6.5),
    ])
    let frame = try ModelFrame(
      formula: try Formula("y ~ 1 + us(visit | subject)"), table: table,
      options: ModelFrameOptions(requiresRandomEffects: false))
    let cov = try #require(frame.covariance)
    #expect(cov.timeLevels == ["1", "2", "10"])
    #expect(cov.timeCoordinates == [1, 2, 10])
    #expect(cov.timeIndex == [2, 1, 0, 2, 1, 0])
    #expect(cov.subjectLevels == ["a", "b", "c"])
  }

  @Test("a subject with two rows at one visit names both lines")
  func duplicateVisit() throws {
    let table = try visitsTable([("a", 1, 1), ("a", 2, 2), ("b", 1, 3), ("a", 2, 4)])
    #expect(
      message("y ~ 1 + us(visit | subject)", table)
        == "visits.csv:5: subject 'a' has a second row at time '2' (first at line 3); a "
        + "covariance term needs at most one row per subject and time")
  }

  @Test("sp_exp needs a numeric time")
  func spatialTime() throws {
    let table = try visitsTable(
      [("a", 1, 1), ("a", 2, 2), ("b", 1, 3), ("b", 2, 4)], arm: ["x", "x", "y", "y"])
    #expect(
      message("y ~ 1 + sp_exp(arm | subject)", table)
        == "variable 'arm' cannot be the time of the covariance term: sp_exp needs a numeric "
        + "time (distances between time points), and 'arm' is categorical")
    #expect(message("y ~ 1 + sp_exp(visit | subject)", table) == nil)
    #expect(
      message("visit ~ 1 + us(visit | subject)", table)?.contains("it is the response") == true)
  }
}
