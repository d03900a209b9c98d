import DataTable
import Foundation
import Testing

/// Reads `text` as a CSV file named `data.csv`.
private func read(_ text: String, options: CSVOptions = CSVOptions()) throws -> Table {
  try Table.readCSV(text: text, source: "data.csv", options: options)
}

/// The message of the error reading `text` throws, or nil when it reads.
private func failure(_ text: String, options: CSVOptions = CSVOptions()) -> String? {
  do {
    _ = try read(text, options: options)
    return nil
  } catch {
    return "\(error)"
  }
}

/// The labels of a categorical column, row by row (nil = missing).
private func labels(_ column: Column) -> [String?] {
  column.codes.map { $0 < 0 ? nil : column.levels[Int($0)] }
}

/// Whether two arrays of doubles agree, NaN matching NaN.
private func same(_ a: [Double], _ b: [Double]) -> Bool {
  a.count == b.count
    && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
}

@Suite("CSV syntax (RFC 4180)")
struct CSVSyntaxTests {
  @Test("reads a header and comma-separated records into typed columns")
  func plainFile() throws {
    let table = try read("subject,week,pain\nS1,0,6.5\nS1,1,5.25\nS2,0,7\n")
    #expect(table.columnNames == ["subject", "week", "pain"])
    #expect(table.rowCount == 3)
    #expect(table.source == "data.csv")
    #expect(table.lines == [2, 3, 4])
    let subject = try table.column(named: "subject")
    #expect(subject.kind == .categorical)
    #expect(subject.levels == ["S1", "S2"])
    #expect(subject.codes == [0, 0, 1])
    #expect(try table.column(named: "week").numbers == [0, 1, 0])
    #expect(try table.column(named: "pain").numbers == [6.5, 5.25, 7])
  }

  @Test("the final line end is optional")
  func noTrailingNewline() throws {
    let table = try read("a,b\n1,x\n2,y")
    #expect(table.rowCount == 2)
    #expect(labels(try table.column(named: "b")) == ["x", "y"])
  }

  @Test("CRLF line ends are removed from the last field")
  func crlf() throws {
    let table = try read("a,b\r\n1,x\r\n2,y\r\n")
    #expect(table.columnNames == ["a", "b"])
    #expect(try table.column(named: "b").levels == ["x", "y"])
    #expect(table.lines == [2, 3])
  }

  @Test("a UTF-8 byte order mark before the header is skipped")
  func byteOrderMark() throws {
    let table = try Table.readCSV(
      bytes: [0xEF, 0xBB, 0xBF] + Array("id,y\n1,2\n".utf8), source: "data.csv")
    #expect(table.columnNames == ["id", "y"])
  }

  @Test("quoted fields hold commas, doubled quotes and line breaks")
  func quotedFields() throws {
    let table = try read(
      "id,note\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"crlf\r\ninside\"\n")
    #expect(
      labels(try table.column(named: "note")) == [
        "a, b", "say \"hi\"", "two\nlines", "crlf\r\ninside",
      ])
  }

  @Test("a field of one escaped quote, and an empty quoted field")
  func escapedQuoteOnly() throws {
    let table = try read("a,b\n\"\"\"\",x\n\"\",y\n")
    #expect(labels(try table.column(named: "a")) == ["\"", nil])
  }

  @Test("rows after a quoted line break keep their physical line numbers")
  func embeddedNewlineLines() throws {
    let table = try read("id,note\n1,\"first\nsecond\nthird\"\n2,plain\n3,\"x\"\n")
    #expect(table.lines == [2, 5, 6])
    #expect(table.location(row: 1, column: "note").description == "data.csv:5: column 'note'")
  }

  @Test("blank lines are skipped anywhere, and line numbers still count them")
  func blankLines() throws {
    let table = try read("\n\na,b\n1,2\n\n   \n\t\r\n3,4\r\n\r\n\n")
    #expect(table.rowCount == 2)
    #expect(table.lines == [4, 8])
    #expect(try table.column(named: "a").numbers == [1, 3])
  }

  @Test("unquoted fields are trimmed of spaces and tabs; quoted fields are kept exactly")
  func trimming() throws {
    let table = try read("name , value\n  x y \t,  2.5 \n\" padded \", 3\n")
    #expect(table.columnNames == ["name", "value"])
    #expect(labels(try table.column(named: "name")) == [" padded ", "x y"].reversed())
    #expect(try table.column(named: "value").numbers == [2.5, 3])
  }

  @Test("spaces around a quoted field are skipped; text after its closing quote is kept")
  func lenientQuotes() throws {
    let table = try read("a,b\n  \"x\"  ,1\n\"ab\"cd,2\n\"e\"\"f\" g,3\nh\"i\",4\n")
    #expect(labels(try table.column(named: "a")) == ["x", "abcd", "e\"f g", "h\"i\""])
  }

  @Test("quoted header names may hold commas and quotes")
  func quotedHeader() throws {
    let table = try read("\"dose, mg\",\"say \"\"x\"\"\",plain\n1,2,3\n")
    #expect(table.columnNames == ["dose, mg", "say \"x\"", "plain"])
  }

  @Test("an empty last field after a trailing comma counts as a field")
  func trailingComma() throws {
    let table = try read("a,b\n1,\n2,3")
    #expect(same(try table.column(named: "b").numbers, [.nan, 3]))
  }

  @Test("a single-column file reads one value a line")
  func singleColumn() throws {
    let table = try read("y\n1\nNA\n3\n")
    #expect(same(try table.column(named: "y").numbers, [1, .nan, 3]))
  }

  @Test("non-ASCII text is kept as UTF-8")
  func unicode() throws {
    let table = try read("arm,größe\nplacébo,1\n安慰剂,2\n")
    #expect(table.columnNames == ["arm", "größe"])
    #expect(try table.column(named: "arm").levels == ["placébo", "安慰剂"])
  }
}

