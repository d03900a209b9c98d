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
    let call = fixture["call"]
    var request = FitRequest(
      dataPath: RepositoryPaths.root.appendingPathComponent(fixture["dataset"]["path"].string ?? "")
        .path,
      formula: call["formula"].string ?? "", factors: call["factors"].strings)
    request.inference = InferenceRequest(
      degreesOfFreedom: .residual, emmeans: call["emmeans"].string,
      contrast: call["contrast"].string)
    let outcome = try MMRMPipeline.run(request)
    let results = try #require(outcome.inference)
    let expected = fixture["expected"]["df_error"]
    let structureParameters = Double(outcome.fit.phi.count - 1)
    let means = expected["emmeans"].array
    #expect(results.means.count == means.count)
    for (mean, reference) in zip(results.means, means) {
      #expect(mean.levels.map(\.level) == [reference["arm"].string, reference["visit"].string])
      let e = reference["estimate"].double ?? .nan
      let se = reference["se"].double ?? .nan
      #expect(abs(mean.estimate.estimate - e) <= Self.tolerance * abs(e))
      #expect(abs(mean.estimate.standardError - se) <= Self.tolerance * se)
      #expect(mean.estimate.df == (reference["df"].double ?? .nan) + structureParameters)
    }
    let contrasts = expected["contrasts"].array
    #expect(results.contrasts.count == contrasts.count)
    for (contrast, reference) in zip(results.contrasts, contrasts) {
      #expect(contrast.label == reference["contrast"].string)
      let se = reference["se"].double ?? .nan
      #expect(abs(contrast.estimate.estimate - (reference["estimate"].double ?? .nan)) <= 1e-5 * se)
      #expect(abs(contrast.estimate.standardError - se) <= Self.tolerance * se)
      #expect(contrast.estimate.df == (reference["df"].double ?? .nan) + structureParameters)
    }
  }
}
