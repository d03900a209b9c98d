import Inference
import TestSupport
import Testing

/// Estimated marginal means and their contrasts against emmeans
/// (`emmeans(fit, ~ arm | by)`, `trt.vs.ctrl`, `pairwise`, `revpairwise`; holm and bonferroni),
/// with lmerTest's Satterthwaite and pbkrtest's Kenward–Roger df.
@Suite("emmeans fixtures")
struct EmmeansFixtureTests {
  static let cases = ["pain_trial", "ketamine_visit"]

  @Test("marginal means and contrasts match emmeans", arguments: cases)
  func marginalMeans(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let block = fixture["expected"]["emmeans"]
    let specs = try #require(block["specs"].string)
    let by = try #require(block["by"].string)
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let means = try MarginalMeans.compute(
        specs: [specs], by: [by], frame: fitted.frame, inference: inference)
      let expected = block[key]["means"].array
      #expect(means.count == expected.count)
      for (mean, row) in zip(means, expected) {
        let label = "\(name) \(key) EMM \(mean.levels.map(\.level))"
        #expect(mean.levels[0].level == row["levels"]["arm"].string, "\(label) order")
        expectClose(mean.estimate.estimate, row["estimate"].double ?? .nan, .fixedEffects, label)
        expectClose(
          mean.estimate.standardError, row["se"].double ?? .nan, .fixedEffects, label + " se")
        expectClose(mean.estimate.df, row["df"].double ?? .nan, .degreesOfFreedom, label + " df")
        let ci = mean.estimate.confidenceInterval()
        expectClose(ci.lower, row["lower"].double ?? .nan, .fixedEffects, label + " lower")
        expectClose(ci.upper, row["upper"].double ?? .nan, .fixedEffects, label + " upper")
      }
      let control = block["control"].string
      for (contrast, family) in [
        (ContrastMethod.treatmentVersusControl(control: control), "trt_vs_ctrl"),
        (.pairwise, "pairwise"), (.revpairwise, "revpairwise"),
      ] {
        let reference = block[key][family]
        for adjustment in [PValueAdjustment.holm, .bonferroni] {
          let adjusted = reference[adjustment.rawValue].doubles
          if adjusted.isEmpty { continue }
          let contrasts = try MarginalMeans.contrasts(
            means, method: contrast, adjustment: adjustment, inference: inference)
          let rows = reference["rows"].array
          #expect(contrasts.count == rows.count)
          for (index, (c, row)) in zip(contrasts, rows).enumerated() {
            let label = "\(name) \(key) \(family) \(c.label) \(c.group)"
            #expect(c.label == row["contrast"].string, "\(label) name")
            let e = c.estimate
            expectClose(e.estimate, row["estimate"].double ?? .nan, .fixedEffects, label)
            expectClose(e.standardError, row["se"].double ?? .nan, .fixedEffects, label + " se")
            expectClose(e.df, row["df"].double ?? .nan, .degreesOfFreedom, label + " df")
            expectClose(e.t, row["t"].double ?? .nan, .fixedEffects, label + " t")
            expectClose(e.p, row["p"].double ?? .nan, .pValue, label + " p")
            expectClose(c.adjustedP, adjusted[index], .pValue, label + " \(adjustment)")
            let ci = e.confidenceInterval()
            expectClose(ci.lower, row["lower"].double ?? .nan, .fixedEffects, label + " lower")
          }
        }
      }
    }
  }

  @Test("means of arm averaged over the other factor, equal and proportional weights")
  func averagedMeans() throws {
    let (fixture, fitted) = try FittedCase.load("ketamine_visit")
    let block = fixture["expected"]["emmeans"]
    let inference = try MixedModelInference(
      model: fitted.model, fit: fitted.fit, method: .satterthwaite)
    for (weights, key) in [
      (MarginalWeights.equal, "marginal_equal"), (.proportional, "marginal_proportional"),
    ] {
      let means = try MarginalMeans.compute(
        specs: ["arm"], frame: fitted.frame, inference: inference, weights: weights)
      let rows = block[key].array
      #expect(means.count == rows.count)
      for (mean, row) in zip(means, rows) {
        let label = "\(key) \(mean.levels[0].level)"
        #expect(mean.levels[0].level == row["level"].string)
        expectClose(mean.estimate.estimate, row["estimate"].double ?? .nan, .fixedEffects, label)
        expectClose(
          mean.estimate.standardError, row["se"].double ?? .nan, .fixedEffects, label + " se")
        expectClose(mean.estimate.df, row["df"].double ?? .nan, .degreesOfFreedom, label + " df")
      }
    }
  }
}
