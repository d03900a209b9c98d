import Foundation
import TestSupport
import Testing

/// Inputs that made a fuzz target trap, through the CLI.
///
/// Issue 7: every crash found becomes a regression test. The raw fuzz inputs are also in
/// `Tests/Fuzz/corpus/`, so the fuzz run in CI replays them.
@Suite("Fuzz regressions through traj fit")
struct FuzzRegressionTests {
  /// FuzzFit, 2026-11-25 (`corpus/fit/regression_bw_zero_df`): an MMRM whose arm levels vary
  /// within subjects (a byte flipped in one level) left 0 within df under between–within;
  /// printing the p-value trapped in `StudentT(df: 0)`.
  @Test("between-within df of 0 in an MMRM is a clear error, not a trap")
  func mmrmWithinZero() throws {
    let csv = RepositoryPaths.fixtures.appendingPathComponent("fuzz/bw_zero_df.csv").path
    let run = try runTraj([
      "fit", csv, "--formula", "pain ~ arm + ar1(week | subject)", "--covariance-fallback",
      "--vcov", "empirical", "--df", "between-within",
    ])
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    #expect(
      run.stderr
        == "traj: error: between-within df is not available for this model: 10 observations "
        + "in 5 subjects leave 0 df for the 5 coefficients varying within them; use residual, "
        + "satterthwaite or kenward-roger df\n")
  }

  @Test("between-within df of 0 in an LMM (two subjects, two arms) is a clear error")
  func lmmBetweenZero() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    var text = "subject,arm,week,y\n"
    var generator = TestGenerator(seed: 7)
    for (s, arm) in [("a", "placebo"), ("b", "ketamine")] {
      for week in 0..<6 {
        text +=
          "\(s),\(arm),\(week),\(Double.random(in: 0...1, using: &generator) + Double(week))\n"
      }
    }
    let csv = dir.appendingPathComponent("two.csv")
    try Data(text.utf8).write(to: csv)
    let run = try runTraj([
      "fit", csv.path, "--formula", "y ~ arm + week + (1 | subject)", "--df", "between-within",
    ])
    #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
    #expect(
      run.stderr.contains(
        "2 levels of 'subject' leave 0 df for the 2 coefficients constant within them"),
      "\(run.stderr)")
    // The same data with residual df fits.
    let residual = try runTraj([
      "fit", csv.path, "--formula", "y ~ arm + week + (1 | subject)", "--df", "residual",
    ])
    #expect(residual.status == 0, "\(residual.stderr)")
  }
}
