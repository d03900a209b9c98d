import Distributions
import Foundation
import Inference
import TestSupport
import Testing

/// The single-step multivariate t adjustment (`mvt`, `dunnett`) against emmeans'
/// `summary(contrast(...), infer = TRUE, adjust = "mvt")` (`Tests/Fixtures/inference/mvt`,
/// written by `scripts/reference/mvt.R` with mvtnorm at abseps 2e-6).
@Suite("mvt adjustment: emmeans fixtures")
struct SingleStepAdjustmentFixtureTests {
  /// Adjusted p-values: our integration error (1e-5) plus mvtnorm's (≤ 1e-6, `max_error` in
  /// the fixture), doubled; t and df agree with lmerTest/pbkrtest to ~1e-5, which moves p by
  /// far less.
  static let pValue = Tolerance(
    relative: 0, absolute: 3e-5, reason: "two quasi-Monte Carlo integrations at 1e-5 and 1e-6")

  /// Simultaneous limits `estimate ∓ c·SE`: c to ~1e-4 (probability error over the density
  /// of max|T|), times SE, plus the estimate's own 1e-5.
  static func limit(_ se: Double) -> Tolerance {
    Tolerance(
      relative: 1e-5, absolute: 2e-4 * se,
      reason: "equicoordinate quantile to 1e-4 (both tools), times SE")
  }

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
        #expect((reference["max_error"].double ?? 1) <= 1e-5)
        let rows = reference["rows"].array
        let contrasts = try MarginalMeans.contrasts(
          means, method: contrast, adjustment: .mvt, inference: inference)
        #expect(contrasts.count == rows.count)
        var worst = (p: 0.0, limit: 0.0)
        for (c, row) in zip(contrasts, rows) {
          let label = "\(name) \(key) \(family) \(c.label) \(c.group)"
          #expect(c.label == row["contrast"].string, "\(label) name")
          expectClose(c.estimate.t, row["t"].double ?? .nan, .fixedEffects, label + " t")
          expectClose(c.adjustedP, row["p_adjusted"].double ?? .nan, Self.pValue, label + " p")
          let se = c.estimate.standardError
          let interval = c.adjustedInterval
          expectClose(interval.lower, row["lower"].double ?? .nan, Self.limit(se), label + " lower")
          expectClose(interval.upper, row["upper"].double ?? .nan, Self.limit(se), label + " upper")
          worst.p = max(worst.p, abs(c.adjustedP - (row["p_adjusted"].double ?? .nan)))
          worst.limit = max(
            worst.limit, abs(interval.lower - (row["lower"].double ?? .nan)) / se)
        }
        print("\(name) \(key) \(family): max |Δp| \(worst.p), max |Δlower|/SE \(worst.limit)")
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
          expectClose(p[k], row["p_adjusted"].double ?? .nan, Self.pValue, label + " p")
          let estimate = row["estimate"].double ?? .nan
          let se = row["se"].double ?? .nan
          expectClose(
            estimate - c[k] * se, row["lower"].double ?? .nan, Self.limit(se), label + " lower")
          seen += 1
        }
      }
      #expect(seen == rows.count)
    }
  }
}
