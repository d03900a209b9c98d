import DataTable

/// A parsed and expanded lme4 model formula, such as `pain ~ week * arm + (1 + week | subject)`.
///
/// The grammar is R's: `response ~ terms`, with `+`, `-`, `*`, `/`, `:`, `^`, parentheses,
/// `0`/`1`/`-1` for the intercept, names (letters, digits, `.`, `_`, or any text in backquotes),
/// and random-effects terms `(lhs | g)` and `(lhs || g)`, whose grouping factor `g` is a name,
/// an interaction `a:b`, or a nesting `a/b/c`. A formula is only text: whether its names are
/// columns, and of what kind, is decided by `ModelFrame`.
///
/// Expansion follows R's `terms()` for the fixed part (terms sorted by order, first appearance
/// within an order; variables inside an interaction in order of first appearance) and lme4's
/// `findbars` for the random part.
public struct Formula: Sendable, Equatable, CustomStringConvertible {
  /// The formula as written.
  public let text: String

  /// Names of the variables of the fixed-effects terms, in first-appearance order.
  public var fixedVariableNames: [String] {
    var seen = Set<String>()
    var names = [String]()
    for term in fixedTerms {
      for variable in term.variables where seen.insert(variable).inserted { names.append(variable) }
    }
    return names
  }
  /// The parsed response (a variable, possibly in parentheses).
  public let response: Expression
  /// The parsed right-hand side.
  public let rightHandSide: Expression
  /// The name of the response variable.
  public let responseName: String
  /// Whether the fixed effects include an intercept.
  public let hasIntercept: Bool
  /// The fixed-effect terms in R's order, without the intercept.
  public let fixedTerms: [Term]
  /// The random-effects terms after `||` and `/` expansion, in the order lme4's `findbars`
  /// lists them (before `ModelFrame` sorts them by number of levels).
  public let randomTerms: [RandomTermSpecification]
  /// The residual covariance term (`us(visit | subject)`, …), if the formula has one; at most
  /// one is allowed.
  public let covarianceTerm: CovarianceTermSpecification?
  /// Every variable named anywhere in the formula, response first, in order of appearance.
  ///
  /// These are the columns a model frame reads (R's model frame uses all of them, even one
  /// that only appears in a removed term).
  public let variableNames: [String]

  /// Parses and expands `text`.
  /// - Parameter text: A formula such as `y ~ x + (1 | g)`.
  /// - Throws: `FormulaError.syntax` with the offset of the offending character.
  public init(_ text: String) throws {
    var parser = try FormulaParser(text)
    let (response, rightHandSide) = try parser.parseFormula()
    guard case .variable(let responseName, _) = response.unparenthesized else {
      throw FormulaError.syntax(
        formula: text, offset: response.startOffset, message: "the response must be a variable")
    }
    var bars: [Expression] = []
    var calls: [Expression] = []
    try Self.collectBars(
      rightHandSide, additive: true, parenthesized: false, text: text, into: &bars,
      calls: &calls)
    if calls.count > 1 {
      throw FormulaError.multipleCovarianceTerms(formula: text, offset: calls[1].offset)
    }
    let covarianceTerm = try calls.first.map { try Self.covarianceTerm($0, text: text) }

    var encoder = TermEncoder()
    encoder.install(responseName)
    let fixedTerms = encoder.terms(of: rightHandSide)

    var randomTerms: [RandomTermSpecification] = []
    for bar in bars { randomTerms += try Self.expand(bar: bar, text: text) }

    var names = [responseName]
    Self.appendVariables(of: rightHandSide, to: &names)
    var seen = Set<String>()

    self.text = text
    self.response = response
    self.rightHandSide = rightHandSide
    self.responseName = responseName
    self.hasIntercept = encoder.intercept
    self.fixedTerms = fixedTerms
    self.randomTerms = randomTerms
    self.covarianceTerm = covarianceTerm
    self.variableNames = names.filter { seen.insert($0).inserted }
  }

  /// The formula as written.
  public var description: String { text }

  // MARK: - Random-effects terms

