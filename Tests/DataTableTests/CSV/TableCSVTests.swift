import DataTable
import Testing

@Suite("Writing a table as CSV")
struct TableCSVTests {
  let table: Table = {
    do {
      return try Table(
        source: "t.csv",
        columns: [
          Column(name: "id", codes: [0, 1, -1, 2], levels: ["a", "b,c", "say \"hi\""]),
          Column(name: "x", numbers: [7, -1, .nan, 1.0 / 7]),
          Column(name: "odd,name", numbers: [8.2 - 7.2, 1e-10, 123_456.5, 0.1 + 0.2]),
        ])
    } catch {
      preconditionFailure("the test table is valid: \(error)")
    }
  }()

  @Test("quoting, NA, whole numbers and R's 15 significant digits")
  func layout() {
    let text = String(decoding: table.csvBytes(), as: UTF8.self)
    let expected = [
      #"id,x,"odd,name""#,
      #""a",7,0.999999999999999"#,
      #""b,c",-1,1e-10"#,
      "NA,NA,123456.5",
      #""say ""hi""",0.142857142857143,0.3"#,
    ]
    #expect(text == expected.joined(separator: "\n") + "\n")
  }

  @Test("reading the bytes back gives the labels, missing cells and numbers to 15 digits")
  func roundTrip() throws {
    let back = try table.csvBytes().withUnsafeBytes {
      try Table.readCSV(bytes: $0, source: "back.csv")
    }
    #expect(back.columnNames == table.columnNames)
    let id = try back.column(named: "id")
    #expect(id.codes.map { $0 < 0 ? nil : id.levels[Int($0)] } == ["a", "b,c", nil, "say \"hi\""])
    for name in ["x", "odd,name"] {
      let original = try table.column(named: name).numbers
      let read = try back.column(named: name).numbers
      #expect(read.count == original.count && !read.isEmpty, "\(name) rows")
      for (a, b) in zip(original, read) {
        #expect(a.isNaN ? b.isNaN : abs(a - b) <= 1e-14 * max(1, abs(a)))
      }
    }
  }
}
