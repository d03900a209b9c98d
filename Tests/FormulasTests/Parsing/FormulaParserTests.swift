import Testing

@testable import Formulas

/// The message `Formula(text)` throws, or nil when it parses.
func formulaErrorMessage(_ text: String) -> String? {
  do {
    _ = try Formula(text)
    return nil
  } catch {
    return "\(error)"
  }
}

@Suite("Formula parser")
struct FormulaParserTests {
  @Test("parses response, operators and offsets")
  func structure() throws {
    let formula = try Formula("pain ~ week + arm")
    #expect(formula.response == .variable("pain", offset: 0))
    #expect(
      formula.rightHandSide
        == .binary(
          .plus, .variable("week", offset: 7), .variable("arm", offset: 14), offset: 12))
    #expect(formula.responseName == "pain")
  }

  @Test(
    "deparses as R does",
    arguments: [
      ("y ~ a*b+(1+x|g)", "a * b + (1 + x | g)"),
      ("y ~ a:b/c^2", "a:b/c^2"),
      ("y ~ -1 + a", "-1 + a"),
      ("y ~ (a + b)*c - a:c", "(a + b) * c - a:c"),
      ("y ~ `pain score` + x", "`pain score` + x"),
      ("y ~ a + (x || g)", "a + (x || g)"),
      ("y ~ 0 + a:b", "0 + a:b"),
    ])
  func deparse(text: String, expected: String) throws {
    #expect(try Formula(text).rightHandSide.deparsed == expected)
  }

  @Test("operator precedence follows R")
  func precedence() throws {
    // ':' binds tighter than '*', which binds tighter than '+'; unary minus tighter than ':'.
    let formula = try Formula("y ~ a + b * c:d")
    guard
      case .binary(.plus, _, .binary(.times, _, .binary(.colon, _, _, _), _), _) =
        formula.rightHandSide
    else {
      Issue.record("unexpected tree \(formula.rightHandSide)")
      return
    }
    let negated = try Formula("y ~ -a:b + c")
    guard case .binary(.plus, .binary(.colon, .negation, _, _), _, _) = negated.rightHandSide
    else {
      Issue.record("unexpected tree \(negated.rightHandSide)")
      return
    }
    // '|' binds looser than '+', so the lhs of a bar is a whole sum.
    let bar = try Formula("y ~ (1 + x | g)")
    guard
      case .parenthesized(.binary(.bar, .binary(.plus, _, _, _), _, _), _) =
        bar.rightHandSide
    else {
      Issue.record("unexpected tree \(bar.rightHandSide)")
      return
    }
  }

  @Test("backquoted names may hold spaces and symbols")
  func backquotes() throws {
    let formula = try Formula("`pain score` ~ `week (days)` + arm_2.b")
    #expect(formula.responseName == "pain score")
    #expect(formula.variableNames == ["pain score", "week (days)", "arm_2.b"])
    #expect(formula.fixedTerms.map(\.label) == ["`week (days)`", "arm_2.b"])
  }

  @Test("whitespace, tabs and line breaks are ignored")
  func whitespace() throws {
    let formula = try Formula("y~\tx +\n  z")
    #expect(formula.fixedTerms.map(\.label) == ["x", "z"])
  }

  // MARK: - Syntax errors with a caret

  @Test("a doubled '+' points at the second")
  func doubledPlus() {
    #expect(
      formulaErrorMessage("pain ~ week + + arm") == """
        formula syntax error: expected a variable name after '+'
          pain ~ week + + arm
                        ^
        """)
  }

  @Test(
    "syntax errors name the problem and point at it",
    arguments: [
      (
        "pain + week", "missing '~': write the formula as 'response ~ terms'",
        "           ^"
      ),
      ("~ week", "missing response before '~'", "^"),
      ("", "empty formula", "^"),
      ("y ~", "expected terms after '~'", "   ^"),
      ("y ~ ()", "empty parentheses", "    ^"),
      ("y ~ (a + b", "unbalanced parentheses: '(' is not closed", "    ^"),
      ("y ~ a + b)", "unbalanced parentheses: ')' has no matching '('", "         ^"),
      (
        "y ~ x + 1 | g", "'|' outside parentheses: write random-effects terms as (terms | group)",
        "          ^"
      ),
      ("y ~ x + (1 | )", "expected a grouping factor after '|'", "             ^"),
      ("y ~ x + (1 || )", "expected a grouping factor after '||'", "              ^"),
      ("y ~ x + ( | g)", "expected random effects (such as 1) before '|'", "          ^"),
      ("y ~ log(x)", "functions in formulas are not supported yet: log", "    ^"),
      ("log(y) ~ x", "functions in formulas are not supported yet: log", "^"),
      ("y + z ~ x", "the response must be a single variable name, before '~'", "^"),
      ("y ~ x ~ z", "unexpected second '~'", "      ^"),
      ("y ~ x z", "expected an operator such as '+' before 'z'", "      ^"),
      ("y x ~ z", "expected an operator or '~' before 'x'", "  ^"),
      ("y ~ x (1 | g)", "expected an operator such as '+' before '('", "      ^"),
      ("y ~ (a b)", "expected an operator or ')' before 'b'", "       ^"),
      ("y ~ a +", "expected a variable name after '+'", "       ^"),
      ("y ~ a * -", "expected a variable name after '-'", "         ^"),
      (
        "y ~ 2 + x",
        "only 0 or 1 can stand alone as a term (to remove or keep the intercept); "
          + "found '2'", "    ^"
      ),
      ("y ~ (a + b)^0", "expected a whole number of at least 1 after '^'", "            ^"),
      ("y ~ (a + b)^x", "expected a whole number of at least 1 after '^'", "            ^"),
      (
        "y ~ .", "'.' (all other columns) is not supported; list the variables by name",
        "    ^"
      ),
      ("y ~ a %in% b", "operator '%in%' is not supported in formulas", "      ^"),
      ("y ~ d$x", "unexpected character '$'", "     ^"),
      ("y ~ `a b + c", "backquoted name is not closed", "    ^"),
      ("y ~ `` + c", "empty backquoted name", "    ^"),
      ("y ~ _x", "a name cannot start with '_'; put it in backquotes: `_x`", "    ^"),
      (
        "y ~ x * (1 | g)", "a random-effects term can only be added with '+'",
        "           ^"
      ),
      (
        "y ~ x - (1 | g)", "a random-effects term can only be added with '+'",
        "           ^"
      ),
      ("y ~ (1 | g | h)", "'|' cannot appear inside a random-effects term", "       ^"),
      ("y ~ (0 | g)", "random-effects term '0 | g' has no random effects", "     ^"),
      (
        "y ~ (0 + x - x | g)", "random-effects term '0 + x - x | g' has no random effects", "     ^"
      ),
      ("y ~ (0 || g)", "random-effects term '0 || g' has no random effects", "     ^"),
      (
        "y ~ (1 | a + b)", "a grouping factor is a variable, an interaction a:b, or a nesting a/b",
        "           ^"
      ),
      (
        "y ~ (1 | a:b/c)",
        "each level of a nested grouping factor (a/b/c) must be a variable name", "          ^"
      ),
      (
        "y ~ (1 | a:(b/c))", "a grouping factor cannot mix ':' and '/'; write a/b/c or a:b",
        "             ^"
      ),
    ])
  func syntaxErrors(text: String, message: String, caret: String) {
    let expected =
      "formula syntax error: \(message)\n  \(text.map { $0.isWhitespace ? " " : $0 }.map(String.init).joined())\n  \(caret)"
    #expect(formulaErrorMessage(text) == expected)
  }

  @Test("syntax errors carry the formula and offset")
  func errorCase() {
    #expect(throws: FormulaError.syntax(formula: "y ~ ()", offset: 4, message: "empty parentheses"))
    {
      try Formula("y ~ ()")
    }
  }

  // MARK: - Limits

  @Test("300 nested parentheses are an error, not a stack overflow")
  func deepParentheses() {
    let depth = 300
    let text =
      "y ~ " + String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
    let expected = FormulaError.syntax(
      formula: text, offset: 4 + 200, message: "parentheses nest more than 200 deep")
    #expect(throws: expected) { try Formula(text) }
  }

  @Test("200 nested parentheses are accepted")
  func parenthesesAtTheLimit() throws {
    let text =
      "y ~ " + String(repeating: "(", count: 200) + "x" + String(repeating: ")", count: 200)
    #expect(try Formula(text).fixedTerms.map(\.label) == ["x"])
  }

  @Test("300 nested signs are an error")
  func deepSigns() {
    let text = "y ~ x + " + String(repeating: "-", count: 300) + "1"
    #expect(
      formulaErrorMessage(text)?.hasPrefix("formula syntax error: signs nest more than 200 deep")
        == true)
  }

  @Test("a very long formula is an error; a long one is not")
  func length() throws {
    let long = "y ~ " + (0..<900).map { "x\($0)" }.joined(separator: " + ")
    #expect(try Formula(long).fixedTerms.count == 900)
    let tooLong = "y ~ " + (0..<1_500).map { "x\($0)" }.joined(separator: " + ")
    #expect(
      formulaErrorMessage(tooLong)?.hasPrefix(
        "formula syntax error: formula is too long (more than 2000 symbols)") == true)
  }
}
