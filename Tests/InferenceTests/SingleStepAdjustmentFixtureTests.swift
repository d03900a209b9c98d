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
    let index = 0
    let fixture = try Fixture.load("inference/mvt/emmeans_lmer")
    let entry = fixture["cases"][index]
    let fitted = try FittedCase(fixture: entry)
    let name = entry["name"].string ?? ""
    let spec = try #require(entry["call"]["emmeans"].string)
    let parts = spec.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    let control = entry["call"]["control"].string
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      // The fixture keeps the by levels listed in `at` (all when empty).
      let at = Set(entry["call"]["at"].strings)
      let means = try MarginalMeans.compute(
        specs: [parts[0]], by: [parts[1]], frame: fitted.frame, inference: inference
      ).filter { at.isEmpty || at.contains($0.group.first ?? "") }
      for (contrast, family) in [
        (ContrastMethod.treatmentVersusControl(control: control), "trt_vs_ctrl"),
        (.pairwise, "pairwise"),
      ] {
        let reference = entry["expected"][key][family]
        let abseps = try #require(reference["rule"]["abseps"].double)
        #expect((reference["max_error"].double ?? 1) <= abseps)
        #expect(!reference["critical"].array.isEmpty)
        let rows = reference["rows"].array
        let contrasts = try MarginalMeans.contrasts(
          means, method: contrast, adjustment: .mvt, inference: inference)
        #expect(contrasts.count == rows.count)
        var worst = (p: 0.0, limit: 0.0)
        for (c, row) in zip(contrasts, rows) {
          let label = "\(name) \(key) \(family) \(c.label) \(c.group)"
          #expect(c.label == row["contrast"].string, "\(label) name")
          let t = row["t"].double ?? .nan
          expectClose(c.estimate.t, t, .fixedEffects, label + " t")
          let p = row["p_adjusted"].double ?? .nan
          let pTolerance = SingleStepTolerance.pValue(
            family: reference, t: t, deltaT: abs(c.estimate.t - t), df: c.estimate.df,
            dimension: rows.count)
          expectClose(c.adjustedP, p, pTolerance, label + " p")
          let se = c.estimate.standardError
          let estimate = row["estimate"].double ?? .nan
          let rowSE = row["se"].double ?? .nan
          let limitTolerance = SingleStepTolerance.limit(
            family: reference, se: se, deltaEstimate: abs(c.estimate.estimate - estimate),
            deltaSE: abs(se - rowSE),
            criticalValue: ((row["upper"].double ?? .nan) - estimate) / rowSE)
          let interval = c.adjustedInterval
          expectClose(interval.lower, row["lower"].double ?? .nan, limitTolerance, label + " lower")
          expectClose(interval.upper, row["upper"].double ?? .nan, limitTolerance, label + " upper")
          worst.p = max(worst.p, abs(c.adjustedP - p))
          worst.limit = max(
            worst.limit, abs(interval.lower - (row["lower"].double ?? .nan)),
            abs(interval.upper - (row["upper"].double ?? .nan)))
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
      let reference = fixture["expected"][family]
      var worst = (p: 0.0, limit: 0.0)
      let rows = reference["rows"].array
      var seen = 0
      for (_, group) in reference["families"].object {
        let indices = group["rows"].doubles.map { Int($0) }
        let correlation = group["correlation"].array.map(\.doubles)
        let t = indices.map { rows[$0]["t"].double ?? .nan }
        let df = indices.map { rows[$0]["df"].double ?? .nan }
        let p = SingleStepAdjustment.adjustedPValues(t: t, df: df, correlation: correlation)
        let c = SingleStepAdjustment.criticalValues(df: df, correlation: correlation)
        for (k, i) in indices.enumerated() {
          let row = rows[i]
          let label = "gls \(family) \(row["contrast"].string ?? "") \(row["by"].string ?? "")"
          let pTolerance = SingleStepTolerance.pValue(
            family: reference, t: t[k], deltaT: 0, df: df[k], dimension: indices.count)
          expectClose(p[k], row["p_adjusted"].double ?? .nan, pTolerance, label + " p")
          let estimate = row["estimate"].double ?? .nan
          let se = row["se"].double ?? .nan
          let limitTolerance = SingleStepTolerance.limit(family: reference, se: se)
          expectClose(
            estimate - c[k] * se, row["lower"].double ?? .nan, limitTolerance, label + " lower")
          expectClose(
            estimate + c[k] * se, row["upper"].double ?? .nan, limitTolerance, label + " upper")
          worst.p = max(worst.p, abs(p[k] - (row["p_adjusted"].double ?? .nan)))
          worst.limit = max(worst.limit, abs(estimate - c[k] * se - (row["lower"].double ?? .nan)))
          seen += 1
        }
      }
      #expect(seen == rows.count)
      print("gls \(family): max |Δp| \(worst.p), max |Δlower| \(worst.limit)")
    }
  }
}
