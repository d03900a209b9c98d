import DataTable
import Testing

/// Reads `text` as a CSV file named `data.csv`.
private func read(_ text: String, options: CSVOptions = CSVOptions()) throws -> Table {
  try Table.readCSV(text: text, source: "data.csv", options: options)
}

/// The labels of a categorical column, row by row (nil = missing).
private func labels(_ column: Column) -> [String?] {
  column.codes.map { $0 < 0 ? nil : column.levels[Int($0)] }
}

/// Missing flags of a column, row by row.
private func missing(_ column: Column) -> [Bool] {
  (0..<column.count).map(column.isMissing)
}

@Suite("CSV missing values and type inference")
struct CSVTypingTests {
  @Test("empty, NA, NaN and '.' are missing, quoted or not")
  func missingTokens() throws {
    let table = try read(
      "x,arm\n1,a\n,b\nNA,\nNaN,NA\n.,\"NA\"\n\"\",\".\"\n\"NaN\",c\n  ,  \n")
    let x = try table.column(named: "x")
    #expect(x.kind == .numeric)
    #expect(missing(x) == [false, true, true, true, true, true, true, true])
    let arm = try table.column(named: "arm")
    #expect(arm.kind == .categorical)
    #expect(arm.levels == ["a", "b", "c"])
    #expect(labels(arm) == ["a", "b", nil, nil, nil, nil, "c", nil])
  }

  @Test("missing tokens are case-sensitive: na and nan are text")
  func missingCase() throws {
    let table = try read("x\n1\nna\n")
    #expect(try table.column(named: "x").levels == ["1", "na"])
  }