  /// Finds the `|` and `||` terms, checking that each is in parentheses and joined to the rest
  /// of the formula by `+` only, as lme4 requires.
  private static func collectBars(
    _ expression: Expression, additive: Bool, parenthesized: Bool, text: String,
    into bars: inout [Expression], calls: inout [Expression]
  ) throws {
    switch expression {
    case .call(_, _, let offset):
      guard additive else {
        throw FormulaError.syntax(
          formula: text, offset: offset,
          message: "a covariance term can only be added with '+'")
      }
      calls.append(expression)
      return
    case .binary(let op, let left, let right, let offset):
      if op == .bar || op == .doubleBar {
        guard parenthesized else {
          throw FormulaError.syntax(
            formula: text, offset: offset,
            message: "'\(op.rawValue)' outside parentheses: write random-effects terms as "
              + "(terms | group)")
        }
        guard additive else {
          throw FormulaError.syntax(
            formula: text, offset: offset,
            message: "a random-effects term can only be added with '+'")
        }
        for side in [left, right] {
          if let inner = firstBar(in: side) {
            throw FormulaError.syntax(
              formula: text, offset: inner.offset,
              message: "'\(inner.symbol)' cannot appear inside a random-effects term")
          }
        }
        bars.append(expression)
        return
      }
      // `a - b` keeps the terms of `a`, so random terms may sit left of a minus.
      try collectBars(
        left, additive: additive && (op == .plus || op == .minus), parenthesized: false,
        text: text, into: &bars, calls: &calls)
      try collectBars(
        right, additive: additive && op == .plus, parenthesized: false, text: text,
        into: &bars, calls: &calls)
    case .parenthesized(let inner, _):
      try collectBars(
        inner, additive: additive, parenthesized: true, text: text, into: &bars, calls: &calls)
    case .negation(let operand, _):
      try collectBars(
        operand, additive: false, parenthesized: false, text: text, into: &bars, calls: &calls)
    case .variable, .number:
      return
    }
  }

  /// `structure(time | subject)` or `structure(time | group / subject)` → its specification.
  private static func covarianceTerm(
    _ call: Expression, text: String
  ) throws -> CovarianceTermSpecification {
    guard case .call(let name, let argument, let offset) = call else {
      preconditionFailure("covarianceTerm: not a call")
    }
    guard let structure = CovarianceStructure(rawValue: name) else {
      throw FormulaError.unknownCovarianceStructure(
        name: name, formula: text, offset: offset,
        suggestion: nearestName(to: name, among: CovarianceStructure.formulaNames))
    }
    let usage =
      "write a covariance term as \(name)(visit | subject) or \(name)(visit | group / subject)"
    guard case .binary(.bar, let time, let grouping, let barOffset) = argument.unparenthesized
    else {
      throw FormulaError.syntax(formula: text, offset: argument.startOffset, message: usage)
    }
    guard case .variable(let timeName, _) = time.unparenthesized else {
      throw FormulaError.syntax(
        formula: text, offset: time.startOffset,
        message: "the time of a covariance term must be a single variable; " + usage)
    }
    var subject: String
    var group: String?
    switch grouping.unparenthesized {
    case .variable(let s, _):
      subject = s
    case .binary(.slash, let g, let s, _):
      guard case .variable(let groupName, _) = g.unparenthesized,
        case .variable(let subjectName, _) = s.unparenthesized
      else {
        throw FormulaError.syntax(formula: text, offset: barOffset + 1, message: usage)
      }
      subject = subjectName
      group = groupName
    default:
      throw FormulaError.syntax(formula: text, offset: barOffset + 1, message: usage)
    }
    if timeName == subject || timeName == group {
      throw FormulaError.covarianceTimeNotUsable(
        name: timeName, reason: "it is also the subject or group variable of the term")
    }
    if subject == group {
      throw FormulaError.syntax(
        formula: text, offset: barOffset + 1,
        message: "the group and subject of a covariance term must be different variables")
    }
    return CovarianceTermSpecification(
      structure: structure, timeVariable: timeName, subjectVariable: subject,
      groupVariable: group, text: call.deparsed, offset: offset)
  }

  private static func firstBar(in expression: Expression) -> (offset: Int, symbol: String)? {
    switch expression {
    case .binary(let op, let left, let right, let offset):
      if op == .bar || op == .doubleBar { return (offset, op.rawValue) }
      return firstBar(in: left) ?? firstBar(in: right)
    case .parenthesized(let inner, _): return firstBar(in: inner)
    case .negation(let operand, _): return firstBar(in: operand)
    case .variable, .number, .call: return nil
    }
  }

