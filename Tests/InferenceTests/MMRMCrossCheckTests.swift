import DataTable
import Formulas
import Foundation
import Inference
import MixedModels
import TestSupport
import Testing

/// Kenward–Roger and Satterthwaite df of an MMRM with `cs` against the lme4-type fit of the
/// same model written as `(1 | subject)`, on unbalanced data.
///
/// With a positive within-subject correlation both fits have the same REML optimum
/// (V = σ_b²J + σ²I), and both df are invariant to the parameterisation (KR's from P_r and W,
/// Satterthwaite's at a stationary point), so the MMRM path (log-SD and correlation parameters,
/// per-pattern sums, R terms) must reproduce the lme4 path (pbkrtest-validated, linear
/// parameters, per-cluster sums). SEs agree under Satterthwaite (Φ); under KR, Φ_A differs
/// (by about 2% here) because the R terms of the nonlinear parameters do not vanish.
@Suite("MMRM cs against lme4 random intercept")
struct MMRMCrossCheckTests {
  static func csv() -> String {
    var csv = "subject,group,time,y\n"
    var k = 0.0
    for g in 0..<2 {
      for s in 0..<9 {
        let effect = 1.5 * sin(Double(7 * s + 3 * g) * 1.7)
        for t in 0..<4 {
          k += 1
          if (s + t) % 5 == 4 || (g == 1 && s == 2 && t > 1) { continue }
          let u = (sin(k * 12.9898) * 43758.5453).truncatingRemainder(dividingBy: 1)
          let y = 10 + Double(g) + 0.5 * Double(t) + effect + 2 * u
          csv += "S\(g)\(s),g\(g),t\(t),\(y)\n"
        }
      }
    }
    return csv
  }

  @Test(
    "coefficient and type III df agree",
    arguments: [DegreesOfFreedomMethod.kenwardRoger, .satterthwaite])
  func agree(_ method: DegreesOfFreedomMethod) throws {
    let table = try Table.readCSV(text: Self.csv(), source: "unbalanced.csv")
    let mmrmFrame = try ModelFrame(
      formula: Formula("y ~ group * time + cs(time | subject)"), table: table,
      options: ModelFrameOptions(requiresRandomEffects: false))
    let mmrm = try MMRMModel(frame: mmrmFrame)
    let mmrmFit = try mmrm.fit(method: .reml)
    let lmmFrame = try ModelFrame(
      formula: Formula("y ~ group * time + (1 | subject)"), table: table)
    let lmm = LinearMixedModel(frame: lmmFrame)
    let lmmFit = try lmm.fit(method: .reml)
    #expect(abs(mmrmFit.objective - lmmFit.objective) < 1e-6 * abs(lmmFit.objective))
    // pbkrtest's W comes from the expected information; so must the MMRM's here.
    let a = try MixedModelInference(
      model: mmrm, fit: mmrmFit, method: method, information: .expected)
    let b = try MixedModelInference(model: lmm, fit: lmmFit, method: method)
    for (x, y) in try zipExactly(a.coefficientTests(), b.coefficientTests(), "coefficients") {
      #expect(abs(x.df - y.df) < 1e-6 * y.df, "\(method) \(x.df) \(y.df)")
      if method == .satterthwaite {
        #expect(abs(x.standardError - y.standardError) < 1e-4 * y.standardError)
      }
    }
    let ta = try a.typeIIITests(frame: mmrmFrame)
    let tb = try b.typeIIITests(frame: lmmFrame)
    for (x, y) in try zipExactly(ta, tb, "type III") {
      #expect(x.term == y.term)
      #expect(abs(x.test.denominatorDF - y.test.denominatorDF) < 1e-6 * y.test.denominatorDF)
    }
  }
}
