/// Recursive-descent parser for lme4 formulas, with R's operator precedence.
///
/// From loosest to tightest binding: `~`; `|` and `||`; binary `+ -`; `* /`; `:`; unary `-`;
/// `^`. All binary operators associate to the left. Parentheses and unary signs may nest at most
/// `maximumNesting` deep and a formula has at most `FormulaTokenizer.maximumTokenCount` tokens,
/// so neither parsing nor any later walk over the tree can exhaust the stack.
struct FormulaParser {
  /// Deepest nesting of parentheses (and, separately, of unary signs) accepted.
  static let maximumNesting = 200

  private let text: String
  private let tokens: [FormulaToken]
  private var position = 0
  private var parenthesisDepth = 0
  private var signDepth = 0

  /// Tokenizes `text`.
  init(_ text: String) throws(FormulaError) {
    self.text = text
    self.tokens = try FormulaTokenizer(text).tokens()
  }

  /// Parses `response ~ rhs`.
  mutating func parseFormula() throws(FormulaError) -> (
    response: Formula.Expression, rightHandSide: Formula.Expression
  ) {
    if current.kind == .end { throw error(at: 0, "empty formula") }
    if current.kind == .symbol("~") {
      throw error(at: current.offset, "missing response before '~'")
    }
    let response = try parseBars()
    guard current.kind == .symbol("~") else {
      if current.kind == .end {
        throw error(
          at: current.offset, "missing '~': write the formula as 'response ~ terms'")
      }
      throw unexpected(current, context: "'~'")
    }
    advance()
    if current.kind == .end { throw error(at: current.offset, "expected terms after '~'") }
    guard case .variable = response.unparenthesized else {
      throw error(
        at: response.startOffset, "the response must be a single variable name, before '~'")
    }
    let rightHandSide = try parseBars()
    guard current.kind == .end else {
      if current.kind == .symbol("~") {
        throw error(at: current.offset, "unexpected second '~'")
      }
      throw unexpected(current, context: nil)
    }
    return (response, rightHandSide)
  }

  // MARK: - Precedence levels

  /// `sum (('|' | '||') sum)*`.
  private mutating func parseBars() throws(FormulaError) -> Formula.Expression {
    var left = try parseSum()
    while case .symbol(let s) = current.kind, s == "|" || s == "||" {
      let op = current
      advance()
      if !startsOperand(current) {
        throw error(at: current.offset, "expected a grouping factor after '\(s)'")
      }
      let right = try parseSum()
      left = .binary(s == "|" ? .bar : .doubleBar, left, right, offset: op.offset)
    }
    return left
  }

  /// `product (('+' | '-') product)*`.
  private mutating func parseSum() throws(FormulaError) -> Formula.Expression {
    var left = try parseProduct()
    while case .symbol(let s) = current.kind, s == "+" || s == "-" {
      let op = current
      advance()
      let right = try parseProduct()
      left = .binary(s == "+" ? .plus : .minus, left, right, offset: op.offset)
    }
    return left
  }

  /// `colon (('*' | '/') colon)*`.
  private mutating func parseProduct() throws(FormulaError) -> Formula.Expression {
    var left = try parseColon()
    while case .symbol(let s) = current.kind, s == "*" || s == "/" {
      let op = current
      advance()
      let right = try parseColon()
      left = .binary(s == "*" ? .times : .slash, left, right, offset: op.offset)
    }
    return left
  }

  /// `unary (':' unary)*`.
  private mutating func parseColon() throws(FormulaError) -> Formula.Expression {
    var left = try parseUnary()
    while current.kind == .symbol(":") {
      let op = current
      advance()
      let right = try parseUnary()
      left = .binary(.colon, left, right, offset: op.offset)
    }
    return left
  }

  /// `'-' unary | power`. (R also has unary `+`; it is left out so that a doubled `+` is
  /// reported as the typo it almost always is.)
  private mutating func parseUnary() throws(FormulaError) -> Formula.Expression {
    guard current.kind == .symbol("-") else { return try parsePower() }
    let op = current
    signDepth += 1
    defer { signDepth -= 1 }
    if signDepth > Self.maximumNesting {
      throw error(at: op.offset, "signs nest more than \(Self.maximumNesting) deep")
    }
    advance()
    let operand = try parseUnary()
    return .negation(operand, offset: op.offset)
  }