  /// One `(lhs | g)` or `(lhs || g)` → lme4's list of single-factor `|` terms.
  private static func expand(bar: Expression, text: String) throws -> [RandomTermSpecification] {
    guard case .binary(let op, let lhs, let grouping, let offset) = bar else { return [] }
    let start = lhs.startOffset
    // Each piece: intercept, terms, and the lhs as lme4 deparses it.
    var pieces: [(intercept: Bool, terms: [Term], text: String)] = []
    var encoder = TermEncoder()
    let terms = encoder.terms(of: lhs)
    if op == .doubleBar {
      // lme4's expandDoubleVerts: "1" if there is an intercept, then "0 + <label>" per term.
      if encoder.intercept { pieces.append((true, [], "1")) }
      for term in terms { pieces.append((false, [term], "0 + " + term.label)) }
    } else {
      pieces.append((encoder.intercept, terms, lhs.deparsed))
    }
    if pieces.allSatisfy({ !$0.intercept && $0.terms.isEmpty }) {
      throw FormulaError.syntax(
        formula: text, offset: start,
        message: "random-effects term '\(bar.deparsed)' has no random effects")
    }
    let factors = try groupingFactors(grouping, barOffset: offset, text: text)
    var out: [RandomTermSpecification] = []
    for piece in pieces {
      for factor in factors {
        out.append(
          RandomTermSpecification(
            hasIntercept: piece.intercept, terms: piece.terms,
            groupingVariables: factor.variables, groupingName: factor.name,
            text: piece.text + " | " + factor.name, offset: start))
      }
    }
    return out
  }

  /// The grouping factors of `g`: one for a name or an interaction `a:b`; for a nesting
  /// `a/b/c`, lme4's `c:(b:a)`, `b:a`, `a`.
  private static func groupingFactors(
    _ grouping: Expression, barOffset: Int, text: String
  ) throws -> [(variables: [String], name: String)] {
    // Parentheses around the whole factor only group; lme4 would name `(1 | (g))`'s factor
    // "(g)", which helps nobody.
    let g = grouping.unparenthesized
    if case .binary(.slash, _, _, _) = g {
      var chain: [String] = []
      try flattenNesting(g, into: &chain, text: text)
      var factors: [(variables: [String], name: String)] = []
      var name = deparsedName(chain[0])
      var variables = [chain[0]]
      // A single variable is named as written, without backquotes (as lme4 names it).
      factors.append((variables, chain[0]))
      for next in chain.dropFirst() {
        let inner = variables.count > 1 ? "(" + name + ")" : name
        name = deparsedName(next) + ":" + inner
        variables.insert(next, at: 0)
        factors.append((variables, name))
      }
      return factors.reversed()
    }
    var variables: [String] = []
    try flattenInteraction(g, into: &variables, text: text)
    if case .variable(let name, _) = g { return [(variables, name)] }
    return [(variables, g.deparsed)]
  }

  private static func flattenNesting(
    _ expression: Expression, into chain: inout [String], text: String
  ) throws {
    switch expression.unparenthesized {
    case .binary(.slash, let left, let right, _):
      try flattenNesting(left, into: &chain, text: text)
      try flattenNesting(right, into: &chain, text: text)
    case .variable(let name, _):
      chain.append(name)
    default:
      throw FormulaError.syntax(
        formula: text, offset: expression.offset,
        message: "each level of a nested grouping factor (a/b/c) must be a variable name")
    }
  }

  private static func flattenInteraction(
    _ expression: Expression, into variables: inout [String], text: String
  ) throws {
    switch expression {
    case .binary(.colon, let left, let right, _):
      try flattenInteraction(left, into: &variables, text: text)
      try flattenInteraction(right, into: &variables, text: text)
    case .parenthesized(let inner, _):
      try flattenInteraction(inner, into: &variables, text: text)
    case .variable(let name, _):
      if !variables.contains(name) { variables.append(name) }
    case .binary(.slash, _, _, let offset):
      throw FormulaError.syntax(
        formula: text, offset: offset,
        message: "a grouping factor cannot mix ':' and '/'; write a/b/c or a:b")
    default:
      throw FormulaError.syntax(
        formula: text, offset: expression.offset,
        message: "a grouping factor is a variable, an interaction a:b, or a nesting a/b")
    }
  }

  private static func appendVariables(of expression: Expression, to names: inout [String]) {
    switch expression {
    case .variable(let name, _): names.append(name)
    case .number: break
    case .binary(_, let left, let right, _):
      appendVariables(of: left, to: &names)
      appendVariables(of: right, to: &names)
    case .negation(let operand, _), .parenthesized(let operand, _), .call(_, let operand, _):
      appendVariables(of: operand, to: &names)
    }
  }
}
