import Foundation
import TestSupport
import Testing

/// `traj fit` with a residual covariance term and inference options, end to end.
@Suite("traj fit, MMRM inference")
struct FitCommandMMRMInferenceTests {
  static let data = RepositoryPaths.fixtures.appendingPathComponent(
    "mmrm/ketamine_visits1to6.csv"
  ).path
  static let formula = "pain ~ visit * arm + baseline_pain + cs(visit | subject)"

  @Test("--df, --anova, --emmeans and --contrast print tables and write JSON members")
  func tables() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula", Self.formula, "--df", "kenward-roger",
      "--anova", "--emmeans", "arm | visit", "--contrast", "trt.vs.ctrl(placebo)", "--adjust",
      "holm", "--json", json.path, "--no-timing",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout.contains("Fixed effects tests (df: kenward-roger, covariance of beta: model)"))
    #expect(result.stdout.contains("Type III Analysis of Variance Table"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["df_method"].string == "kenward-roger")
    #expect(document["vcov_method"].string == "model")
    #expect(document["fixef"][0]["df"].double != nil)
    #expect(document["fixef"][0]["p"].double != nil)
    #expect(
      document["anova"].array.map { $0["term"].string } == [
        "visit", "arm", "baseline_pain", "visit:arm",
      ])
    #expect(document["emmeans"].array.count == 30)
    #expect(document["contrasts"].array.count == 24)
  }

  @Test("--vcov empirical uses residual df; Kenward-Roger with it is refused")
  func empirical() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula", Self.formula, "--vcov", "empirical",
      "--emmeans", "arm", "--json", json.path, "--no-timing", "--quiet",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["vcov_method"].string == "empirical")
    #expect(document["df_method"].string == "residual")
    #expect(abs((document["emmeans"][0]["df"].double ?? 0) - 613) < 1e-9)
    let refused = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula", Self.formula, "--vcov", "empirical",
      "--df", "kenward-roger", "--quiet",
    ])
    #expect(refused.status != 0)
  }
}
