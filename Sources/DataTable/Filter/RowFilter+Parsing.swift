// MARK: - Parsing

extension RowFilter {
  /// Parses a filter such as `visit >= 1 & arm in (placebo, ketamine)`.
  ///
  /// See the type's documentation for the grammar. Only the syntax is checked here; column
  /// names, levels and types are checked against a table by `mask(in:)`.
  /// - Parameter text: The filter text.
  /// - Throws: `DataError.filterSyntax` pointing at the offending character.
  public init(_ text: String) throws(DataError) {
    var parser = Parser(text: text, tokens: try Lexer(text: text).tokens())
    let expression = try parser.parseOr()
    try parser.expectEnd()
    self.text = text
    self.expression = expression
  }
}

/// A token of a filter and where it starts.
private struct Token {
  enum Kind: Equatable {
    case name(String)
    case backquoted(String)
    case quoted(String)
    case number(Double, String)
    case op(RowFilter.Operator)
    case and, or, not, `in`
    case open, close, comma
    case end
  }
  let kind: Kind
  let offset: Int

  /// The token as written (empty for the end).
  var spelling: String

  /// How the token reads in an error message.
  var display: String { kind == .end ? "the end" : "'\(spelling)'" }
}

private struct Lexer {
  let text: String
  let chars: [Character]

  init(text: String) {
    self.text = text
    self.chars = Array(text)
  }

  func error(_ offset: Int, _ message: String) -> DataError {
    .filterSyntax(expression: text, offset: offset, message: message)
  }

  static func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "." }
  static func isNamePart(_ c: Character) -> Bool {
    c.isLetter || c.isNumber || c == "_" || c == "."
  }
  static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

  func tokens() throws(DataError) -> [Token] {
    var tokens = [Token]()
    var i = 0
    func peek(_ k: Int) -> Character? { i + k < chars.count ? chars[i + k] : nil }
    // Each token is appended when recognised; its spelling is filled in once `i` has moved
    // past it.
    func spellLast() {
      if let last = tokens.indices.last, tokens[last].spelling.isEmpty {
        tokens[last].spelling = String(chars[tokens[last].offset..<i])
      }
    }
    while i < chars.count {
      spellLast()
      let c = chars[i]
      let start = i
      if c.isWhitespace {
        i += 1
        continue
      }
      let next = peek(1)
      let startsNumber =
        Self.isDigit(c) || (c == "." && next.map(Self.isDigit) == true)
        || ((c == "-" || c == "+")
          && (next.map(Self.isDigit) == true
            || (next == "." && peek(2).map(Self.isDigit) == true)))
      if startsNumber {
        i = scanNumber(from: i)
        let spelling = String(chars[start..<i])
        if i < chars.count, Self.isNamePart(chars[i]) {
          throw error(start, "a value starting with a digit must be quoted, as '\(spelling)…'")
        }
        guard let value = Double(spelling) else { throw error(start, "not a number") }
        tokens.append(Token(kind: .number(value, spelling), offset: start, spelling: ""))
        continue
      }
      if Self.isNameStart(c) {
        while i < chars.count, Self.isNamePart(chars[i]) { i += 1 }
        let word = String(chars[start..<i])
        let kind: Token.Kind =
          switch word {
          case "and": .and
          case "or": .or
          case "not": .not
          case "in": .in
          default: .name(word)
          }
        tokens.append(Token(kind: kind, offset: start, spelling: ""))
        continue
      }
      switch c {
      case "'", "\"", "`":
        i += 1
        while i < chars.count, chars[i] != c { i += 1 }
        guard i < chars.count else {
          throw error(start, "the quote \(c) opened here is not closed")
        }
        let body = String(chars[(start + 1)..<i])
        i += 1
        if c == "`" {
          guard !body.isEmpty else { throw error(start, "empty column name") }
          tokens.append(Token(kind: .backquoted(body), offset: start, spelling: ""))
        } else {
          tokens.append(Token(kind: .quoted(body), offset: start, spelling: ""))
        }
      case "=":
        guard next == "=" else { throw error(start, "use '==' to test equality") }
        tokens.append(Token(kind: .op(.equal), offset: start, spelling: ""))
        i += 2
      case "!":
        if next == "=" {
          tokens.append(Token(kind: .op(.notEqual), offset: start, spelling: ""))
          i += 2
        } else {
          tokens.append(Token(kind: .not, offset: start, spelling: ""))
          i += 1
        }
      case "<", ">":
        let orEqual = next == "="
        let op: RowFilter.Operator =
          c == "<" ? (orEqual ? .lessOrEqual : .less) : (orEqual ? .greaterOrEqual : .greater)
        tokens.append(Token(kind: .op(op), offset: start, spelling: ""))
        i += orEqual ? 2 : 1
      case "&", "|":
        tokens.append(Token(kind: c == "&" ? .and : .or, offset: start, spelling: ""))
        i += next == c ? 2 : 1
      case "(":
        tokens.append(Token(kind: .open, offset: start, spelling: ""))
        i += 1
      case ")":
        tokens.append(Token(kind: .close, offset: start, spelling: ""))
        i += 1
      case ",":
        tokens.append(Token(kind: .comma, offset: start, spelling: ""))
        i += 1
      default:
        throw error(start, "unexpected character '\(c)'")
      }
    }
    spellLast()
    tokens.append(Token(kind: .end, offset: chars.count, spelling: ""))
    return tokens
  }

  /// The end of the number starting at `start`: sign, digits, fraction, exponent.
  func scanNumber(from start: Int) -> Int {
    var i = start
    if chars[i] == "-" || chars[i] == "+" { i += 1 }
    while i < chars.count, Self.isDigit(chars[i]) { i += 1 }
    if i < chars.count, chars[i] == "." {
      i += 1
      while i < chars.count, Self.isDigit(chars[i]) { i += 1 }
    }
    if i < chars.count, chars[i] == "e" || chars[i] == "E" {
      var j = i + 1
      if j < chars.count, chars[j] == "-" || chars[j] == "+" { j += 1 }
      if j < chars.count, Self.isDigit(chars[j]) {
        while j < chars.count, Self.isDigit(chars[j]) { j += 1 }
        i = j
      }
    }
    return i
  }
}

