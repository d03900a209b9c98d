import Inference
import TestSupport
import Testing

/// Estimated marginal means and their contrasts against emmeans
/// (`emmeans(fit, ~ arm | by)`, `trt.vs.ctrl`, `pairwise`, `revpairwise`; holm and bonferroni),
/// with lmerTest's Satterthwaite and pbkrtest's Kenward–Roger df.
@Suite("emmeans fixtures")
struct EmmeansFixtureTests {
  static let cases = ["pain_trial", "ketamine_visit"]

  /// The contrast families and the adjusted p-values `scripts/reference/inference.R` records
  /// for each: holm and bonferroni, except revpairwise (holm only).
  static let families: [(family: String, adjustments: [PValueAdjustment])] = [
    ("trt_vs_ctrl", [.holm, .bonferroni]), ("pairwise", [.holm, .bonferroni]),
    ("revpairwise", [.holm]),
  ]

  @Test("marginal means and contrasts match emmeans", arguments: cases)
  func marginalMeans(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let block = try fixture.member("expected").member("emmeans")
    let specs = try block.text("specs")
    let by = try block.text("by")
    let control = try block.text("control")
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let means = try MarginalMeans.compute(
        specs: [specs], by: [by], frame: fitted.frame, inference: inference)
      let methodBlock = try block.member(key)
      for (mean, row) in try zipExactly(means, methodBlock.elements("means"), "\(name) \(key)") {
        let label = "\(name) \(key) EMM \(mean.levels.map(\.level))"
        #expect(mean.levels[0].level == (try row.member("levels").text(specs)), "\(label) order")
        expectClose(mean.estimate.estimate, try row.number("estimate"), .fixedEffects, label)
        expectClose(
          mean.estimate.standardError, try row.number("se"), .fixedEffects, label + " se")
        expectClose(mean.estimate.df, try row.number("df"), .degreesOfFreedom, label + " df")
        let ci = mean.estimate.confidenceInterval()
        expectClose(ci.lower, try row.number("lower"), .fixedEffects, label + " lower")
        expectClose(ci.upper, try row.number("upper"), .fixedEffects, label + " upper")
      }
      let methods: [String: ContrastMethod] = [
        "trt_vs_ctrl": .treatmentVersusControl(control: control), "pairwise": .pairwise,
        "revpairwise": .revpairwise,
      ]
      #expect(
        Set(try methodBlock.requiredMembers(key).keys.filter { $0 != "mode" && $0 != "means" })
          == Set(Self.families.map(\.family)), "\(name) \(key) families")
      for (family, adjustments) in Self.families {
        let contrast = try #require(methods[family])
        let reference = try methodBlock.member(family)
        let recorded = try reference.requiredMembers(family).keys.filter { $0 != "rows" }
        #expect(Set(recorded) == Set(adjustments.map(\.rawValue)), "\(family) adjustments")
        for adjustment in adjustments {
          let adjusted = try reference.numbers(adjustment.rawValue)
          let contrasts = try MarginalMeans.contrasts(
            means, method: contrast, adjustment: adjustment, inference: inference)
          let rows = try reference.elements("rows")
          try #require(adjusted.count == rows.count, "\(family) \(adjustment) count")
          for (index, (c, row)) in try zipExactly(contrasts, rows, "\(name) \(key) \(family)")
            .enumerated()
          {
            let label = "\(name) \(key) \(family) \(c.label) \(c.group)"
            #expect(c.label == (try row.text("contrast")), "\(label) name")
            let e = c.estimate
            expectClose(e.estimate, try row.number("estimate"), .fixedEffects, label)
            expectClose(e.standardError, try row.number("se"), .fixedEffects, label + " se")
            expectClose(e.df, try row.number("df"), .degreesOfFreedom, label + " df")
            expectClose(e.t, try row.number("t"), .fixedEffects, label + " t")
            expectClose(e.p, try row.number("p"), .pValue, label + " p")
            expectClose(c.adjustedP, adjusted[index], .pValue, label + " \(adjustment)")
            let ci = e.confidenceInterval()
            expectClose(ci.lower, try row.number("lower"), .fixedEffects, label + " lower")
          }
        }
      }
    }
  }

  @Test("means of arm averaged over the other factor, equal and proportional weights")
  func averagedMeans() throws {
    let (fixture, fitted) = try FittedCase.load("ketamine_visit")
    let block = try fixture.member("expected").member("emmeans")
    let inference = try MixedModelInference(
      model: fitted.model, fit: fitted.fit, method: .satterthwaite)
    for (weights, key) in [
      (MarginalWeights.equal, "marginal_equal"), (.proportional, "marginal_proportional"),
    ] {
      let means = try MarginalMeans.compute(
        specs: ["arm"], frame: fitted.frame, inference: inference, weights: weights)
      for (mean, row) in try zipExactly(means, block.elements(key), key) {
        let label = "\(key) \(mean.levels[0].level)"
        #expect(mean.levels[0].level == (try row.text("level")))
        expectClose(mean.estimate.estimate, try row.number("estimate"), .fixedEffects, label)
        expectClose(
          mean.estimate.standardError, try row.number("se"), .fixedEffects, label + " se")
        expectClose(mean.estimate.df, try row.number("df"), .degreesOfFreedom, label + " df")
      }
    }
  }
}
