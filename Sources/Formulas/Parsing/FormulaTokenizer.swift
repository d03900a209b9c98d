import DataTable

/// One lexical unit of a formula.
struct FormulaToken: Equatable {
  /// What the token is.
  enum Kind: Equatable {
    /// A variable name (backquotes removed).
    case name(String)
    /// A number literal, as written.
    case number(String)
    /// `~ + - * / : ^ | || ( )`.
    case symbol(String)
    /// End of the formula.
    case end
  }

  /// What the token is.
  let kind: Kind
  /// 0-based `Character` offset of its first character.
  let offset: Int

  /// The token as it is named in messages: `'+'`, `'week'`, `the end of the formula`.
  var quoted: String {
    switch kind {
    case .name(let name): "'\(name)'"
    case .number(let text): "'\(text)'"
    case .symbol(let symbol): "'\(symbol)'"
    case .end: "the end of the formula"
    }
  }
}

/// Splits formula text into tokens.
///
/// Names are R names: letters, digits, `.` and `_`, starting with a letter or `.`; anything else
/// goes in backquotes (`` `pain score` ``). A name directly followed by `(` is a function call,
/// which is reported as unsupported.
struct FormulaTokenizer {
  /// Most tokens a formula may have; bounds every recursion over the parsed tree.
  static let maximumTokenCount = 2_000

  private let text: String
  private let characters: [Character]

  /// Prepares to tokenize `text`.
  init(_ text: String) {
    self.text = text
    self.characters = Array(text)
  }

  /// All tokens, ending with `.end`.
  func tokens() throws(FormulaError) -> [FormulaToken] {
    var tokens: [FormulaToken] = []
    var i = 0
    while i < characters.count {
      let c = characters[i]
      if c.isWhitespace {
        i += 1
        continue
      }
      if tokens.count >= Self.maximumTokenCount {
        throw error(at: i, "formula is too long (more than \(Self.maximumTokenCount) symbols)")
      }
      let start = i
      switch c {
      case "`":
        i += 1
        while i < characters.count, characters[i] != "`", !characters[i].isNewline { i += 1 }
        guard i < characters.count, characters[i] == "`" else {
          throw error(at: start, "backquoted name is not closed")
        }
        let name = String(characters[(start + 1)..<i])
        if name.isEmpty { throw error(at: start, "empty backquoted name") }
        i += 1
        try rejectCall(name: name, at: start, next: i)
        tokens.append(FormulaToken(kind: .name(name), offset: start))
      case "~", "+", "-", "*", "/", ":", "^", "(", ")":
        tokens.append(FormulaToken(kind: .symbol(String(c)), offset: start))
        i += 1
      case "|":
        if i + 1 < characters.count, characters[i + 1] == "|" {
          tokens.append(FormulaToken(kind: .symbol("||"), offset: start))
          i += 2
        } else {
          tokens.append(FormulaToken(kind: .symbol("|"), offset: start))
          i += 1
        }
      case "%":
        var end = i + 1
        while end < characters.count, characters[end] != "%", !characters[end].isWhitespace {
          end += 1
        }
        let op = String(characters[i..<min(end + 1, characters.count)])
        throw error(at: start, "operator '\(op)' is not supported in formulas")
      default:
        if c.isNumber && c.isASCII || (c == "." && isDigit(i + 1)) {
          while i < characters.count, isNumberCharacter(i) { i += 1 }
          tokens.append(
            FormulaToken(kind: .number(String(characters[start..<i])), offset: start))
        } else if c.isLetter || c == "." {
          while i < characters.count, isNameCharacter(characters[i]) { i += 1 }
          let name = String(characters[start..<i])
          if name == "." {
            throw error(
              at: start, "'.' (all other columns) is not supported; list the variables by name")
          }
          try rejectCall(name: name, at: start, next: i)
          tokens.append(FormulaToken(kind: .name(name), offset: start))
        } else if c == "_" {
          throw error(
            at: start, "a name cannot start with '_'; put it in backquotes: `\(word(at: start))`")
        } else {
          throw error(at: start, "unexpected character '\(c)'")
        }
      }
    }
    tokens.append(FormulaToken(kind: .end, offset: characters.count))
    return tokens
  }

  private func isNameCharacter(_ c: Character) -> Bool {
    c.isLetter || c.isNumber || c == "." || c == "_"
  }

  private func isDigit(_ i: Int) -> Bool {
    i < characters.count && characters[i].isASCII && characters[i].isNumber
  }

  /// Digits, one decimal point, an exponent: enough to read any number R would.
  private func isNumberCharacter(_ i: Int) -> Bool {
    let c = characters[i]
    if c.isASCII && (c.isNumber || c.isLetter || c == ".") { return true }
    if c == "+" || c == "-", i > 0, characters[i - 1] == "e" || characters[i - 1] == "E" {
      return isDigit(i + 1)
    }
    return false
  }

  /// The run of name characters starting at `i`, for messages.
  private func word(at i: Int) -> String {
    var end = i
    while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
    return String(characters[i..<end])
  }

  /// Throws when a name is immediately followed by `(`: a function call, unless the name is a
  /// covariance structure (`us(visit | subject)`) or close to one (the parser then reports the
  /// unknown structure with a suggestion).
  private func rejectCall(name: String, at start: Int, next: Int) throws(FormulaError) {
    guard next < characters.count, characters[next] == "(" else { return }
    let structures = CovarianceStructure.formulaNames
    if structures.contains(name) || nearestName(to: name, among: structures) != nil { return }
    throw error(at: start, "functions in formulas are not supported yet: \(name)")
  }

  private func error(at offset: Int, _ message: String) -> FormulaError {
    .syntax(formula: text, offset: offset, message: message)
  }
}