@Suite("CSV errors")
struct CSVErrorTests {
  @Test("an empty file, or one of blank lines only, is an error")
  func emptyFile() {
    #expect(failure("") == "data.csv: file is empty")
    #expect(failure("\n\n  \r\n\t\n") == "data.csv: file is empty")
    #expect(failure("\u{FEFF}") == "data.csv: file is empty")
  }

  @Test("an empty buffer is an empty file")
  func emptyBuffer() {
    #expect(throws: DataError.emptyFile(source: "data.csv")) {
      try Table.readCSV(bytes: UnsafeRawBufferPointer(start: nil, count: 0), source: "data.csv")
    }
  }

  @Test("a header without data rows is an error")
  func headerOnly() {
    #expect(failure("a,b\n") == "data.csv: file has a header but no data rows")
    #expect(failure("a,b") == "data.csv: file has a header but no data rows")
    #expect(failure("a,b\r\n\r\n  \n") == "data.csv: file has a header but no data rows")
  }

  @Test("a record with too few or too many fields names its line")
  func raggedRows() {
    #expect(failure("a,b\n1,2\n3\n") == "data.csv:3: expected 2 fields as in the header, found 1")
    #expect(failure("a,b\n1,2,3\n") == "data.csv:2: expected 2 fields as in the header, found 3")
    #expect(
      failure("a,b\n1,\"x\ny\"\n\n2,3,4,5\n")
        == "data.csv:5: expected 2 fields as in the header, found 4")
  }

  @Test("a quote left open names the line where it opened and its column")
  func unterminatedQuote() {
    #expect(
      failure("a,b\n1,2\n3,\"open\n4,5\n")
        == "data.csv:3: column 'b': quoted field is not closed before the end of the file")
    #expect(
      failure("\"a,b\n1,2\n") == "data.csv:1: quoted field is not closed before the end of the file"
    )
    #expect(
      failure("a,b\n1,2,\"x\n")
        == "data.csv:2: quoted field is not closed before the end of the file")
  }

  @Test("header names must be unique and non-empty")
  func badHeader() {
    #expect(failure("a,b,a\n1,2,3\n") == "data.csv: column 'a' appears twice in the header")
    #expect(failure("a,,c\n1,2,3\n") == "data.csv:1: header field 2 is empty")
    #expect(failure("a,\"\"\n1,2\n") == "data.csv:1: header field 2 is empty")
  }

  @Test("an unknown factor column is an error with a suggestion")
  func unknownFactorColumn() {
    #expect(
      failure("site,y\n1,2\n", options: CSVOptions(factorColumns: ["sit"]))
        == "data.csv: no column named 'sit'; did you mean 'site'?")
    #expect(
      failure("site,y\n1,2\n", options: CSVOptions(factorColumns: ["visit_number"]))
        == "data.csv: no column named 'visit_number'")
  }

  @Test("an unknown column name gets the nearest name as a suggestion")
  func unknownColumn() throws {
    let table = try read("subject,week,pain\nS1,0,1\n")
    #expect(throws: DataError.unknownColumn(name: "weak", source: "data.csv", suggestion: "week")) {
      try table.column(named: "weak")
    }
    #expect(
      DataError.unknownColumn(name: "weak", source: "data.csv", suggestion: "week").description
        == "data.csv: no column named 'weak'; did you mean 'week'?")
    #expect(nearestName(to: "Pain", among: table.columnNames) == "pain")
    #expect(nearestName(to: "baseline", among: table.columnNames) == nil)
  }
}

@Suite("CSV files on disk")
struct CSVFileTests {
  @Test("reads a file by path and names it by the path")
  func readsPath() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("datatable-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("trial.csv")
    try Data("arm,y\nplacebo,1\nactive,2\n".utf8).write(to: file)
    let table = try Table.readCSV(path: file.path)
    #expect(table.source == file.path)
    #expect(try table.column(named: "arm").levels == ["active", "placebo"])

    try Data("arm,y\n".utf8).write(to: file)
    #expect(throws: DataError.headerOnly(source: file.path)) { try Table.readCSV(path: file.path) }
    #expect(throws: DataError.unreadable(source: directory.path, reason: "Is a directory")) {
      try Table.readCSV(path: directory.path)
    }
  }

  @Test(
    "a file without read permission is unreadable, with the system's reason",
    .enabled(if: getuid() != 0, "root reads any file"))
  func permissionDenied() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("datatable-\(UUID().uuidString).csv")
    try Data("a\n1\n".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: file.path)
    #expect(throws: DataError.unreadable(source: file.path, reason: "Permission denied")) {
      try Table.readCSV(path: file.path)
    }
  }

  @Test("a missing file is unreadable, with the system's reason")
  func missingFile() {
    let path = "/nonexistent-\(UUID().uuidString)/data.csv"
    #expect(throws: DataError.unreadable(source: path, reason: "No such file or directory")) {
      try Table.readCSV(path: path)
    }
    #expect(
      DataError.unreadable(source: path, reason: "No such file or directory").description
        == "\(path): cannot read file: No such file or directory")
  }
}
