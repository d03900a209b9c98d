import DataTable
import Distributions
import Formulas
import Foundation
import Inference
import MixedModels
import Testing

/// Kenward–Roger's small-sample promise for an MMRM (a residual-structure model, where no R
/// package gives KR to compare with), checked by simulation: under the null hypothesis its t
/// test of the treatment difference at the last visit rejects at the nominal 5 %, where the
/// large-sample (normal) test, on the same fits, rejects too often.
///
/// Design: 2 arms of 7 and 9 subjects, 4 visits, each visit after the first missing with
/// probability 0.12 (unbalanced, intermittent), errors multivariate normal with SDs
/// 1, 1.2, 1.4, 1.6 and AR(1) correlation 0.6 — no arm effect. Model
/// `y ~ arm * visit + us(visit | subject)` (10 covariance parameters from 16 subjects), REML,
/// visit 4 as the reference level so the tested coefficient `armtrt` is the arm difference at
/// the last visit, as in a primary MMRM analysis.
///
/// Replications: 300 × `TRAJ_TEST_LEVEL` (default 1). Acceptance: the KR rejection rate lies
/// within 0.05 ± 3·√(0.05·0.95/R) (0.012–0.088 at R = 300), and the normal test rejects more
/// often than KR.
@Suite("Kenward–Roger type-I error by simulation, MMRM")
struct MMRMTypeIErrorTests {
  @Test("KR holds 5 % for the last-visit arm difference of a small unstructured MMRM")
  func kenwardRogerLevel() throws {
    let level = Int(ProcessInfo.processInfo.environment["TRAJ_TEST_LEVEL"] ?? "") ?? 1
    let replications = 300 * max(level, 1)
    var rng = Xoshiro256StarStar(seed: 20_261_126)
    var rejectedKR = 0
    var rejectedNormal = 0
    var fitted = 0
    var nonFinite = 0
    let z = Normal.standard.quantile(0.975)
    let sd = [1.0, 1.2, 1.4, 1.6]
    for _ in 0..<replications {
      var subject: [Int32] = []
      var arm: [Int32] = []
      var visit: [Int32] = []
      var y: [Double] = []
      for s in 0..<16 {
        // AR(1) errors: e_t = 0.6 e_{t−1} + √(1 − 0.36) u_t, scaled by the visit's SD.
        var e = rng.normal()
        for t in 0..<4 {
          if t > 0 { e = 0.6 * e + 0.8 * rng.normal() }
          if t > 0 && rng.uniform() < 0.12 { continue }
          subject.append(Int32(s))
          arm.append(s < 7 ? 0 : 1)
          // Level order 4, 1, 2, 3: the last visit is the reference.
          visit.append(Int32((t + 1) % 4))
          y.append(10 - 0.5 * Double(t) + sd[t] * e)
        }
      }
      let table = try Table(
        source: "simulated",
        columns: [
          Column(name: "subject", codes: subject, levels: (0..<16).map { "s\($0)" }),
          Column(name: "arm", codes: arm, levels: ["pbo", "trt"]),
          Column(name: "visit", codes: visit, levels: ["4", "1", "2", "3"]),
          Column(name: "y", numbers: y),
        ])
      let frame = try ModelFrame(
        formula: Formula("y ~ arm * visit + us(visit | subject)"), table: table,
        options: ModelFrameOptions(requiresRandomEffects: false))
      let model = try MMRMModel(frame: frame)
      let fit = try model.fit(method: .reml)
      let k = try #require(fit.fixedEffectNames.firstIndex(of: "armtrt"))
      var l = [Double](repeating: 0, count: fit.fixedEffects.count)
      l[k] = 1
      let kr = try MixedModelInference(model: model, fit: fit, method: .kenwardRoger).estimate(l)
      // A NaN p would count as "not rejected" and pull the rate towards the band.
      if !kr.p.isFinite { nonFinite += 1 }
      if kr.p < 0.05 { rejectedKR += 1 }
      let se = fit.fixedEffectsCovariance[k, k].squareRoot()
      if abs(fit.fixedEffects[k] / se) > z { rejectedNormal += 1 }
      fitted += 1
    }
    let r = Double(fitted)
    let rateKR = Double(rejectedKR) / r
    let rateNormal = Double(rejectedNormal) / r
    let band = 3 * (0.05 * 0.95 / r).squareRoot()
    print("MMRM KR type-I: R = \(fitted), KR \(rateKR), normal \(rateNormal)")
    #expect(fitted == replications)
    #expect(nonFinite == 0, "\(nonFinite) KR p-values not finite")
    #expect(abs(rateKR - 0.05) <= band, "KR rejection rate \(rateKR) over \(fitted) trials")
    #expect(rateNormal > rateKR, "normal \(rateNormal) vs KR \(rateKR)")
  }
}
