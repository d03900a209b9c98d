import Testing

@testable import Formulas

@Suite("Formula expansion")
struct FormulaTests {
  private func summary(_ text: String) throws -> [String] {
    try Formula(text).randomTerms.map(\.text)
  }

  @Test("random-term intercept rules")
  func intercepts() throws {
    let terms = try Formula(
      "y ~ (x | g) + (1 + x | g) + (0 + x | g) + (-1 + x | g) + (x - 1 | g) + (1 | g)"
    ).randomTerms
    #expect(terms.map(\.hasIntercept) == [true, true, false, false, false, true])
    #expect(terms.map { $0.terms.map(\.label) } == [["x"], ["x"], ["x"], ["x"], ["x"], []])
    #expect(
      terms.map(\.text) == [
        "x | g", "1 + x | g", "0 + x | g", "-1 + x | g", "x - 1 | g", "1 | g",
      ])
  }

  @Test("|| splits into an intercept term and one term per column, as lme4's expandDoubleVerts")
  func doubleBar() throws {
    // findbars(y ~ (1+x||g)), (x+f||g), (-1+x||g), (x*z||g) in lme4 1.1.31.
    #expect(try summary("y ~ (Days || Subject)") == ["1 | Subject", "0 + Days | Subject"])
    #expect(try summary("y ~ (1 + x || g)") == ["1 | g", "0 + x | g"])
    #expect(try summary("y ~ (x + f || g)") == ["1 | g", "0 + x | g", "0 + f | g"])
    #expect(try summary("y ~ (-1 + x || g)") == ["0 + x | g"])
    #expect(try summary("y ~ (0 + x || g)") == ["0 + x | g"])
    #expect(
      try summary("y ~ (x * z || g)") == ["1 | g", "0 + x | g", "0 + z | g", "0 + x:z | g"])
    let pieces = try Formula("y ~ (Days || Subject)").randomTerms
    #expect(pieces.map(\.hasIntercept) == [true, false])
    #expect(pieces.map(\.groupingName) == ["Subject", "Subject"])
  }

  @Test("nested grouping expands as lme4's expandSlash, naming the inner factor b:a")
  func nesting() throws {
    #expect(try summary("strength ~ 1 + (1 | batch/cask)") == ["1 | cask:batch", "1 | batch"])
    let terms = try Formula("strength ~ 1 + (1 | batch/cask)").randomTerms
    #expect(terms.map(\.groupingName) == ["cask:batch", "batch"])
    #expect(terms.map(\.groupingVariables) == [["cask", "batch"], ["batch"]])
    #expect(try summary("y ~ (1 | a/b/c)") == ["1 | c:(b:a)", "1 | b:a", "1 | a"])
    #expect(
      try summary("y ~ (1 | a/b/c/d)") == [
        "1 | d:(c:(b:a))", "1 | c:(b:a)", "1 | b:a", "1 | a",
      ])
    #expect(
      try Formula("y ~ (1 | a/b/c)").randomTerms.first?.groupingVariables == ["c", "b", "a"])
    #expect(
      try summary("y ~ (x + z || a/b)") == [
        "1 | b:a", "1 | a", "0 + x | b:a", "0 + x | a", "0 + z | b:a", "0 + z | a",
      ])
  }

  @Test("interaction grouping keeps its written form")
  func interactionGrouping() throws {
    let terms = try Formula("y ~ (1 | a:b) + (1 | a:(b:c)) + (1 | (g))").randomTerms
    #expect(terms.map(\.groupingName) == ["a:b", "a:(b:c)", "g"])
    #expect(terms.map(\.groupingVariables) == [["a", "b"], ["a", "b", "c"], ["g"]])
  }

  @Test("variable names cover every variable, response first")
  func variableNames() throws {
    let formula = try Formula("pain ~ week * arm - arm + (1 + week | subject) + (1 | site)")
    #expect(formula.variableNames == ["pain", "week", "arm", "subject", "site"])
    #expect(formula.fixedTerms.map(\.label) == ["week", "week:arm"])
  }
}
