import Distributions
import Foundation
import Inference
import TestSupport
import Testing

/// The single-step multivariate t adjustment (`mvt`, `dunnett`) against emmeans'
/// `summary(contrast(...), infer = TRUE, adjust = "mvt")` (`Tests/Fixtures/inference/mvt`,
/// written by `scripts/reference/mvt.R` with mvtnorm at GenzBretz abseps 1e-5, qmvt ptol 1e-4).
///
/// Tolerances (`SingleStepTolerance`): a p-value to our 1e-5 plus mvtnorm's recorded
/// `max_error` of the family (plus the observed difference of the t statistics times a bound
/// on the slope); a limit to the critical values' bound `(1e-5 + |P(c) − 0.95| + error) /
/// density` from the fixture's `critical` entries, times SE (plus the observed differences of
/// estimate and SE). Measured (2026-11-25): lmer families max |Δp| 5.5e-7 (tolerances 1e-5
/// for trt.vs.ctrl, exact in two dimensions for mvtnorm, to 2e-5 for pairwise), max |Δlimit|
/// 3.3e-6 (tolerances 0.9e-4 to 1.9e-4 · SE); gls max |Δp| 6.6e-6 (revpairwise, ten
/// contrasts, tolerance 1.7e-5), max |Δlimit| 1.7e-5 (tolerance 1.5e-4 · SE). emmeans' own
/// default rule (`default` in the fixture) is off by up to ~1e-4 in a limit.
@Suite("mvt adjustment: emmeans fixtures")
struct SingleStepAdjustmentFixtureTests {
  @Test("lmer fits: mvt p-values and simultaneous limits match emmeans")
  func lmerFamilies() throws {
    let fixture = try Fixture.load("inference/mvt/emmeans_lmer")
    let entries = try fixture.elements("cases")
    try #require(!entries.isEmpty)
    for entry in entries {
      try lmerFamilies(entry)
    }
  }

  /// One case of `emmeans_lmer`: its fit, both df methods, trt.vs.ctrl and pairwise.
  func lmerFamilies(_ entry: JSONValue) throws {
    let fitted = try FittedCase(fixture: entry)
    let name = try entry.text("name")
    let call = try entry.member("call")
    let parts = try call.text("emmeans").split(separator: "|").map {
      $0.trimmingCharacters(in: .whitespaces)
    }
    try #require(parts.count == 2, "\(name): emmeans spec")
    let control = try call.text("control")
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      // The fixture keeps the by levels listed in `at` (all when empty).
      let at = Set(try call.texts("at"))
      let means = try MarginalMeans.compute(
        specs: [parts[0]], by: [parts[1]], frame: fitted.frame, inference: inference
      ).filter { at.isEmpty || at.contains($0.group.first ?? "") }
      for (contrast, family) in [
        (ContrastMethod.treatmentVersusControl(control: control), "trt_vs_ctrl"),
        (.pairwise, "pairwise"),
      ] {
        let reference = try entry.member("expected").member(key).member(family)
        let abseps = try reference.member("rule").number("abseps")
        #expect(try reference.number("max_error") <= abseps)
        #expect(!(try reference.elements("critical")).isEmpty)
        let rows = try reference.elements("rows")
        let contrasts = try MarginalMeans.contrasts(
          means, method: contrast, adjustment: .mvt, inference: inference)
        var worst = (p: 0.0, limit: 0.0)
        for (c, row) in try zipExactly(contrasts, rows, "\(name) \(key) \(family)") {
          let label = "\(name) \(key) \(family) \(c.label) \(c.group)"
          #expect(c.label == (try row.text("contrast")), "\(label) name")
          let t = try row.number("t")
          expectClose(c.estimate.t, t, .fixedEffects, label + " t")
          let p = try row.number("p_adjusted")
          let pTolerance = try SingleStepTolerance.pValue(
            family: reference, t: t, deltaT: abs(c.estimate.t - t), df: c.estimate.df,
            dimension: rows.count)
          expectClose(c.adjustedP, p, pTolerance, label + " p")
          let se = c.estimate.standardError
          let estimate = try row.number("estimate")
          let rowSE = try row.number("se")
          let lower = try row.number("lower")
          let upper = try row.number("upper")
          let limitTolerance = try SingleStepTolerance.limit(
            family: reference, se: se, deltaEstimate: abs(c.estimate.estimate - estimate),
            deltaSE: abs(se - rowSE), criticalValue: (upper - estimate) / rowSE)
          let interval = c.adjustedInterval
          expectClose(interval.lower, lower, limitTolerance, label + " lower")
          expectClose(interval.upper, upper, limitTolerance, label + " upper")
          worst.p = largest(worst.p, abs(c.adjustedP - p))
          worst.limit = largest(
            worst.limit, largest(abs(interval.lower - lower), abs(interval.upper - upper)))
        }
        print("\(name) \(key) \(family): max |Δp| \(worst.p), max |Δlimit| \(worst.limit)")
        let dunnett = try MarginalMeans.contrasts(
          means, method: contrast, adjustment: .dunnett, inference: inference)
        #expect(dunnett == contrasts, "dunnett is mvt under another name")
      }
    }
  }

  @Test("gls MMRM families: p-values and critical values from emmeans' t, df and correlation")
  func glsFamilies() throws {
    let fixture = try Fixture.load("inference/mvt/emmeans_gls")
    for family in ["revpairwise", "trt_vs_ctrl"] {
      let reference = try fixture.member("expected").member(family)
      var worst = (p: 0.0, limit: 0.0)
      let rows = try reference.elements("rows")
      try #require(!rows.isEmpty, "gls \(family) rows")
      var seen = 0
      for (_, group) in try reference.members("families") {
        let indices = try group.numbers("rows").map { Int($0) }
        try #require(indices.allSatisfy(rows.indices.contains), "gls \(family) row indices")
        let correlation = try group.elements("correlation").map { try $0.requiredNumbers() }
        let t = try indices.map { try rows[$0].number("t") }
        let df = try indices.map { try rows[$0].number("df") }
        let p = SingleStepAdjustment.adjustedPValues(t: t, df: df, correlation: correlation)
        let c = SingleStepAdjustment.criticalValues(df: df, correlation: correlation)
        for (k, i) in indices.enumerated() {
          let row = rows[i]
          let label = "gls \(family) \(try row.text("contrast")) \(try row.text("by"))"
          let pTolerance = try SingleStepTolerance.pValue(
            family: reference, t: t[k], deltaT: 0, df: df[k], dimension: indices.count)
          let expectedP = try row.number("p_adjusted")
          expectClose(p[k], expectedP, pTolerance, label + " p")
          let estimate = try row.number("estimate")
          let se = try row.number("se")
          let lower = try row.number("lower")
          let limitTolerance = try SingleStepTolerance.limit(family: reference, se: se)
          expectClose(estimate - c[k] * se, lower, limitTolerance, label + " lower")
          expectClose(
            estimate + c[k] * se, try row.number("upper"), limitTolerance, label + " upper")
          worst.p = largest(worst.p, abs(p[k] - expectedP))
          worst.limit = largest(worst.limit, abs(estimate - c[k] * se - lower))
          seen += 1
        }
      }
      #expect(seen == rows.count)
      print("gls \(family): max |Δp| \(worst.p), max |Δlower| \(worst.limit)")
    }
  }
}
