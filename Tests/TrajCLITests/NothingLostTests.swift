import Foundation
import TestSupport
import Testing

/// Nothing is lost (issue 7, item 4): every run accounts for each row read — used, excluded by
/// `--where`, or dropped for a missing value, with the variable — in the printed summary and in
/// the JSON, for LMMs, MMRMs and reports; and outputs appear whole or not at all, even when the
/// process is killed while writing.
@Suite("Nothing lost: row accounting and atomic outputs")
struct NothingLostTests {
  /// 8 subjects × weeks 0–4 (40 rows) with missing values planted in weeks 1–4 only, in every
  /// kind of model variable and with every missing token (empty, `NA`, `NaN`, `.`, quoted
  /// `"NA"`, ` NA ` with spaces); `comment`, which no model uses, is mostly missing.
  ///
  /// Rows with a missing model value: pain in 3 (one also missing baseline), baseline in 3,
  /// arm in 2, subject in 1 — 8 rows in all.
  static let plantedCSV: String = {
    var lines = ["subject,week,arm,baseline,pain,comment"]
    for s in 1...8 {
      for w in 0..<5 {
        let arm = s % 2 == 0 ? "drug" : "placebo"
        let baseline = 6 + Double(s % 3) * 0.5
        let pain = baseline - 0.3 * Double(w) + Double((s * 7 + w * 3) % 5) * 0.2
        let comment = (s + w) % 4 == 0 ? "ok" : ""
        lines.append("s\(s),\(w),\(arm),\(baseline),\(pain),\(comment)")
      }
    }
    // Line k + 1 holds row k (0-based); row 5s + w is subject s + 1 at week w.
    func plant(_ row: Int, column: Int, _ token: String) {
      var fields = lines[row + 1].split(separator: ",", omittingEmptySubsequences: false).map(
        String.init)
      fields[column] = token
      lines[row + 1] = fields.joined(separator: ",")
    }
    plant(1, column: 4, "")  // pain: empty
    plant(7, column: 4, "NA")  // pain: NA
    plant(12, column: 3, "NaN")  // baseline: NaN
    plant(18, column: 3, ".")  // baseline: .
    plant(23, column: 2, "\"NA\"")  // arm: quoted NA
    plant(29, column: 2, " NA ")  // arm: NA with spaces
    plant(33, column: 0, "")  // subject: empty
    plant(38, column: 4, "NA")  // pain and baseline, one row
    plant(38, column: 3, "NA")
    return lines.joined(separator: "\n") + "\n"
  }()

  /// The counts planted above.
  static let droppedByColumn: [String: Double] = ["pain": 3, "baseline": 3, "arm": 2, "subject": 1]

  /// Writes the planted file into a fresh directory.
  func plantedDirectory() throws -> URL {
    let dir = try makeTemporaryDirectory()
    try Data(Self.plantedCSV.utf8).write(to: dir.appendingPathComponent("data.csv"))
    return dir
  }

