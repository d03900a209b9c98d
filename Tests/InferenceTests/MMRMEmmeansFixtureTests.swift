import Analysis
import Foundation
import Inference
import MixedModels
import TestSupport
import Testing

/// EMMs and contrasts of an MMRM fit against emmeans on nlme's `gls`.
///
/// Unstructured covariance, REML (`Tests/Fixtures/mmrm/inference`, written by
/// `scripts/reference/mmrm_inference.R`), with emmeans' `mode = "df.error"`. emmeans' df.error for `gls` is N − p − (number of correlation and
/// variance-function parameters, σ excluded): 644 − 31 − 20 = 593 here, while our residual
/// df is N − p = 613 (mmrm's "Residual"); the test checks that relation. emmeans'
/// `revpairwise` p-values are Tukey-adjusted, which we do not offer, so
/// only estimates, SEs and df of the contrasts are compared.
@Suite("emmeans on gls: MMRM fixtures")
struct MMRMEmmeansFixtureTests {
  /// β̂ and Φ agree with nlme to ~1e-6 (optimiser tolerance), so EMMs do too.
  static let tolerance = 1e-5

  @Test("EMMs, SEs, df and revpairwise contrasts match emmeans (df.error)")
  func matchesEmmeans() throws {
    let fixture = try Fixture.load("mmrm/inference/mmrm_inference_us")
    let call = try fixture.member("call")
    var request = try FitRequest(
      dataPath: RepositoryPaths.root.appendingPathComponent(
        try fixture.member("dataset").text("path")
      ).path,
      formula: try call.text("formula"), factors: try call.texts("factors"))
    request.inference = try InferenceRequest(
      degreesOfFreedom: .residual, emmeans: try call.text("emmeans"),
      contrast: try call.text("contrast"))
    let outcome = try FitPipeline.run(request)
    let fit = try #require(outcome.fit as? MMRMFit)
    let results = try #require(outcome.inference)
    let expected = try fixture.member("expected").member("df_error")
    let structureParameters = Double(fit.phi.count - 1)
    for (mean, reference) in try zipExactly(results.means, expected.elements("emmeans"), "EMMs") {
      #expect(
        mean.levels.map(\.level) == [try reference.text("arm"), try reference.text("visit")])
      let e = try reference.number("estimate")
      let se = try reference.number("se")
      #expect(abs(mean.estimate.estimate - e) <= Self.tolerance * abs(e))
      #expect(abs(mean.estimate.standardError - se) <= Self.tolerance * se)
      #expect(mean.estimate.df == (try reference.number("df")) + structureParameters)
    }
    for (contrast, reference) in try zipExactly(
      results.contrasts, expected.elements("contrasts"), "contrasts")
    {
      #expect(contrast.label == (try reference.text("contrast")))
      let se = try reference.number("se")
      #expect(abs(contrast.estimate.estimate - (try reference.number("estimate"))) <= 1e-5 * se)
      #expect(abs(contrast.estimate.standardError - se) <= Self.tolerance * se)
      #expect(contrast.estimate.df == (try reference.number("df")) + structureParameters)
    }
  }
}
