import Foundation
import TestSupport
import Testing

/// `traj report`: several data files, the progress line, custom covariance ladders and the
/// residual figures of a primary MMRM.
@Suite("traj report: data files, progress, ladders, MMRM residuals")
struct ReportCommandSpecTests {
  let base = ReportCommandTests()

  /// The small trial split by subject into `parts` files (`part1.csv`, …).
  ///
  /// The second file has its columns in reverse order. Returns the file names.
  func split(_ dir: URL, parts: Int, dropColumn: String? = nil) throws -> [String] {
    let text = try String(
      contentsOf: dir.appendingPathComponent("trial.csv"), encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init)
    let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    // Subjects numbered in order of appearance; file k gets every `parts`-th subject.
    var number: [Substring: Int] = [:]
    for line in lines.dropFirst() {
      let subject = line.split(separator: ",")[0]
      if number[subject] == nil { number[subject] = number.count }
    }
    var names: [String] = []
    for k in 0..<parts {
      let rows = lines.dropFirst().filter { line in
        number[line.split(separator: ",")[0], default: 0] % parts == k
      }
      var order = Array(header.indices)
      if k == 1 { order.reverse() }
      if k == parts - 1, let dropColumn, let drop = header.firstIndex(of: dropColumn) {
        order.removeAll { $0 == drop }
      }
      let body = rows.map { row in
        let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return order.map { cells[$0] }.joined(separator: ",")
      }
      let name = "part\(k + 1).csv"
      try ([order.map { header[$0] }.joined(separator: ",")] + body).joined(separator: "\n")
        .appending("\n").write(
          to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
      names.append(name)
    }
    return names
  }

  @Test("data: a list of files gives the report of the whole file; provenance hashes each")
  func severalDataFiles() throws {
    let whole = try base.workspace()
    let parts = try base.workspace()
    defer {
      removeTemporaryDirectory(whole)
      removeTemporaryDirectory(parts)
    }
    let names = try split(parts, parts: 3)
    let spec = ReportCommandTests.spec.replacingOccurrences(
      of: "data: trial.csv", with: "data: [\(names.joined(separator: ", "))]")
    try spec.write(
      to: parts.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    #expect(try runTraj(["report", "analysis.yaml"], in: whole).status == 0)
    let result = try runTraj(["report", "analysis.yaml"], in: parts)
    #expect(result.status == 0, "\(result.stderr)")
    let a = try base.contents(whole.appendingPathComponent("out"))
    let b = try base.contents(parts.appendingPathComponent("out"))
    // The figures and model results are those of the single file; the data paragraph and
    // the file names differ.
    #expect(a.keys.contains { $0.hasPrefix("figures/") }, "figures written")
    for (name, bytes) in a where name.hasPrefix("figures/") {
      #expect(b[name] == bytes, "\(name) differs when the data are split")
    }
    let results = try JSONValue.parse(try #require(b["results.json"]))
    let single = try JSONValue.parse(try #require(a["results.json"]))
    let models = try single.elements("models")
    #expect(!models.isEmpty)
    #expect(try results.elements("models") == models)
    let files = try results.member("data").elements("files")
    #expect(try files.map { try $0.text("path") } == names)
    let rows = try files.map { Int(try $0.number("rows")) }
    #expect(rows.reduce(0, +) == 1440 && rows.allSatisfy { $0 > 0 })
    let markdown = String(decoding: b["report.md"] ?? Data(), as: UTF8.self)
    #expect(
      markdown.contains("Data files part1.csv (\(rows[0]) rows), part2.csv (\(rows[1]) rows)"))
    let provenance = try JSONValue.parse(try #require(b["provenance.json"]))
    let inputs = try provenance.elements("inputs")
    #expect(try inputs.map { try $0.text("path") } == names)
    for (input, name) in try zipExactly(inputs, names, "inputs") {
      let bytes = try Data(contentsOf: parts.appendingPathComponent(name))
      #expect(Int(try input.number("bytes")) == bytes.count)
      #expect(try input.text("sha256").count == 64)
    }
    #expect(Set(try inputs.map { try $0.text("sha256") }).count == 3)

    // The same files listed in another order (the first file's column order is the table's,
    // and here the same): the same results.
    let reordered = spec.replacingOccurrences(
      of: "[\(names.joined(separator: ", "))]",
      with: "[\(names.reversed().joined(separator: ", "))]")
    try reordered.write(
      to: parts.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    #expect(try runTraj(["report", "analysis.yaml", "--force"], in: parts).status == 0)
    let c = try base.contents(parts.appendingPathComponent("out"))
    let again = try JSONValue.parse(try #require(c["results.json"]))
    #expect(try again.elements("models") == models)
    for (name, bytes) in a where name.hasPrefix("figures/") { #expect(c[name] == bytes) }
  }

  @Test("stacked files must have the same columns: the error names the file and the column")
  func columnMismatch() throws {
    let dir = try base.workspace()
    defer { removeTemporaryDirectory(dir) }
    let names = try split(dir, parts: 2, dropColumn: "dropout")
    let spec = ReportCommandTests.spec.replacingOccurrences(
      of: "data: trial.csv", with: "data: [\(names.joined(separator: ", "))]")
    try spec.write(
      to: dir.appendingPathComponent("analysis.yaml"), atomically: true, encoding: .utf8)
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 1)
    #expect(result.stderr.contains("part2.csv: no column 'dropout'"), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    // A file listed twice is a spec error at its key path.
    try ReportCommandTests.spec.replacingOccurrences(
      of: "data: trial.csv", with: "data: [trial.csv, trial.csv]"
    ).write(to: dir.appendingPathComponent("twice.yaml"), atomically: true, encoding: .utf8)
    let twice = try runTraj(["report", "twice.yaml"], in: dir)
    #expect(twice.status == 1 && twice.stderr.contains("data[1]"), "\(twice.stderr)")
  }

  @Test("--progress writes carriage-return updates to stderr and clears them; off by default")
  func progress() throws {
    let dir = try base.workspace()
    defer { removeTemporaryDirectory(dir) }
    let shown = try runTraj(["report", "analysis.yaml", "--progress"], in: dir)
    #expect(shown.status == 0, "\(shown.stderr)")
    let updates = shown.stderr.components(separatedBy: "\r\u{1B}[K").filter { !$0.isEmpty }
    #expect(updates.first == "analysis.yaml: reading the spec")
    #expect(updates.contains("analysis.yaml: model 1 of 2 (primary): reading, fitting"))
    #expect(updates.contains("analysis.yaml: model 2 of 2 (intercept only): reading, fitting"))
    #expect(updates.contains("analysis.yaml: rendering HTML, Markdown and JSON"))
    #expect(shown.stderr.hasSuffix("\r\u{1B}[K"))
    #expect(shown.stdout.contains("analysis.yaml → out"))
    // Not a terminal, no flag: nothing on stderr. --quiet: nothing at all.
    let silent = try runTraj(["report", "analysis.yaml", "--force"], in: dir)
    #expect(silent.status == 0 && silent.stderr.isEmpty)
    let quiet = try runTraj(["report", "analysis.yaml", "--force", "--quiet"], in: dir)
    #expect(quiet.status == 0 && quiet.stderr.isEmpty && quiet.stdout.isEmpty)
    // A batch names the spec in each line.
    try ReportCommandTests.spec.write(
      to: dir.appendingPathComponent("second.yaml"), atomically: true, encoding: .utf8)
    let batch = try runTraj(
      ["report", "analysis.yaml", "second.yaml", "--out", "batch", "--progress"], in: dir)
    #expect(batch.status == 0, "\(batch.stderr)")
    #expect(batch.stderr.contains("[2/2] second.yaml: model 1 of 2 (primary)"))
    // traj fit shows one line too.
    let fit = try runTraj(
      [
        "fit", "trial.csv", "--formula", "pain ~ week + (1 | subject)", "--quiet", "--progress",
      ], in: dir)
    #expect(fit.status == 0 && fit.stderr.isEmpty, "quiet wins: \(fit.stderr)")
    let fitShown = try runTraj(
      ["fit", "trial.csv", "--formula", "pain ~ week + (1 | subject)", "--progress"], in: dir)
    #expect(fitShown.stderr.hasPrefix("\r\u{1B}[Ktrial.csv: reading, fitting pain ~ week"))
    #expect(fitShown.stderr.hasSuffix("\r\u{1B}[K"))
    // traj simulate too.
    let design = RepositoryPaths.datasets.appendingPathComponent("ketamine_small.design.yaml")
    let simulated = try runTraj(
      ["simulate", "--design", design.path, "--out", "sim.csv", "--progress"], in: dir)
    #expect(simulated.status == 0, "\(simulated.stderr)")
    #expect(simulated.stderr.contains(": simulating 120 subjects\r\u{1B}[K"))
    #expect(simulated.stderr.contains(": writing sim.csv\r\u{1B}[K"))
    let silentSimulation = try runTraj(
      ["simulate", "--design", design.path, "--out", "sim2.csv"], in: dir)
    #expect(silentSimulation.status == 0 && silentSimulation.stderr.isEmpty)
  }

  @Test("covariance_fallback takes a ladder; bad ladders name the key path")
  func ladder() throws {
    let spec = """
      title: Ladder
      data: trial.csv
      where: visit >= 1
      references: {arm: placebo}
      factors: [visit]
      models:
        - name: mmrm
          formula: pain ~ visit * arm + baseline_pain + csh(visit | subject)
          covariance_fallback: [csh, ar1, cs]
      output: {directory: out, formats: [md, json]}

      """
    let dir = try base.workspace(spec: spec)
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let markdown = try String(
      contentsOf: dir.appendingPathComponent("out/report.md"), encoding: .utf8)
    #expect(markdown.contains("covariance_fallback: the ladder csh → ar1 → cs"))
    #expect(markdown.contains("replaced by the next of the ladder csh → ar1 → cs"))
    let cases = [
      ("[ar1, cs]", "models[0].covariance_fallback", "must contain the formula's structure csh"),
      ("[csh, unstructured]", "models[0].covariance_fallback[1]", "must be one of"),
      ("[csh, cs, csh]", "models[0].covariance_fallback[2]", "already on the ladder"),
      ("[]", "models[0].covariance_fallback", "at least 1"),
      ("maybe", "models[0].covariance_fallback", "true or false"),
    ]
    for (value, path, message) in cases {
      try spec.replacingOccurrences(of: "[csh, ar1, cs]", with: value).write(
        to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
      let bad = try runTraj(["report", "bad.yaml", "--out", "bad"], in: dir)
      #expect(bad.status == 1, "\(value)")
      #expect(bad.stderr.contains(path) && bad.stderr.contains(message), "\(bad.stderr)")
    }
  }

  @Test("prior_weights and offset fit as traj fit does; an MMRM with them is refused")
  func priorWeights() throws {
    let spec = """
      title: Weights
      data: weighted.csv
      factors: [Subject]
      models:
        - name: weighted
          formula: Reaction ~ Days + (Days | Subject)
          prior_weights: w
        - name: offset
          formula: Reaction ~ Days + (1 | Subject)
          offset: o
      trajectories: {time: Days, outcome: Reaction, group: Subject, subject: Subject}
      output: {directory: out, formats: [md, json]}

      """
    let dir = try base.workspace(spec: spec)
    defer { removeTemporaryDirectory(dir) }
    try FileManager.default.copyItem(
      at: RepositoryPaths.fixtures.appendingPathComponent("lmer/sleepstudy_weighted.csv"),
      to: dir.appendingPathComponent("weighted.csv"))
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let fit = try runTraj(
      [
        "fit", "weighted.csv", "--factor", "Subject", "--formula",
        "Reaction ~ Days + (Days | Subject)", "--prior-weights", "w", "--json", "fit.json",
        "--no-timing",
      ], in: dir)
    #expect(fit.status == 0, "\(fit.stderr)")
    let results = try JSONValue.parse(
      Data(contentsOf: dir.appendingPathComponent("out/results.json")))
    let models = try results.elements("models")
    try #require(models.count == 2)
    let weighted = try models[0].member("fit")
    let direct = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("fit.json")))
    #expect(try weighted.text("weights") == "w")
    // The report sorts the rows first, so the LMM's sums round differently: the same optimum
    // to the criterion's rounding, θ within the optimum's precision on this flat surface.
    expectClose(
      try weighted.number("REMLcrit"), try direct.number("REMLcrit"), .criterionAtOptimum,
      "weighted REML criterion")
    expectClose(
      try weighted.numbers("theta"), try direct.numbers("theta"),
      Tolerance(relative: 1e-6, reason: "θ̂ of one optimum after reordering rows"), "θ̂")
    #expect(try models[1].member("fit").text("offset") == "o")
    let markdown = try String(
      contentsOf: dir.appendingPathComponent("out/report.md"), encoding: .utf8)
    #expect(markdown.contains("Prior weights from column w"))
    #expect(markdown.contains("Offset: column o"))

    let mmrm = spec.replacingOccurrences(
      of: "Reaction ~ Days + (Days | Subject)", with: "Reaction ~ Days + cs(Days | Subject)")
    try mmrm.write(
      to: dir.appendingPathComponent("mmrm.yaml"), atomically: true, encoding: .utf8)
    let refused = try runTraj(["report", "mmrm.yaml", "--out", "refused"], in: dir)
    #expect(refused.status == 1)
    #expect(
      refused.stderr.contains("models[0].prior_weights")
        && refused.stderr.contains("linear mixed models only"), "\(refused.stderr)")
  }

  @Test("a primary MMRM gets the normalized-residual QQ plot and residuals against fitted")
  func mmrmResidualFigures() throws {
    let spec = """
      title: MMRM primary
      data: trial.csv
      where: visit >= 1
      references: {arm: placebo}
      factors: [visit]
      models:
        - name: mmrm
          formula: pain ~ visit * arm + baseline_pain + ar1h(visit | subject)
      output: {directory: out}

      """
    let dir = try base.workspace(spec: spec)
    defer { removeTemporaryDirectory(dir) }
    let result = try runTraj(["report", "analysis.yaml"], in: dir)
    #expect(result.status == 0, "\(result.stderr)")
    let files = try base.contents(dir.appendingPathComponent("out"))
    let qq = String(decoding: try #require(files["figures/residual-qq.svg"]), as: UTF8.self)
    let fitted = String(
      decoding: try #require(files["figures/residuals-fitted.svg"]), as: UTF8.self)
    #expect(qq.contains("Normalized residuals: normal QQ plot"))
    #expect(fitted.contains("Normalized residuals against fitted values"))
    // One point per observation used.
    let results = try JSONValue.parse(try #require(files["results.json"]))
    let used = try #require(results["models"][0]["fit"]["nobs"].double)
    #expect(qq.components(separatedBy: "<circle").count - 1 == Int(used))
    #expect(fitted.components(separatedBy: "<circle").count - 1 == Int(used))
    let markdown = String(decoding: try #require(files["report.md"]), as: UTF8.self)
    #expect(!markdown.contains("Residual plots are not shown"))
  }
}