  /// Checks the JSON accounting of a fit document.
  func expectCounts(
    _ document: JSONValue, read: Double, used: Double, dropped: Double,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(document["rows_read"].double == read, sourceLocation: sourceLocation)
    #expect(document["rows_used"].double == used, sourceLocation: sourceLocation)
    #expect(document["nobs"].double == used, sourceLocation: sourceLocation)
    #expect(document["rows_dropped"].double == dropped, sourceLocation: sourceLocation)
    #expect(
      document["dropped_by_column"].object.mapValues { $0.double ?? -1 } == Self.droppedByColumn,
      "\(document["dropped_by_column"])", sourceLocation: sourceLocation)
    let dropWarning = document["warnings"].array.first { $0["code"].string == "rows_dropped" }
    #expect(
      dropWarning?["message"].string
        == "8 rows dropped for missing values (arm: 2, baseline: 3, pain: 3, subject: 1).",
      sourceLocation: sourceLocation)
  }

  @Test("LMM: rows read, used and dropped per variable, in the summary and the JSON")
  func linearMixedModel() throws {
    let dir = try plantedDirectory()
    defer { removeTemporaryDirectory(dir) }
    let run = try runTraj(
      [
        "fit", "data.csv", "--formula", "pain ~ week + arm + baseline + (1 | subject)",
        "--json", "fit.json",
      ], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Rows: 40 read, 32 used, 8 dropped for missing values."))
    #expect(
      run.stdout.contains(
        "- 8 rows dropped for missing values (arm: 2, baseline: 3, pain: 3, subject: 1)."))
    #expect(run.stdout.contains("Number of obs: 32, groups:  subject, 8"))
    let document = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("fit.json")))
    expectCounts(document, read: 40, used: 32, dropped: 8)
  }

  @Test("LMM with --where: rows excluded counted apart from rows dropped")
  func linearMixedModelWithFilter() throws {
    let dir = try plantedDirectory()
    defer { removeTemporaryDirectory(dir) }
    let run = try runTraj(
      [
        "fit", "data.csv", "--formula", "pain ~ week + arm + baseline + (1 | subject)",
        "--where", "week >= 1", "--json", "fit.json",
      ], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stdout.contains(
        "Rows: 40 read, 8 excluded by --where week >= 1, 24 used, 8 dropped for missing values."))
    let document = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("fit.json")))
    expectCounts(document, read: 40, used: 24, dropped: 8)
    #expect(document["rows_excluded"].double == 8)
  }

  @Test("MMRM: rows read, used and dropped per variable, in the summary and the JSON")
  func repeatedMeasures() throws {
    let dir = try plantedDirectory()
    defer { removeTemporaryDirectory(dir) }
    let run = try runTraj(
      [
        "fit", "data.csv", "--formula", "pain ~ arm + baseline + cs(week | subject)",
        "--json", "fit.json",
      ], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("Rows: 40 read, 32 used, 8 dropped for missing values."))
    let document = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("fit.json")))
    expectCounts(document, read: 40, used: 32, dropped: 8)
  }

  @Test("report: each model's fit in results.json carries the same accounting")
  func report() throws {
    let dir = try plantedDirectory()
    defer { removeTemporaryDirectory(dir) }
    let spec = """
      title: Planted missing values
      data: data.csv
      models:
        - name: primary
          formula: pain ~ week + arm + baseline + (1 | subject)
        - name: mmrm
          role: sensitivity
          formula: pain ~ arm + baseline + cs(week | subject)
      output: {directory: out, formats: [json]}
      """
    try Data(spec.utf8).write(to: dir.appendingPathComponent("spec.yaml"))
    let run = try runTraj(["report", "spec.yaml"], in: dir)
    #expect(run.status == 0, "\(run.stderr)")
    let results = try JSONValue.parse(
      Data(contentsOf: dir.appendingPathComponent("out/results.json")))
    #expect(results["models"].array.count == 2)
    for model in results["models"].array {
      expectCounts(model["fit"], read: 40, used: 32, dropped: 8)
    }
  }

  @Test("a process killed while writing its JSON leaves the previous output whole")
  func killedMidWrite() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    // 40,000 rows with --fitted: a JSON of a few MB, written piece by piece.
    var csv = "subject,week,pain\n"
    for i in 0..<40_000 {
      csv += "s\(i / 8),\(i % 8),\(Double(500 + (i * 7919) % 97 + (i % 8) * 10) / 100)\n"
    }
    try Data(csv.utf8).write(to: dir.appendingPathComponent("data.csv"))
    let target = dir.appendingPathComponent("fit.json")
    try Data("previous".utf8).write(to: target)
    let process = Process()
    process.executableURL = trajExecutable()
    process.arguments = [
      "fit", "data.csv", "--formula", "pain ~ week + (1 | subject)", "--json", "fit.json",
      "--fitted", "--quiet",
    ]
    process.currentDirectoryURL = dir
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait until the output file being written has bytes in it, then kill the process
    // (SIGKILL: no clean-up code runs). On Linux it has no name yet (O_TMPFILE): it is found
    // among the process's open descriptors as "<dir>/#<inode> (deleted)".
    var sawPartial = false
    while process.isRunning {
      if Self.partialOutput(of: process.processIdentifier, in: dir) {
        kill(process.processIdentifier, SIGKILL)
        sawPartial = true
        break
      }
      usleep(200)
    }
    process.waitUntilExit()
    #expect(sawPartial, "the process finished before it could be killed mid-write")
    if sawPartial {
      #expect(process.terminationReason == .uncaughtSignal)
      // The target is the previous output, byte for byte, and nothing else is left behind:
      // the partial bytes were in a file without a name.
      #expect(try String(contentsOf: target, encoding: .utf8) == "previous")
      let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
      #expect(left == ["data.csv", "fit.json"])
    }
  }

  /// Whether process `pid` has a file open for writing in `dir` with bytes in it: an unnamed
  /// (O_TMPFILE) file, or a named `.fit.json.tmp-PID` where the file system cannot do that.
  static func partialOutput(of pid: Int32, in dir: URL) -> Bool {
    let fds = "/proc/\(pid)/fd"
    let directory = dir.resolvingSymlinksInPath().path
    for fd in (try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? [] {
      guard
        let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fds)/\(fd)"),
        target.hasPrefix(directory + "/"),
        target.hasSuffix("(deleted)") || target.contains("/.fit.json.tmp-")
      else { continue }
      var info = stat()
      if stat("\(fds)/\(fd)", &info) == 0 && info.st_size > 0 { return true }
    }
    return false
  }
}
