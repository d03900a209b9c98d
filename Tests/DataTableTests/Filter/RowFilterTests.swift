import DataTable
import Testing

@Suite("Row filters: parsing")
struct RowFilterParsingTests {
  /// The grouping the parser chose, fully parenthesised.
  private func grouped(_ text: String) throws -> String {
    try RowFilter(text).description
  }

  /// The syntax error for `text`: its caret offset and message.
  private func syntaxError(_ text: String) -> (offset: Int, message: String)? {
    do {
      _ = try RowFilter(text)
    } catch {
      if case .filterSyntax(let expression, let offset, let message) = error,
        expression == text
      {
        return (offset, message)
      }
    }
    return nil
  }

  @Test("comparisons with every operator, numbers and labels")
  func comparisons() throws {
    #expect(try grouped("visit >= 1") == "visit >= 1")
    for op in RowFilter.Operator.allCases {
      #expect(try grouped("x \(op.rawValue) -2.5e1") == "x \(op.rawValue) -2.5e1")
    }
    #expect(try grouped("x<.5") == "x < .5")
    #expect(try grouped("arm != placebo") == "arm != placebo")
    let filter = try RowFilter("day > -7")
    guard case .comparison(let c) = filter.expression else {
      Issue.record("not a comparison: \(filter)")
      return
    }
    #expect(c.column.name == "day" && c.column.offset == 0)
    #expect(c.op == .greater && c.opOffset == 4)
    #expect(c.value.number == -7 && !c.value.isQuoted && c.value.offset == 6)
  }

  @Test("single- and double-quoted values keep their text; quoted numbers are numbers")
  func quoting() throws {
    #expect(try grouped("arm == 'ketamine'") == "arm == 'ketamine'")
    #expect(try grouped("arm == \"ket amine\"") == "arm == 'ket amine'")
    let filter = try RowFilter("visit == '2'")
    guard case .comparison(let c) = filter.expression else {
      Issue.record("not a comparison")
      return
    }
    #expect(c.value.text == "2" && c.value.isQuoted && c.value.number == 2)
    #expect(try grouped("`dose mg` > 0") == "dose mg > 0")
  }

  @Test("& binds tighter than |, ! tighter than &, as in R")
  func precedence() throws {
    #expect(try grouped("a == 1 | b == 2 & c == 3") == "(a == 1 | (b == 2 & c == 3))")
    #expect(try grouped("a == 1 & b == 2 | c == 3") == "((a == 1 & b == 2) | c == 3)")
    #expect(try grouped("!a == 1 & b == 2") == "(!(a == 1) & b == 2)")
    #expect(try grouped("a == 1 | b == 2 | c == 3") == "((a == 1 | b == 2) | c == 3)")
    #expect(
      try grouped("not a == 1 and b == 2 or c == 3") == "((!(a == 1) & b == 2) | c == 3)")
    #expect(try grouped("a == 1 && b == 2 || c == 3") == "((a == 1 & b == 2) | c == 3)")
  }

  @Test("parentheses override precedence")
  func parentheses() throws {
    #expect(try grouped("(a == 1 | b == 2) & c == 3") == "((a == 1 | b == 2) & c == 3)")
    #expect(try grouped("!(a == 1 | b == 2)") == "!((a == 1 | b == 2))")
    #expect(try grouped("((a == 1))") == "a == 1")
  }

  @Test("in lists of labels, quoted labels and numbers")
  func membership() throws {
    #expect(
      try grouped("arm in (placebo, 'ketamine', \"x y\")") == "arm in (placebo, 'ketamine', 'x y')")
    #expect(try grouped("visit in (1,2 , 3)") == "visit in (1, 2, 3)")
    #expect(try grouped("!(arm in (a)) & v in (1)") == "(!(arm in (a)) & v in (1))")
    #expect(
      try RowFilter("arm in (a) | site == s1 & visit >= 1").columnNames == [
        "arm", "site", "visit",
      ])
  }

  @Test("syntax errors point at the offending character")
  func syntaxErrors() {
    let cases: [(String, Int, String)] = [
      ("", 0, "expected a condition"),
      ("visit >= ", 9, "expected a value"),
      ("visit 1", 6, "expected a comparison"),
      ("visit = 1", 6, "use '=='"),
      ("(visit >= 1", 11, "expected ')' to close the '(' at column 1"),
      ("visit >= 1)", 10, "unmatched ')'"),
      ("visit >= 1 arm == a", 11, "unexpected 'arm'"),
      ("arm == 'ketamine", 7, "not closed"),
      ("arm in placebo", 7, "expected '(' after 'in'"),
      ("arm in (a b)", 10, "expected ',' or ')'"),
      ("arm in ()", 8, "expected a value"),
      ("1 == visit", 0, "expected a column name"),
      ("visit >= 1 &", 12, "expected a condition"),
      ("dose == 10mg", 8, "must be quoted"),
      ("visit # 1", 6, "unexpected character '#'"),
      ("`` == 1", 0, "empty column name"),
      ("arm == and", 7, "expected a value"),
    ]
    for (text, offset, fragment) in cases {
      let error = syntaxError(text)
      #expect(error?.offset == offset, "\(text): \(String(describing: error))")
      #expect(error?.message.contains(fragment) == true, "\(text): \(String(describing: error))")
    }
  }

  @Test("a syntax error renders the filter with a caret under the offending character")
  func caret() {
    #expect(throws: DataError.self) { try RowFilter("visit = 1") }
    do {
      _ = try RowFilter("visit >= 1 & arm = a")
    } catch {
      #expect(
        error.description == """
          row filter syntax error: use '==' to test equality
            visit >= 1 & arm = a
                             ^
          """)
    }
  }
}