/// Recursive descent over the tokens, one function per grammar rule.
///
/// Parentheses and negations nest at most `maximumNesting` deep and a filter holds at most
/// `maximumConditions` conditions, so neither parsing nor evaluating (both recursive) can
/// exhaust the stack.
private struct Parser {
  static let maximumNesting = 200
  static let maximumConditions = 1_000

  let text: String
  let tokens: [Token]
  var position = 0
  var depth = 0
  var conditions = 0

  init(text: String, tokens: [Token]) {
    self.text = text
    self.tokens = tokens
  }

  var current: Token { tokens[position] }

  func error(_ token: Token, _ message: String) -> DataError {
    .filterSyntax(expression: text, offset: token.offset, message: message)
  }

  mutating func parseOr() throws(DataError) -> RowFilter.Expression {
    var left = try parseAnd()
    while current.kind == .or {
      position += 1
      left = .or(left, try parseAnd())
    }
    return left
  }

  mutating func parseAnd() throws(DataError) -> RowFilter.Expression {
    var left = try parseNot()
    while current.kind == .and {
      position += 1
      left = .and(left, try parseNot())
    }
    return left
  }

  mutating func parseNot() throws(DataError) -> RowFilter.Expression {
    guard current.kind == .not || current.kind == .open else { return try parseCondition() }
    depth += 1
    defer { depth -= 1 }
    if depth > Self.maximumNesting {
      throw error(
        current, "parentheses and negations nest more than \(Self.maximumNesting) deep")
    }
    if current.kind == .not {
      position += 1
      return .not(try parseNot())
    }
    let open = current
    position += 1
    let inner = try parseOr()
    guard current.kind == .close else {
      throw error(
        current,
        "expected ')' to close the '(' at column \(open.offset + 1), found \(current.display)")
    }
    position += 1
    return inner
  }

  mutating func parseCondition() throws(DataError) -> RowFilter.Expression {
    let columnToken = current
    conditions += 1
    if conditions > Self.maximumConditions {
      throw error(columnToken, "more than \(Self.maximumConditions) conditions")
    }
    let name: String
    switch columnToken.kind {
    case .name(let s), .backquoted(let s): name = s
    case .end: throw error(columnToken, "expected a condition such as 'visit >= 1'")
    default:
      throw error(columnToken, "expected a column name, found \(columnToken.display)")
    }
    position += 1
    let column = RowFilter.ColumnReference(name: name, offset: columnToken.offset)
    let opToken = current
    switch opToken.kind {
    case .op(let op):
      position += 1
      let value = try parseValue(after: "'\(op.rawValue)'")
      return .comparison(
        RowFilter.Comparison(column: column, op: op, opOffset: opToken.offset, value: value))
    case .in:
      position += 1
      guard current.kind == .open else {
        throw error(current, "expected '(' after 'in', as in 'arm in (placebo, ketamine)'")
      }
      position += 1
      var values = [try parseValue(after: "'('")]
      while current.kind == .comma {
        position += 1
        values.append(try parseValue(after: "','"))
      }
      guard current.kind == .close else {
        throw error(current, "expected ',' or ')' in the list of values, found \(current.display)")
      }
      position += 1
      return .membership(RowFilter.Membership(column: column, values: values))
    default:
      throw error(
        opToken,
        "expected a comparison (==, !=, <, <=, >, >=, in) after '\(name)', found "
          + opToken.display)
    }
  }

  mutating func parseValue(after what: String) throws(DataError) -> RowFilter.Literal {
    let token = current
    let literal: RowFilter.Literal
    switch token.kind {
    case .number(let value, let spelling):
      literal = RowFilter.Literal(
        text: spelling, number: value, isQuoted: false, offset: token.offset)
    case .name(let s):
      literal = RowFilter.Literal(text: s, number: nil, isQuoted: false, offset: token.offset)
    case .quoted(let s):
      let number = Double(s.trimmingSpaces).flatMap { $0.isFinite ? $0 : nil }
      literal = RowFilter.Literal(text: s, number: number, isQuoted: true, offset: token.offset)
    default:
      throw error(
        token,
        "expected a value (number, level or quoted text) after \(what), found \(token.display)")
    }
    position += 1
    return literal
  }

  func expectEnd() throws(DataError) {
    guard current.kind == .end else {
      let hint = current.kind == .close ? "unmatched ')'" : "unexpected \(current.display)"
      throw error(current, hint + "; join conditions with & (and) or | (or)")
    }
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