  /// `primary ('^' whole-number)*`.
  private mutating func parsePower() throws(FormulaError) -> Formula.Expression {
    var base = try parsePrimary()
    while current.kind == .symbol("^") {
      let op = current
      advance()
      guard case .number(let literal) = current.kind, let k = Int(literal), k >= 1 else {
        throw error(at: current.offset, "expected a whole number of at least 1 after '^'")
      }
      let exponent = Formula.Expression.number(k, offset: current.offset)
      advance()
      base = .binary(.power, base, exponent, offset: op.offset)
    }
    return base
  }

  /// A name, a call `name(argument)`, `0`/`1`, or a parenthesized expression.
  private mutating func parsePrimary() throws(FormulaError) -> Formula.Expression {
    let token = current
    switch token.kind {
    case .name(let name):
      advance()
      // `name(argument)`, with `(` right after the name: a covariance term such as
      // `us(visit | subject)`. With a space between them (`x (1 | g)`) it stays the missing
      // operator it almost always is.
      guard current.kind == .symbol("("), current.offset == token.offset + name.count else {
        return .variable(name, offset: token.offset)
      }
      let open = current
      advance()
      if current.kind == .symbol(")") { throw error(at: open.offset, "empty parentheses") }
      parenthesisDepth += 1
      defer { parenthesisDepth -= 1 }
      let argument = try parseBars()
      guard current.kind == .symbol(")") else {
        if current.kind == .end {
          throw error(at: open.offset, "unbalanced parentheses: '(' is not closed")
        }
        throw unexpected(current, context: "')'")
      }
      advance()
      return .call(name, argument, offset: token.offset)
    case .number(let literal):
      guard let value = Double(literal), value == 0 || value == 1 else {
        throw error(
          at: token.offset,
          "only 0 or 1 can stand alone as a term (to remove or keep the intercept); "
            + "found '\(literal)'")
      }
      advance()
      return .number(Int(value), offset: token.offset)
    case .symbol("("):
      advance()
      if current.kind == .symbol(")") { throw error(at: token.offset, "empty parentheses") }
      parenthesisDepth += 1
      defer { parenthesisDepth -= 1 }
      if parenthesisDepth > Self.maximumNesting {
        throw error(at: token.offset, "parentheses nest more than \(Self.maximumNesting) deep")
      }
      let inner = try parseBars()
      guard current.kind == .symbol(")") else {
        if current.kind == .end {
          throw error(at: token.offset, "unbalanced parentheses: '(' is not closed")
        }
        throw unexpected(current, context: "')'")
      }
      advance()
      return .parenthesized(inner, offset: token.offset)
    default:
      throw missingOperand(at: token)
    }
  }

  // MARK: - Tokens and errors

  private var current: FormulaToken { tokens[position] }

  private mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  private func startsOperand(_ token: FormulaToken) -> Bool {
    switch token.kind {
    case .name, .number, .symbol("("), .symbol("-"): true
    default: false
    }
  }

  /// An operand was expected at `token`; say what came before it.
  private func missingOperand(at token: FormulaToken) -> FormulaError {
    if token.kind == .symbol("|") || token.kind == .symbol("||") {
      return error(
        at: token.offset, "expected random effects (such as 1) before \(token.quoted)")
    }
    guard position > 0 else {
      if token.kind == .symbol(")") {
        return error(at: token.offset, "unbalanced parentheses: ')' has no matching '('")
      }
      return error(at: token.offset, "expected a variable name")
    }
    let previous = tokens[position - 1]
    return error(at: token.offset, "expected a variable name after \(previous.quoted)")
  }

  /// `token` cannot follow a complete expression.
  private func unexpected(_ token: FormulaToken, context: String?) -> FormulaError {
    if token.kind == .symbol(")") && parenthesisDepth == 0 {
      return error(at: token.offset, "unbalanced parentheses: ')' has no matching '('")
    }
    if token.kind == .symbol("(") {
      return error(at: token.offset, "expected an operator such as '+' before '('")
    }
    let expected = context.map { "an operator or \($0)" } ?? "an operator such as '+'"
    return error(at: token.offset, "expected \(expected) before \(token.quoted)")
  }

  private func error(at offset: Int, _ message: String) -> FormulaError {
    .syntax(formula: text, offset: offset, message: message)
  }
}