  @Test("numbers in all their forms make a numeric column")
  func numberForms() throws {
    let table = try read(
      "x\n12\n-3\n+4\n1.\n.5\n-.25\n1e3\n2.5E-2\n1e+2\n007\n0\n-0\n123456789012345678901234567890\n"
    )
    let x = try table.column(named: "x")
    #expect(x.kind == .numeric)
    #expect(
      x.numbers == [12, -3, 4, 1, 0.5, -0.25, 1000, 0.025, 100, 7, 0, 0, 1.2345678901234568e29])
    #expect(x.numbers[11].sign == .minus)
    #expect(x.firstNonFinite == nil)
  }

  @Test("quoted numbers are numbers, as in R")
  func quotedNumbers() throws {
    let table = try read("\"subject\",\"pain\"\n\"S1\",\"6.5\"\n\"S2\",\"7\"\n")
    let pain = try table.column(named: "pain")
    #expect(pain.kind == .numeric)
    #expect(pain.numbers == [6.5, 7])
  }

  @Test("Inf, -Inf, inf and Infinity are infinite numbers; the first is recorded")
  func infinities() throws {
    let table = try read("x\n1\nNA\n-Inf\ninf\nInfinity\n+INF\n-infinity\n1e999\n")
    let x = try table.column(named: "x")
    #expect(x.kind == .numeric)
    #expect(
      Array(x.numbers[2...]) == [
        -.infinity, .infinity, .infinity, .infinity, -.infinity, .infinity,
      ])
    #expect(x.firstNonFinite?.row == 2)
    #expect(x.firstNonFinite?.text == "-Inf")
    #expect(table.location(row: 2, column: "x").description == "data.csv:4: column 'x'")
  }

  @Test("an overflowing number is recorded as the first non-finite value")
  func overflow() throws {
    let x = try read("x\n1\n-2e400\n").column(named: "x")
    #expect(x.numbers == [1, -.infinity])
    #expect(x.firstNonFinite?.text == "-2e400")
  }

  @Test("text that only looks like a number is text")
  func notNumbers() throws {
    for text in [
      "1e", "e5", "+", "-", "1.2.3", "--1", "1-", "0x10", "1,5", "Inf2", "in", "infinit", "1 2",
      "wk3",
    ] {
      let quoted = "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
      let column = try read("x\n\(quoted)\n").column(named: "x")
      #expect(column.kind == .categorical, "\(text)")
      #expect(column.levels == [text])
    }
  }

  @Test("a column of numbers with one word is categorical and records that word")
  func firstNonNumeric() throws {
    let table = try read("id,pain\n1,3\n2,NA\n3,wk3\n4,5\n5,later\n")
    let pain = try table.column(named: "pain")
    #expect(pain.kind == .categorical)
    #expect(pain.levels == ["3", "5", "later", "wk3"])
    #expect(labels(pain) == ["3", nil, "wk3", "5", "later"])
    let first = try #require(pain.firstNonNumeric)
    #expect(first.row == 2)
    #expect(first.text == "wk3")
    let error = DataError.unparsableValue(
      at: table.location(row: first.row, column: "pain"), text: first.text, expected: "a number")
    #expect(error.description == "data.csv:4: column 'pain': expected a number, found \"wk3\"")
  }

  @Test("a categorical column with no numbers has no firstNonNumeric")
  func textOnly() throws {
    let arm = try read("arm\nplacebo\nNA\nactive\n").column(named: "arm")
    #expect(arm.firstNonNumeric == nil)
    #expect(try read("arm\nNA\nx\n1\n").column(named: "arm").firstNonNumeric?.text == "x")
  }

  @Test("numbers read before a column turns categorical keep their own text, over many blocks")
  func lateSwitch() throws {
    var text = "n,v\n"
    for row in 0..<3000 { text += "\(row),\(row % 3 == 0 ? "1.0" : row % 3 == 1 ? "1" : "NA")\n" }
    text += "3000,oops\n3001,1\n"
    let table = try read(text)
    let v = try table.column(named: "v")
    #expect(v.kind == .categorical)
    #expect(v.levels == ["1", "1.0", "oops"])
    let expected: [String?] =
      (0..<3000).map { $0 % 3 == 0 ? "1.0" : $0 % 3 == 1 ? "1" : nil } + ["oops", "1"]
    #expect(labels(v) == expected)
    #expect(v.firstNonNumeric?.row == 3000)
    #expect(v.firstNonNumeric?.text == "oops")
    #expect(try table.column(named: "n").kind == .numeric)
  }

  @Test("a column of only missing values is numeric and all missing")
  func allMissing() throws {
    let x = try read("x,y\nNA,1\n,2\n").column(named: "x")
    #expect(x.kind == .numeric)
    #expect(x.numbers.allSatisfy { $0.isNaN })
  }

  @Test("text levels sort in byte order, R's C-locale order")
  func byteOrder() throws {
    let column = try read("g\nb\nB\na\nA\n_\n10\n9\nz\né\nZ\n").column(named: "g")
    #expect(column.levels == ["10", "9", "A", "B", "Z", "_", "a", "b", "z", "é"])
    #expect(labels(column) == ["b", "B", "a", "A", "_", "10", "9", "z", "é", "Z"])
  }

  @Test("levels differing only in a prefix sort shorter first")
  func prefixOrder() throws {
    let column = try read("g\nab\na\nabc\n").column(named: "g")
    #expect(column.levels == ["a", "ab", "abc"])
  }

  @Test("factor columns get numeric-order levels labelled as R prints them")
  func factorColumns() throws {
    let table = try read(
      "site,dose,week\n308,1.50,1\n12,0.1,2\n308,1e-10,NA\n1000,1.5,3\n",
      options: CSVOptions(factorColumns: ["site", "dose"]))
    let site = try table.column(named: "site")
    #expect(site.kind == .categorical)
    #expect(site.levels == ["12", "308", "1000"])
    #expect(labels(site) == ["308", "12", "308", "1000"])
    let dose = try table.column(named: "dose")
    #expect(dose.levels == ["1e-10", "0.1", "1.5"])
    #expect(labels(dose) == ["1.5", "0.1", "1e-10", "1.5"])
    #expect(try table.column(named: "week").kind == .numeric)
  }

  @Test("a factor column holding text is categorical as usual")
  func factorColumnWithText() throws {
    let site = try read("site\n10\n9\nx\n", options: CSVOptions(factorColumns: ["site"]))
      .column(named: "site")
    #expect(site.levels == ["10", "9", "x"])
  }

  @Test("many distinct levels are interned and sorted correctly")
  func manyLevels() throws {
    let names = (0..<5000).map { "S\(String(($0 * 7919) % 5000))" }
    let table = try read("subject\n" + names.joined(separator: "\n") + "\n")
    let subject = try table.column(named: "subject")
    #expect(subject.levels.count == 5000)
    #expect(subject.levels == Set(names).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    #expect(labels(subject) == names)
  }
}

@Suite("CSV text that is not clean UTF-8")
struct CSVEncodingTests {
  @Test("invalid UTF-8 is repaired, and cells that become the same text share a level")
  func invalidUTF8() throws {
    let bytes = Array("g\n".utf8) + [0xFF, 0x0A, 0xFE, 0x0A, 0x61, 0x0A]
    let g = try Table.readCSV(bytes: bytes, source: "data.csv").column(named: "g")
    #expect(g.levels == ["a", "\u{FFFD}"])
    #expect(g.codes == [1, 1, 0])
  }
}
