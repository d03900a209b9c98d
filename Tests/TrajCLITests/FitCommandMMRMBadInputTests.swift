import Foundation
import TestSupport
import Testing

/// MMRMs the data cannot support, through `traj fit` (issue 15, "Bad input"): an unstructured
/// Σ over more visits than subjects, more covariance parameters than observations, an
/// optimizer workspace beyond the memory limit — each one `traj: error:` line, exit 1,
/// nothing written, before any optimization — and convergence warnings that advise
/// simplifying the covariance structure, not lme4's random effects.
@Suite("traj fit refuses unidentifiable MMRMs before fitting")
struct FitCommandMMRMBadInputTests {
  static let formula = "y ~ arm + us(visit | subject)"

  /// `subjects` × `visits` rows (`subject`, `arm`, `visit`, `y`) with deterministic noise;
  /// `keep` selects visits per subject.
  static func csv(
    subjects: Int, visits: Int, keep: (Int, Int) -> Bool = { _, _ in true }
  ) -> String {
    repeatedMeasuresCSV(subjects: subjects, visits: visits, keep: keep)
  }

  /// Writes `csv` as `data.csv` in a fresh directory and runs `traj fit` with `--json`.
  static func fit(_ csv: String, formula: String = formula, extra: [String] = []) throws -> (
    run: TrajRun, dir: URL
  ) {
    let dir = try makeTemporaryDirectory()
    try Data(csv.utf8).write(to: dir.appendingPathComponent("data.csv"))
    let run = try runTraj(
      ["fit", "data.csv", "--formula", formula, "--json", "out.json", "--no-timing"] + extra,
      in: dir)
    return (run, dir)
  }

  /// Exit 1, one `traj: error:` line holding every fragment, nothing but the data left.
  static func expectRefused(
    _ run: TrajRun, in dir: URL, _ fragments: [String],
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    #expect(run.status == 1, "status \(run.status): \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.hasPrefix("traj: error: "), "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(
      run.stderr.split(separator: "\n").count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(
        run.stderr.contains(fragment), "'\(fragment)' not in: \(run.stderr)",
        sourceLocation: sourceLocation)
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["data.csv"],
      sourceLocation: sourceLocation)
  }

  @Test("us over 200 visits on 50 subjects (20,100 parameters) is an error, not a crash in NLopt")
  func twoHundredVisits() throws {
    let start = ContinuousClock.now
    let (run, dir) = try Self.fit(Self.csv(subjects: 50, visits: 200))
    defer { removeTemporaryDirectory(dir) }
    try Self.expectRefused(
      run, in: dir,
      [
        "traj: error: the covariance matrix of us(visit | subject) is not identifiable from 50 "
          + "subjects: an unstructured covariance over 200 visits has 20,100 parameters and "
          + "needs at least 200 subjects with those visits",
        "toeph, ar1h or cs",
      ])
    #expect(ContinuousClock.now - start < .seconds(30), "refused before fitting")
  }

  @Test("us over 10 visits on 5 subjects says plainly that Σ is not identifiable")
  func fiveSubjects() throws {
    let (run, dir) = try Self.fit(Self.csv(subjects: 5, visits: 10))
    defer { removeTemporaryDirectory(dir) }
    try Self.expectRefused(
      run, in: dir,
      [
        "is not identifiable from 5 subjects", "over 10 visits has 55 parameters",
        "needs at least 10 subjects", "use a structured covariance such as toeph, ar1h or cs",
        "--covariance-fallback",
      ])
  }

  @Test("with --covariance-fallback the refused structures are recorded and the next fitted")
  func refusedWithFallback() throws {
    // 2 subjects over 4 visits: us is refused (2 < 4 subjects), toeph too (7 parameters from
    // 8 observations and 2 fixed effects), ar1h (5 parameters) is fitted.
    let (run, dir) = try Self.fit(
      Self.csv(subjects: 2, visits: 4), extra: ["--covariance-fallback", "--quiet"])
    defer { removeTemporaryDirectory(dir) }
    try #require(run.status == 0, "\(run.stderr)")
    let document = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("out.json")))
    let attempts = try document.member("covariance").elements("attempts")
    #expect(try attempts.map { try $0.text("structure") } == ["us", "toeph", "ar1h"])
    try #require(attempts.count == 3)
    #expect(try attempts[0].text("reason").contains("not identifiable from 2 subjects"))
    #expect(
      try attempts[1].text("reason").hasPrefix(
        "toeph(visit | subject) has 7 covariance parameters"))
    let codes = try document.elements("warnings").map { try $0.text("code") }
    #expect(codes.first == "covariance_fallback", "\(codes)")
  }

  @Test("more covariance parameters than observations minus fixed effects is an error")
  func sparseVisits() throws {
    // 40 subjects with 3 of 30 visits each: 465 parameters from 120 rows.
    let csv = Self.csv(subjects: 40, visits: 30) { s, v in (v - s % 30 + 30) % 30 < 3 }
    let (run, dir) = try Self.fit(csv)
    defer { removeTemporaryDirectory(dir) }
    try Self.expectRefused(
      run, in: dir,
      [
        "traj: error: us(visit | subject) has 465 covariance parameters but the data have 120 "
          + "observations and 2 fixed effects: the data can identify at most 118",
        "toeph, ar1h or cs",
      ])
  }

  @Test("an optimizer workspace above 2 GB is refused with its size and the largest count")
  func optimizerMemory() throws {
    let (run, dir) = try Self.fit(Self.csv(subjects: 120, visits: 110))
    defer { removeTemporaryDirectory(dir) }
    try Self.expectRefused(
      run, in: dir,
      [
        "traj: error: fitting 6,105 covariance parameters needs about 3.1 GB of optimizer "
          + "memory (BOBYQA's workspace and the Hessian), above the limit of 2.0 GB; at most "
          + "4,878 parameters fit in it"
      ])
  }

  @Test("an MMRM's Hessian warnings advise a simpler covariance structure and the ladder")
  func mmrmRemedy() throws {
    // us over 3 visits on 4 subjects: identifiable by the counts, but the REML surface is
    // degenerate at its optimum.
    let (run, dir) = try Self.fit(Self.csv(subjects: 4, visits: 3), extra: ["--quiet"])
    defer { removeTemporaryDirectory(dir) }
    try #require(run.status == 0, "\(run.stderr)")
    let document = try JSONValue.parse(Data(contentsOf: dir.appendingPathComponent("out.json")))
    let warnings = try document.elements("warnings")
    let hessian = try warnings.filter {
      ["convergence_hessian", "singular_hessian"].contains(try $0.text("code"))
    }
    try #require(!hessian.isEmpty, "no Hessian warning in \(warnings)")
    for warning in hessian {
      let message = try warning.text("message")
      #expect(
        message.contains(
          "simplify the covariance structure (a structured one such as toeph, ar1h or cs), or "
            + "let --covariance-fallback (covariance_fallback: in a spec) try the ladder "
            + "us → toeph → ar1h → cs."), "\(message)")
      #expect(!message.contains("random effects"), "\(message)")
    }
  }
}
