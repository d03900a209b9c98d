import DataTable
import Formulas
import Foundation
import LinearAlgebra
import MixedModels
import Testing

@testable import Inference

/// Known answers from theory for inference on MMRM fits of balanced, complete data.
///
/// - `cs` with `group * time`: the exact split-plot F tests have denominator df n − g
///   (group) and (n − g)(t − 1) (time, group:time); Kenward–Roger (with its second-derivative
///   terms, so parameterisation-invariant) and Satterthwaite reproduce them.
/// - `us` with a saturated mean per visit (`y ~ 0 + time`): β̂ are the visit means, the REML Σ̂
///   is the sample covariance S (divisor n − 1) and Φ = S/n, so a visit mean is a one-sample
///   t with n − 1 df, and the joint test of all t means is Hotelling's T² with
///   F = T²(n − t)/(t(n − 1)) ~ F(t, n − t): KR gives df n − t and scaling (n − t)/(n − 1) of
///   the Wald F = T²/t under Φ (P_r and W transform covariantly, so these are the same in
///   every parameterisation). In a linear parameterisation Q_rs = P_rΦP_s and R_rs = 0 here,
///   so Φ_A = Φ; in the fit's log-Cholesky parameters the R terms do not vanish and Φ_A ≠ Φ
///   (not asserted).
/// - the sandwich for the same model: u_i = S⁻¹(y_i − ȳ), Σ u_iu_iᵀ = (n − 1)S⁻¹, so the
///   empirical covariance is (S/n)(n − 1)S⁻¹(S/n) = ((n − 1)/n) Φ exactly.
@Suite("MMRM inference identities")
struct MMRMIdentityTests {
  static let subjectsPerGroup = 7
  static let times = 4

  static func model(_ formula: String) throws -> (ModelFrame, MMRMModel, MMRMFit) {
    var csv = "subject,group,time,y\n"
    var k = 0.0
    for g in 0..<2 {
      for s in 0..<subjectsPerGroup {
        let effect = sin(Double(7 * s + 3 * g) * 1.7)
        for t in 0..<times {
          k += 1
          let u = (sin(k * 12.9898) * 43758.5453).truncatingRemainder(dividingBy: 1)
          let y = 10 + Double(g) + 0.5 * Double(t) + effect + 2 * u * (1 + 0.3 * Double(t))
          csv += "S\(g)\(s),g\(g),t\(t),\(y)\n"
        }
      }
    }
    let table = try Table.readCSV(text: csv, source: "balanced.csv")
    let frame = try ModelFrame(
      formula: Formula(formula), table: table,
      options: ModelFrameOptions(requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    return (frame, model, try model.fit(method: .reml))
  }

  @Test(
    "cs: KR and Satterthwaite type III df are the split-plot df",
    arguments: [
      DegreesOfFreedomMethod.kenwardRoger, .satterthwaite, .betweenWithin,
    ])
  func splitPlot(_ method: DegreesOfFreedomMethod) throws {
    let (frame, model, fit) = try Self.model("y ~ group * time + cs(time | subject)")
    let inference = try MixedModelInference(model: model, fit: fit, method: method)
    let tests = try inference.typeIIITests(frame: frame)
    let between = Double(2 * Self.subjectsPerGroup - 2)
    let within = between * Double(Self.times - 1)
    let expected = ["group": between, "time": within, "group:time": within]
    #expect(tests.map(\.term) == ["group", "time", "group:time"])
    for test in tests {
      let df = try #require(expected[test.term])
      #expect(abs(test.test.denominatorDF - df) < 1e-4 * df, "\(method) \(test.term)")
    }
  }

  @Test("us, saturated visit means: visit-mean df n − 1, Hotelling T² under KR")
  func pairedT() throws {
    let (_, model, fit) = try Self.model("y ~ 0 + time + us(time | subject)")
    let n = Double(2 * Self.subjectsPerGroup)
    let t = Double(Self.times)
    let kr = try MixedModelInference(model: model, fit: fit, method: .kenwardRoger)
    let satterthwaite = try MixedModelInference(model: model, fit: fit, method: .satterthwaite)
    let p = Self.times
    for j in 0..<p {
      var l = [Double](repeating: 0, count: p)
      l[j] = 1
      #expect(abs(kr.degreesOfFreedom(l) - (n - 1)) < 1e-4 * n)
      #expect(abs(satterthwaite.degreesOfFreedom(l) - (n - 1)) < 1e-4 * n)
    }
    let all = (0..<p).map { j in (0..<p).map { $0 == j ? 1.0 : 0 } }
    let statistics = try #require(kr.kenwardRoger).statistics(Matrix(rows: all))
    #expect(abs(statistics.df - (n - t)) < 1e-4 * n)
    #expect(abs(statistics.scaling - (n - t) / (n - 1)) < 1e-5)
    #expect(abs(kr.test(all).denominatorDF - (n - t)) < 1e-4 * n)
  }

  @Test("us, saturated visit means: sandwich = (n − 1)/n × model-based")
  func sandwich() throws {
    let (_, model, fit) = try Self.model("y ~ 0 + time + us(time | subject)")
    let n = Double(2 * Self.subjectsPerGroup)
    let inference = try MixedModelInference(
      model: model, fit: fit, method: .residual, estimator: .empirical)
    let p = Self.times
    for i in 0..<p {
      for j in 0..<p {
        let expected = (n - 1) / n * fit.fixedEffectsCovariance[i, j]
        #expect(
          abs(inference.covariance[i, j] - expected) < 1e-6 * fit.fixedEffectsCovariance[j, j])
      }
    }
    #expect(throws: InferenceError.self) {
      try MixedModelInference(model: model, fit: fit, method: .kenwardRoger, estimator: .empirical)
    }
  }
}
