import Testing

@testable import Formulas

/// Term labels and intercept flags as R 4.2.2's `terms()` prints them
/// (`attr(terms(f), "term.labels")`, `attr(terms(f), "intercept")`), checked with Rscript.
private let rTermLabels: [(formula: String, labels: [String], intercept: Bool)] = [
  ("y ~ a + b:a", ["a", "a:b"], true),
  ("y ~ b:a + a", ["a", "b:a"], true),
  ("y ~ b + a:b + a", ["b", "a", "b:a"], true),
  ("y ~ a*b*c", ["a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"], true),
  ("y ~ (a+b)*c", ["a", "b", "c", "a:c", "b:c"], true),
  ("y ~ c:b + a + b", ["a", "b", "c:b"], true),
  ("y ~ a*b - a", ["b", "a:b"], true),
  ("y ~ a*b - 1", ["a", "b", "a:b"], false),
  ("y ~ 0 + a", ["a"], false),
  ("y ~ a + 0", ["a"], false),
  ("y ~ -1 + a", ["a"], false),
  ("y ~ a + -1", ["a"], false),
  ("y ~ a - 0", ["a"], true),
  ("y ~ a + b - 1 + 1", ["a", "b"], true),
  ("y ~ a:b + b:a", ["a:b"], true),
  ("y ~ a:a", ["a"], true),
  ("y ~ a*a", ["a"], true),
  ("y ~ (a+b+c)^2", ["a", "b", "c", "a:b", "a:c", "b:c"], true),
  ("y ~ (a + b + c)^3 - a:b:c", ["a", "b", "c", "a:b", "a:c", "b:c"], true),
  ("y ~ (a+b)^2 - a:b", ["a", "b"], true),
  ("y ~ a + (b + c)", ["a", "b", "c"], true),
  ("y ~ a*(b+c)", ["a", "b", "c", "a:b", "a:c"], true),
  ("y ~ x:z + z:w + w", ["w", "x:z", "z:w"], true),
  ("y ~ 1", [], true),
  ("y ~ 0", [], false),
  ("y ~ -1", [], false),
  ("y ~ 1 + 0", [], false),
  ("y ~ a - a", [], true),
  ("y ~ (a+b):(c+d)", ["a:c", "a:d", "b:c", "b:d"], true),
  ("y ~ (a+b)*(c+d)", ["a", "b", "c", "d", "a:c", "a:d", "b:c", "b:d"], true),
  ("y ~ -a + a*b", ["a", "b", "a:b"], true),
  ("y ~ (0 + a)", ["a"], false),
  ("y ~ a/b", ["a", "a:b"], true),
  ("y ~ (a+b)/c", ["a", "b", "a:b:c"], true),
  ("y ~ a/(b+c)", ["a", "a:b", "a:c"], true),
  ("y ~ a * b/c", ["a", "b", "a:b", "a:b:c"], true),
  ("y ~ x - (a+x)", [], true),
  ("y ~ a*b - (a+b)", ["a:b"], true),
  ("y ~ a:b + a*b", ["a", "b", "a:b"], true),
  ("y ~ a*b*c - a:b:c", ["a", "b", "c", "a:b", "a:c", "b:c"], true),
  ("y ~ (a*b):c", ["a:c", "b:c", "a:b:c"], true),
  ("y ~ a:(b+1)", ["a:b"], true),
  ("y ~ a:(b+0)", ["a:b"], false),
  ("y ~ a + 1 - 1", ["a"], false),
  ("y ~ (a - 1) + b", ["a", "b"], false),
  ("y ~ a + (b - 1)", ["a", "b"], false),
  ("y ~ a*(b - 1)", ["a", "b", "a:b"], false),
  ("y ~ b + a - a:b", ["b", "a"], true),
  ("y ~ -a:b + c", ["c"], true),
  ("y ~ a + b:c:a + c:b", ["a", "b:c", "a:b:c"], true),
]

@Suite("Term expansion")
struct TermEncoderTests {
  @Test("term labels and intercept match R's terms()", arguments: rTermLabels)
  func labels(formula: String, labels: [String], intercept: Bool) throws {
    let parsed = try Formula(formula)
    #expect(parsed.fixedTerms.map(\.label) == labels)
    #expect(parsed.hasIntercept == intercept)
  }

  @Test("random-effects terms do not enter the fixed part (lme4's nobars)")
  func noBars() throws {
    let formula = try Formula("y ~ x + (1 + x | g) + ((0 + z | h))")
    #expect(formula.fixedTerms.map(\.label) == ["x"])
    #expect(formula.hasIntercept)
    #expect(try Formula("y ~ 0 + (1 | g)").hasIntercept == false)
    #expect(try Formula("y ~ (1 | g)").fixedTerms.isEmpty)
    let minus = try Formula("y ~ x + (1 | g) - 1")
    #expect(minus.hasIntercept == false)
    #expect(minus.fixedTerms.map(\.label) == ["x"])
    #expect(minus.randomTerms.map(\.text) == ["1 | g"])
  }

  @Test("variables of an interaction follow first appearance in the fixed part only")
  func variableOrderIgnoresRandomPart() throws {
    // lme4 computes fixed terms on nobars(formula): `a` first appears after `b` there.
    let formula = try Formula("y ~ (a | g) + b + b:a")
    #expect(formula.fixedTerms.map(\.label) == ["b", "b:a"])
  }
}
