import Foundation
import TestSupport
import Testing

/// Inputs built to exhaust memory, time or the stack (issue 7, item 6) fail with one clear
/// message: a row longer than the reader's limit, a header with millions of columns, formulas
/// and row filters nesting 10,000 parentheses. (Peak memory and time are measured outside the
/// tests; see the note.)
@Suite("Resource bounds: hostile sizes fail fast with a clear message")
struct ResourceBoundsTests {
  /// The documented limits (README, "Fitting a model"; `traj fit --help`): a CSV row spans at
  /// most 4 MiB, a header at most 100,000 columns.
  static let recordLimit = 4 << 20
  static let columnLimit = 100_000

  @Test("the limits are documented in traj fit --help")
  func documented() throws {
    let help = try runTraj(["fit", "--help"])
    let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(text.contains("a row of DATA.csv may span at most 4 MiB"), "\(help.stdout)")
    #expect(text.contains("the header at most 100,000 columns"))
    #expect(text.contains("parentheses nested at most 200 deep"))
  }

  /// Writes `bytes` as `data.csv` in a fresh directory and runs `traj fit` on it with `--json`.
  func fit(_ bytes: [UInt8], formula: String, extra: [String] = []) throws -> (TrajRun, URL) {
    let dir = try makeTemporaryDirectory()
    try Data(bytes).write(to: dir.appendingPathComponent("data.csv"))
    let run = try runTraj(
      ["fit", "data.csv", "--formula", formula, "--json", "out.json"] + extra, in: dir)
    return (run, dir)
  }

  /// Exit 1, one `traj: error:` line holding every fragment, nothing written.
  func expectFailure(
    _ run: TrajRun, in dir: URL, _ fragments: [String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    #expect(run.status == 1, "status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.hasPrefix("traj: error: "), "\(run.stderr)", sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(
        run.stderr.contains(fragment), "'\(fragment)' not in: \(run.stderr.prefix(500))",
        sourceLocation: sourceLocation)
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["data.csv"],
      sourceLocation: sourceLocation)
  }

  /// A small valid file: 6 subjects × 4 weeks.
  static var validRows: [String] {
    (0..<24).map { "s\($0 / 4),\($0 % 4),\(5 + Double(($0 * 7) % 5) * 0.3)" }
  }

  @Test("a row longer than the limit names its line and the limit")
  func longLine() throws {
    var text = "subject,week,pain\n" + Self.validRows.prefix(3).joined(separator: "\n") + "\n"
    // A fifth line of 4 MiB + 1 bytes: one huge unquoted field.
    text += "s9,1," + String(repeating: "7", count: Self.recordLimit) + "\n"
    text += Self.validRows.dropFirst(3).joined(separator: "\n") + "\n"
    let (run, dir) = try fit(Array(text.utf8), formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(
      run, in: dir,
      ["data.csv:5:", "longer than \(Self.recordLimit) bytes", "the limit"])
  }

  @Test("an unclosed quote running to the end of a large file is reported at its line")
  func unclosedQuote() throws {
    var text = "subject,week,pain\n" + Self.validRows.prefix(2).joined(separator: "\n") + "\n"
    text += "s9,1,\"7" + String(repeating: "8,9\n", count: 100_000)
    let (run, dir) = try fit(Array(text.utf8), formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(run, in: dir, ["data.csv:4:"])
  }

  @Test("a header with two million columns is refused before any column is built")
  func millionsOfColumns() throws {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(2_000_000 * 9)
    for c in 0..<2_000_000 {
      if c > 0 { bytes.append(UInt8(ascii: ",")) }
      bytes += Array("c\(c)".utf8)
    }
    bytes.append(UInt8(ascii: "\n"))
    let (run, dir) = try fit(bytes, formula: "c1 ~ c2 + (1 | c0)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(
      run, in: dir, ["data.csv:1:", "more than \(Self.columnLimit) columns"])
  }

  @Test("a data row with two million fields is a ragged row naming its line")
  func millionsOfFields() throws {
    var bytes = Array("subject,week,pain\ns1,1,5\ns1,2,".utf8)
    bytes += [UInt8](repeating: UInt8(ascii: ","), count: 2_000_000)
    bytes += Array("\n".utf8)
    let (run, dir) = try fit(bytes, formula: "pain ~ week + (1 | subject)")
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(run, in: dir, ["data.csv:3:"])
  }

  @Test("a formula nesting 10,000 parentheses is a syntax error, not a stack overflow")
  func deepFormula() throws {
    let formula =
      "pain ~ " + String(repeating: "(", count: 10_000) + "week"
      + String(repeating: ")", count: 10_000) + " + (1 | subject)"
    let csv = "subject,week,pain\n" + Self.validRows.joined(separator: "\n") + "\n"
    let (run, dir) = try fit(Array(csv.utf8), formula: formula)
    defer { removeTemporaryDirectory(dir) }
    try expectFailure(run, in: dir, ["formula"])
  }

  @Test("a formula nesting 10,000 signs or calls is a syntax error, not a stack overflow")
  func deepSignsAndCalls() throws {
    let csv = "subject,week,pain\n" + Self.validRows.joined(separator: "\n") + "\n"
    for formula in [
      "pain ~ " + String(repeating: "-", count: 10_000) + "week + (1 | subject)",
      "pain ~ week + " + String(repeating: "us(", count: 10_000) + "week | subject"
        + String(repeating: ")", count: 10_000),
      "pain ~ week" + String(repeating: " + week", count: 10_000) + " + (1 | subject)",
    ] {
      let (run, dir) = try fit(Array(csv.utf8), formula: formula)
      defer { removeTemporaryDirectory(dir) }
      try expectFailure(run, in: dir, ["formula"])
    }
  }

  @Test("a row filter nesting 10,000 parentheses or negations is an error, not a stack overflow")
  func deepFilter() throws {
    let csv = "subject,week,pain\n" + Self.validRows.joined(separator: "\n") + "\n"
    for filter in [
      String(repeating: "(", count: 10_000) + "week >= 1" + String(repeating: ")", count: 10_000),
      String(repeating: "!", count: 10_000) + "week >= 1",
      "week >= 1" + String(repeating: " & week >= 1", count: 5_000),
    ] {
      let (run, dir) = try fit(
        Array(csv.utf8), formula: "pain ~ week + (1 | subject)", extra: ["--where", filter])
      defer { removeTemporaryDirectory(dir) }
      try expectFailure(run, in: dir, ["row filter"])
    }
  }
}
