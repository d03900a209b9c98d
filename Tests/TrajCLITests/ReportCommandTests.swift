import Foundation
import TestSupport
import Testing

/// `traj report` end to end: outputs, determinism, --verify, batch, errors.
@Suite("traj report, end to end")
struct ReportCommandTests {
  /// A directory with the small trial's data (rows in `order`) and a spec for it.
  func workspace(
    spec: String = Self.spec, shuffled: Bool = false, renamed: Bool = false
  ) throws -> URL {
    let dir = try makeTemporaryDirectory()
    let csv = try String(
      contentsOf: RepositoryPaths.datasets.appendingPathComponent("ketamine_small.csv"),
      encoding: .utf8)
    var lines = csv.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    if shuffled {
      // A fixed permutation of the data rows: reversed, then every other row moved to the end.
      let body = Array(lines.dropFirst().reversed())
      let even = body.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
      let odd = body.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
      lines = [lines[0]] + odd + even
    }
    if renamed {
      // The file calls the subject `patient_id` and the outcome `nrs`.
      lines[0] = lines[0].replacingOccurrences(of: "subject,", with: "patient_id,")
        .replacingOccurrences(of: ",pain,", with: ",nrs,")
    }
    try (lines.joined(separator: "\n") + "\n").write(
      to: dir.appendingPathComponent("trial.csv"), atomically: true, encoding: .utf8)
    try spec.write(
      to: dir.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    return dir
  }

  static let spec = """
    title: Test report
    data: trial.csv
    where: visit >= 1
    models:
      - name: primary
        formula: pain ~ week * arm + baseline_pain + (1 + week | subject)
      - name: intercept only
        formula: pain ~ week * arm + baseline_pain + (1 | subject)
    output: {directory: out}
    seed: 7

    """

  /// The files below `dir` by relative path; a missing directory throws and an empty one is an
  /// issue, so that comparing two outputs cannot pass by comparing nothing.
  func contents(_ dir: URL, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String: Data]
  {
    var files: [String: Data] = [:]
    for item in try FileManager.default.subpathsOfDirectory(atPath: dir.path) {
      let url = dir.appendingPathComponent(item)
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
      if exists && !isDirectory.boolValue { files[item] = try Data(contentsOf: url) }
    }
    #expect(!files.isEmpty, "no files in \(dir.path)", sourceLocation: sourceLocation)
    return files
  }

  @Test("writes the report files; HTML is self-contained; --verify confirms them")
  func writesAndVerifies() throws {
    let dir = try workspace()
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let files = try contents(dir.appendingPathComponent("out"))
    for name in [
      "report.html", "report.md", "results.json", "provenance.json", "figures/trajectories.svg",
      "figures/mean-trajectories.svg", "figures/residual-qq.svg",
      "figures/residuals-fitted.svg", "figures/random-effects.svg",
    ] {
      #expect(files[name] != nil, "missing \(name)")
    }
    let html = String(decoding: files["report.html"] ?? Data(), as: UTF8.self)
    #expect(html.contains("<svg") && !html.contains("<script") && !html.contains("src=\"http"))
    #expect(html.contains("Model: primary (primary)") && html.contains("Methods"))
    let verified = try runTraj(["report", "analysis.yaml", "--verify", "out"], in: dir)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(verified.stdout.contains("reproduced exactly"))
  }

  @Test("--verify fails on a changed file and names the first difference")
  func verifyDetectsChange() throws {
    let dir = try workspace()
    defer { removeTemporaryDirectory(dir) }
    #expect(try runTraj(["report", "analysis.yaml"], in: dir).status == 0)
    let md = dir.appendingPathComponent("out/report.md")
    var text = try String(contentsOf: md, encoding: .utf8)
    text = text.replacingOccurrences(of: "Test report", with: "Test rep0rt")
    try text.write(to: md, atomically: true, encoding: .utf8)
    let verified = try runTraj(["report", "analysis.yaml", "--verify", "out"], in: dir)
    #expect(verified.status == 1)
    #expect(verified.stderr.contains("report.md: differs at byte 11 (line 1)"))
  }

  @Test("the same bytes on re-run, with 1 or 2 threads, and with the rows in another order")
  func deterministic() throws {
    let first = try workspace()
    let second = try workspace(shuffled: true)
    defer {
      removeTemporaryDirectory(first)
      removeTemporaryDirectory(second)
    }
    #expect(
      try runTraj(["report", "analysis.yaml"], in: first, environment: ["TRAJ_THREADS": "1"]).status
        == 0)
    let one = try contents(first.appendingPathComponent("out"))
    #expect(
      try runTraj(
        ["report", "analysis.yaml", "--force"], in: first, environment: ["TRAJ_THREADS": "2"]
      ).status == 0)
    #expect(try contents(first.appendingPathComponent("out")) == one)
    #expect(try runTraj(["report", "analysis.yaml"], in: second).status == 0)
    let shuffled = try contents(second.appendingPathComponent("out"))
    // Everything but the provenance, which records the (different) bytes of the input file.
    #expect(one.keys.sorted() == shuffled.keys.sorted())
    for (name, bytes) in one where name != "provenance.json" {
      #expect(shuffled[name] == bytes, "\(name) depends on the row order")
    }
  }

  @Test("a batch with a bad spec: the good one is written, the bad one reported, exit 1")
  func batch() throws {
    let dir = try workspace()
    defer { removeTemporaryDirectory(dir) }
    try Self.spec.replacingOccurrences(of: "seed: 7", with: "sede: 7").write(
      to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
    let result = try runTraj(["report", "analysis.yaml", "bad.yaml", "--out", "reports"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("bad.yaml"))
    #expect(result.stderr.contains("unknown key 'sede'"))
    #expect(result.stderr.contains("1 of 2 specs failed"))
    #expect(try contents(dir.appendingPathComponent("reports/analysis"))["report.html"] != nil)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("reports/bad").path))
  }

  @Test("an existing output directory is kept unless --force; --verify is unaffected")
  func noOverwriteWithoutForce() throws {
    let dir = try workspace()
    defer { removeTemporaryDirectory(dir) }
    #expect(try runTraj(["report", "analysis.yaml"], in: dir).status == 0)
    let before = try contents(dir.appendingPathComponent("out"))
    try Self.spec.replacingOccurrences(of: "title: Test report", with: "title: Changed").write(
      to: dir.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    let refused = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("out already exists; give --force"), "\(refused.stderr)")
    #expect(try contents(dir.appendingPathComponent("out")) == before)
    // A directory given by --out is protected the same way, even an empty one.
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("empty"), withIntermediateDirectories: true)
    let empty = try runTraj(["report", "analysis.yaml", "--out", "empty"], in: dir)
    #expect(empty.status == 1 && empty.stderr.contains("empty already exists"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/empty").isEmpty)
    // --verify reads the existing directory: it reports the changed title, writes nothing.
    let verified = try runTraj(["report", "analysis.yaml", "--verify", "out"], in: dir)
    #expect(verified.status == 1 && verified.stderr.contains("report.html: differs at byte"))
    #expect(try contents(dir.appendingPathComponent("out")) == before)
    let forced = try runTraj(["report", "analysis.yaml", "--force"], in: dir)
    #expect(forced.status == 0, "\(forced.stderr)")
    let after = try contents(dir.appendingPathComponent("out"))
    #expect(after.keys.sorted() == before.keys.sorted() && after != before)
    #expect(
      String(decoding: after["report.md"] ?? Data(), as: UTF8.self).hasPrefix("# Changed"))
  }

  @Test("a failed write leaves the previous report as it was and no temporary directory")
  func failedWrite() throws {
    let dir = try workspace()
    defer { removeTemporaryDirectory(dir) }
    #expect(try runTraj(["report", "analysis.yaml"], in: dir).status == 0)
    let before = try contents(dir.appendingPathComponent("out"))
    let spec = Self.spec.replacingOccurrences(of: "title: Test report", with: "title: Changed")
    try spec.write(
      to: dir.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    // The output directory as the command names it: relative to the spec's directory.
    let result = try runTraj(
      ["report", "analysis.yaml", "--force"], in: dir, environment: ["TRAJ_TEST_FAIL_WRITE": "out"])
    #expect(result.status == 1)
    #expect(try contents(dir.appendingPathComponent("out")) == before)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        == ["analysis.yaml", "out", "trial.csv"])
  }

  @Test("a report directory moved aside by a killed run is put back; leftovers are cleared")
  func killedBetweenRenames() throws {
    let dir = try workspace()
    defer { removeTemporaryDirectory(dir) }
    #expect(try runTraj(["report", "analysis.yaml"], in: dir).status == 0)
    let before = try contents(dir.appendingPathComponent("out"))
    // What a run killed between its two renames leaves: the previous report moved aside
    // (`.out.old-PID`), no `out`, and its half-written replacement (`.out.tmp-PID`).
    let fm = FileManager.default
    let dead = Int32.max
    try fm.moveItem(
      at: dir.appendingPathComponent("out"), to: dir.appendingPathComponent(".out.old-\(dead)"))
    try fm.createDirectory(
      at: dir.appendingPathComponent(".out.tmp-\(dead)"), withIntermediateDirectories: false)
    // The next write fails (injected): the previous report is back and nothing else is left.
    let failed = try runTraj(
      ["report", "analysis.yaml"], in: dir, environment: ["TRAJ_TEST_FAIL_WRITE": "out"])
    #expect(failed.status == 1)
    #expect(try contents(dir.appendingPathComponent("out")) == before)
    #expect(
      try fm.contentsOfDirectory(atPath: dir.path).sorted()
        == ["analysis.yaml", "out", "trial.csv"])
  }

  @Test("spec errors name the key path; a model error names the model; nothing is written")
  func specErrors() throws {
    let cases = [
      (
        "models:\n  - name: primary\n    formula: pain ~ wek + (1 | subject)\n", "model \"primary\""
      ),
      ("models: []\n", "models"),
      ("output: {directory: out, formats: [pdf]}\n", "output.formats[0]"),
    ]
    for (replacement, message) in cases {
      var spec = Self.spec
      if replacement.hasPrefix("models") {
        let start = try #require(spec.range(of: "models:"))
        let end = try #require(spec.range(of: "output:"))
        spec.replaceSubrange(start.lowerBound..<end.lowerBound, with: replacement)
      } else {
        spec = spec.replacingOccurrences(of: "output: {directory: out}\n", with: replacement)
      }
      let dir = try workspace(spec: spec)
      defer { removeTemporaryDirectory(dir) }
      let result = try runTraj(["report", "analysis.yaml"], in: dir)
      #expect(result.status == 1, "\(replacement)")
      #expect(result.stderr.contains(message), "\(result.stderr)")
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }
  }

  @Test("columns: renamed file columns give the same report; a wrong name is an error")
  func columnMapping() throws {
    let plain = try workspace()
    let mapped = Self.spec.replacingOccurrences(
      of: "data: trial.csv\n", with: "data: trial.csv\ncolumns: {subject: patient_id, pain: nrs}\n")
    let renamed = try workspace(spec: mapped, renamed: true)
    defer {
      removeTemporaryDirectory(plain)
      removeTemporaryDirectory(renamed)
    }
    #expect(try runTraj(["report", "analysis.yaml"], in: plain).status == 0)
    let result = try runTraj(["report", "analysis.yaml"], in: renamed)
    #expect(result.status == 0, "\(result.stderr)")
    let a = try contents(plain.appendingPathComponent("out"))
    let b = try contents(renamed.appendingPathComponent("out"))
    for name in ["report.md", "report.html", "results.json"] {
      #expect(a[name] != nil && a[name] == b[name], "\(name) differs with renamed columns")
    }
    let wrong = try workspace(
      spec: mapped.replacingOccurrences(of: "patient_id", with: "patiant_id"), renamed: true)
    defer { removeTemporaryDirectory(wrong) }
    let failed = try runTraj(["report", "analysis.yaml"], in: wrong)
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("patiant_id") && failed.stderr.contains("patient_id"))
  }
}