@Suite("Row filters: evaluation")
struct RowFilterEvaluationTests {
  /// Six rows: a numeric visit (one missing), a categorical arm (one missing), a numeric-looking
  /// categorical site.
  private func table() throws -> Table {
    let text = """
      visit,arm,site,pain
      0,placebo,101,5
      1,placebo,101,NA
      2,ketamine,102,4
      NA,ketamine,102,3
      1,,103,2
      3,ketamine_memantine,103,1

      """
    return try Table.readCSV(
      text: text, source: "data.csv", options: CSVOptions(factorColumns: ["site"]))
  }

  private func mask(_ text: String) throws -> [Bool] {
    try RowFilter(text).mask(in: try table())
  }

  /// The error `text` raises on the table.
  private func error(_ text: String) throws -> DataError? {
    let filter = try RowFilter(text)
    do {
      _ = try filter.mask(in: try table())
    } catch let error as DataError {
      return error
    }
    return nil
  }

  @Test("numeric comparisons; a missing value is never selected")
  func numeric() throws {
    #expect(try mask("visit >= 1") == [false, true, true, false, true, true])
    #expect(try mask("visit < 1") == [true, false, false, false, false, false])
    #expect(try mask("visit != 1") == [true, false, true, false, false, true])
    #expect(try mask("visit == '2'") == [false, false, true, false, false, false])
    #expect(try mask("visit in (0, 3)") == [true, false, false, false, false, true])
    #expect(try mask("pain <= 4") == [false, false, true, true, true, true])
  }

  @Test("categorical equality and in; a missing level is never selected")
  func categorical() throws {
    #expect(try mask("arm == placebo") == [true, true, false, false, false, false])
    #expect(try mask("arm != 'placebo'") == [false, false, true, true, false, true])
    #expect(
      try mask("arm in (ketamine, ketamine_memantine)") == [false, false, true, true, false, true])
    #expect(try mask("site == 102") == [false, false, true, true, false, false])
    #expect(try mask("site in ('101', 103.0)") == [true, true, false, false, true, true])
  }

  @Test("R's three-valued logic: NA & FALSE is FALSE, NA | TRUE is TRUE, !NA is NA")
  func threeValued() throws {
    // Row 4 has visit NA; row 5 has arm NA.
    #expect(try mask("!(visit >= 1)") == [true, false, false, false, false, false])
    #expect(try mask("visit >= 1 | arm == ketamine") == [false, true, true, true, true, true])
    #expect(try mask("visit >= 1 & arm != placebo") == [false, false, true, false, false, true])
    #expect(try mask("!(arm == placebo)") == [false, false, true, true, false, true])
    #expect(
      try mask("(visit == 0 | visit >= 2) & !(arm in (placebo))") == [
        false, false, true, false, false, true,
      ])
  }

  @Test("an unknown column is an error with a suggestion and a caret")
  func unknownColumn() throws {
    let error = try error("visit >= 1 & amr == placebo")
    #expect(
      error?.description == """
        data.csv: row filter: no column named 'amr'; did you mean 'arm'?
          visit >= 1 & amr == placebo
                       ^
        """)
  }

  @Test("an unknown level is an error naming the levels and the nearest one")
  func unknownLevel() throws {
    let error = try error("arm in (placebo, ketamin)")
    #expect(
      error?.description == """
        row filter: column 'arm' has no level 'ketamin'; did you mean 'ketamine'? \
        (levels: ketamine, ketamine_memantine, placebo)
          arm in (placebo, ketamin)
                           ^
        """)
    #expect(try self.error("site == 104")?.description.contains("no level '104'") == true)
  }

  @Test("a numeric column compared with a label is an error")
  func notANumber() throws {
    let error = try error("visit == baseline")
    #expect(
      error?.description == """
        row filter: column 'visit' is numeric, but 'baseline' is not a number
          visit == baseline
                   ^
        """)
    #expect(try self.error("visit in (1, 'two')")?.description.contains("'two'") == true)
  }

  @Test("ordering a categorical column is an error at the operator")
  func orderingCategorical() throws {
    let error = try error("arm >= placebo")
    #expect(error?.description.hasPrefix("row filter: column 'arm' is categorical") == true)
    #expect(error?.description.hasSuffix("\n  arm >= placebo\n      ^") == true)
  }

  @Test("a categorical column whose levels are all numbers orders as numbers (site 101…103)")
  func orderingNumericLevels() throws {
    #expect(try mask("site >= 102") == [false, false, true, true, true, true])
    #expect(try mask("site < 102.5") == [true, true, true, true, false, false])
    #expect(try error("site > north")?.description.contains("'north'") == true)
  }
}
