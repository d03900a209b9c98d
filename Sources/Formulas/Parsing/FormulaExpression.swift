extension Formula {
  /// A binary operator of the formula language, with R's meaning.
  public enum BinaryOperator: String, Sendable, Equatable {
    /// `a + b`: the terms of both.
    case plus = "+"
    /// `a - b`: the terms of `a` without those of `b`; `- 1` removes the intercept.
    case minus = "-"
    /// `a * b`: `a + b + a:b`.
    case times = "*"
    /// `a / b`: `a + a:b` (nesting); in a grouping factor `a/b` means `a + b:a`.
    case slash = "/"
    /// `a : b`: the interaction of every term of `a` with every term of `b`.
    case colon = ":"
    /// `a ^ k`: all interactions of the terms of `a` up to order `k`.
    case power = "^"
    /// `lhs | g`: correlated random effects `lhs` for each level of `g`.
    case bar = "|"
    /// `lhs || g`: uncorrelated random effects, one term per column of `lhs`.
    case doubleBar = "||"
  }

  /// A node of the parsed formula, carrying the 0-based `Character` offset of its first
  /// character (for operators: of the operator) so that later errors can point at it.
  ///
  /// The tree keeps what was written: parentheses are nodes, and nothing is expanded yet;
  /// `Formula` expands it into terms.
  public indirect enum Expression: Sendable, Equatable {
    /// A variable (column) name, without backquotes.
    case variable(String, offset: Int)
    /// A whole number: `0` or `1` as a term, or the exponent of `^`.
    case number(Int, offset: Int)
    /// `left op right`; `offset` is that of the operator.
    case binary(BinaryOperator, Expression, Expression, offset: Int)
    /// `-operand`: removes the terms of `operand` (from nothing, so it matters for `-1`).
    case negation(Expression, offset: Int)
    /// `( inner )`; `offset` is that of `(`.
    case parenthesized(Expression, offset: Int)
    /// `name(argument)`, a function call; the only calls a formula accepts are residual
    /// covariance terms such as `us(visit | subject)`. `offset` is that of the name.
    case call(String, Expression, offset: Int)

    /// Offset of the node (of its operator for binary nodes).
    public var offset: Int {
      switch self {
      case .variable(_, let offset), .number(_, let offset), .binary(_, _, _, let offset),
        .negation(_, let offset), .parenthesized(_, let offset), .call(_, _, let offset):
        offset
      }
    }

    /// Offset of the node's first character.
    public var startOffset: Int {
      switch self {
      case .binary(_, let left, _, _): left.startOffset
      default: offset
      }
    }

    /// The expression as R's `deparse` prints it: spaces around `+ - * | ||`, none around
    /// `: / ^`, parentheses as written, non-syntactic names in backquotes.
    public var deparsed: String {
      switch self {
      case .variable(let name, _): deparsedName(name)
      case .number(let value, _): String(value)
      case .binary(let op, let left, let right, _):
        switch op {
        case .colon, .slash, .power: left.deparsed + op.rawValue + right.deparsed
        default: left.deparsed + " " + op.rawValue + " " + right.deparsed
        }
      case .negation(let operand, _): "-" + operand.deparsed
      case .parenthesized(let inner, _): "(" + inner.deparsed + ")"
      case .call(let name, let argument, _): name + "(" + argument.deparsed + ")"
      }
    }

    /// The expression with redundant parentheses around it removed.
    var unparenthesized: Expression {
      if case .parenthesized(let inner, _) = self { return inner.unparenthesized }
      return self
    }
  }
}

/// R's reserved words, which `make.names` and backquoting treat specially.
let reservedWords: Set<String> = [
  "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL",
  "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_complex_", "NA_character_", "in",
]

/// Whether `name` is a syntactic R name (needs no backquotes).
func isSyntacticName(_ name: String) -> Bool {
  guard let first = name.first, !reservedWords.contains(name) else { return false }
  if !(first.isLetter || first == ".") { return false }
  if first == ".", let second = name.dropFirst().first, second.isNumber { return false }
  return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }
}

/// `name` as R deparses a symbol: in backquotes when it is not syntactic.
func deparsedName(_ name: String) -> String {
  isSyntacticName(name) ? name : "`" + name + "`"
}
