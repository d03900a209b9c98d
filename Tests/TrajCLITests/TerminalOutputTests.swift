import Foundation
import TestSupport
import Testing

/// Level and column names with control characters (NUL, an ANSI escape, a right-to-left
/// override) through `traj fit` and `traj check`-style errors: what is printed carries no raw
/// control character, the tables stay aligned, and the JSON keeps the exact names.
@Suite("Terminal output with control characters in the data")
struct TerminalOutputTests {
  static let levels = ["base", "zz\u{0}\u{0}nul", "ctl\u{1B}[31m", "\u{202E}rlo"]

  /// 40 subjects × 4 visits, the arm level cycling through `levels`.
  static func data(in dir: URL) throws -> URL {
    var generator = TestGenerator(seed: 20_261_125)
    var text = "subject,arm,visit,y\n"
    for s in 0..<40 {
      let subjectEffect = Double.random(in: -1...1, using: &generator)
      for v in 0..<4 {
        let y = 0.5 * Double(v) + subjectEffect + Double.random(in: -1...1, using: &generator)
        text += "s\(s),\(levels[s % levels.count]),\(v),\(y)\n"
      }
    }
    let url = dir.appendingPathComponent("controls.csv")
    try Data(text.utf8).write(to: url)
    return url
  }

  /// Whether a printed text has a character that `TerminalText` replaces.
  static func hasRawControl(_ text: String) -> Bool {
    text.unicodeScalars.contains {
      ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F || $0 == "\u{202E}"
    }
  }

  @Test(
    "LMM and MMRM summaries show control pictures, stay aligned, and JSON keeps the names",
    arguments: ["y ~ arm + visit + (1 | subject)", "y ~ arm + visit + cs(visit | subject)"])
  func summaries(_ formula: String) throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let csv = try Self.data(in: dir)
    let json = dir.appendingPathComponent("fit.json")
    let run = try runTraj(["fit", csv.path, "--formula", formula, "--json", json.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(!Self.hasRawControl(run.stdout), "\(run.stdout.unicodeScalars.map(\.value))")
    #expect(!Self.hasRawControl(run.stderr))
    #expect(run.stdout.contains("armzz\u{2400}\u{2400}nul"))
    #expect(run.stdout.contains("armctl\u{241B}[31m"))
    #expect(run.stdout.contains("arm\u{FFFD}rlo"))
    // The fixed-effects rows (name, estimate, SE, t) all have one width.
    let rows = run.stdout.split(separator: "\n").filter {
      $0.hasPrefix("(Intercept)") || $0.hasPrefix("arm") || $0.hasPrefix("visit ")
    }
    #expect(rows.count >= 5, "\(rows)")
    #expect(Set(rows.prefix(5).map(\.count)).count == 1, "\(rows)")
    let document = try JSONValue.parse(Data(contentsOf: json))
    let names = document["fixef"].array.compactMap { $0["term"].string }
    for level in Self.levels.dropFirst() {
      #expect(names.contains("arm" + level), "\(names)")
    }
  }

  @Test("an error message naming a control-laden column shows it visibly")
  func errorMessage() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let csv = try Self.data(in: dir)
    let run = try runTraj([
      "fit", csv.path, "--formula", "y ~ arm + visit + (1 | subject)", "--ref",
      "arm=no\u{1B}[2Jsuch",
    ])
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix("traj: error: "), "\(run.stderr)")
    #expect(run.stderr.contains("no\u{241B}[2Jsuch"), "\(run.stderr)")
    #expect(!Self.hasRawControl(run.stderr), "\(run.stderr.unicodeScalars.map(\.value))")
  }
}
