import Analysis
import DataTable
import Formulas
import Foundation
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

@testable import Inference

/// Inference on MMRMs with a site random intercept (subjects nested in sites) together with a
/// residual covariance structure.
///
/// - Against the lme4 path: with `cs` residuals and a positive within-subject correlation,
///   `(1 | site) + cs(time | subject)` has V = σ_s²J_site + σ_b²J_subject + σ²I, the model
///   lme4 writes `(1 | site) + (1 | subject)`; both reach the same REML optimum and KR's and
///   Satterthwaite's df are invariant to the parameterisation, so the MMRM path (per-cluster
///   dense V, nonlinear parameters) must reproduce the pbkrtest-validated lme4 path.
/// - The sandwich takes the site as the cluster: `Φ [Σ_c u_cu_cᵀ] Φ`, u_c = X_cᵀV_c⁻¹r_c, with
///   V_c built here from the fitted Σ and site variance.
/// - Between–within df use the subject, as without the site term.
/// - LS means and SEs against emmeans on nlme's `lme` (`Tests/Fixtures/mmrm/site/us_reml`).
@Suite("MMRM with site random effects: inference")
struct MMRMSiteInferenceTests {
  /// 4 sites × 6 subjects (3 per group) × 4 times, balanced, with site and subject effects.
  static func csv() -> String {
    var csv = "subject,site,group,time,y\n"
    var k = 0.0
    for site in 0..<4 {
      let siteEffect = [-3.0, 1.0, 2.5, -0.5][site]
      for s in 0..<6 {
        let g = s % 2
        let effect = 1.5 * sin(Double(7 * s + 3 * site) * 1.7)
        for t in 0..<4 {
          k += 1
          let u = (sin(k * 12.9898) * 43758.5453).truncatingRemainder(dividingBy: 1)
          let y = 10 + Double(g) + 0.5 * Double(t) + siteEffect + effect + 2 * u
          csv += "S\(site)\(s),site\(site),g\(g),t\(t),\(y)\n"
        }
      }
    }
    return csv
  }

  static func mmrm(_ formula: String) throws -> (ModelFrame, MMRMModel, MMRMFit) {
    let table = try Table.readCSV(text: csv(), source: "sites.csv")
    let frame = try ModelFrame(
      formula: Formula(formula), table: table,
      options: ModelFrameOptions(requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    return (frame, model, try model.fit(method: .reml))
  }

  @Test(
    "KR and Satterthwaite df equal the lme4 path's (1 | site) + (1 | subject)",
    arguments: [DegreesOfFreedomMethod.kenwardRoger, .satterthwaite])
  func agreesWithLme4(_ method: DegreesOfFreedomMethod) throws {
    let (mmrmFrame, mmrm, mmrmFit) = try Self.mmrm(
      "y ~ group * time + (1 | site) + cs(time | subject)")
    let table = try Table.readCSV(text: Self.csv(), source: "sites.csv")
    let lmmFrame = try ModelFrame(
      formula: Formula("y ~ group * time + (1 | site) + (1 | subject)"), table: table)
    let lmm = LinearMixedModel(frame: lmmFrame)
    let lmmFit = try lmm.fit(method: .reml)
    #expect(abs(mmrmFit.objective - lmmFit.objective) < 1e-6 * abs(lmmFit.objective))
    let rho = try #require(mmrmFit.parameters.first { $0.name == "rho" }).estimate
    #expect(rho > 0)
    let siteSD = try #require(mmrmFit.randomEffects.first?.standardDeviations.first)
    #expect(siteSD > 0.1)
    // pbkrtest's W comes from the expected information; so must the MMRM's here.
    let a = try MixedModelInference(
      model: mmrm, fit: mmrmFit, method: method, information: .expected)
    let b = try MixedModelInference(model: lmm, fit: lmmFit, method: method)
    // Satterthwaite's df come from a finite-difference Hessian of −2ℓ at each path's own
    // optimum (they differ by ~1e-7): they agree to ~2e-5; KR's to ~1e-6.
    let tolerance = method == .kenwardRoger ? 1e-5 : 1e-4
    for (x, y) in try zipExactly(a.coefficientTests(), b.coefficientTests(), "coefficients") {
      #expect(abs(x.df - y.df) < tolerance * y.df, "\(method) \(x.df) \(y.df)")
      if method == .satterthwaite {
        #expect(abs(x.standardError - y.standardError) < 1e-4 * y.standardError)
      }
    }
    let ta = try a.typeIIITests(frame: mmrmFrame)
    let tb = try b.typeIIITests(frame: lmmFrame)
    #expect(ta.map(\.term) == tb.map(\.term))
    for (x, y) in try zipExactly(ta, tb, "type III") {
      #expect(
        abs(x.test.denominatorDF - y.test.denominatorDF) < tolerance * y.test.denominatorDF,
        "\(method) \(x.term) \(x.test.denominatorDF) \(y.test.denominatorDF)")
    }
  }

  @Test("the sandwich clusters by site")
  func sandwichBySite() throws {
    let (_, model, fit) = try Self.mmrm("y ~ group * time + (1 | site) + cs(time | subject)")
    let inference = try MixedModelInference(
      model: model, fit: fit, method: .residual, estimator: .empirical)
    let p = fit.fixedEffects.count
    let sigma = try #require(fit.sigmaMatrices.first)
    let siteVariance = try #require(fit.randomEffects.first?.standardDeviations.first).squared
    let table = try Table.readCSV(text: Self.csv(), source: "sites.csv")
    let frame = try ModelFrame(
      formula: Formula("y ~ group * time + (1 | site) + cs(time | subject)"), table: table,
      options: ModelFrameOptions(requiresRandomEffects: false))
    let cov = try #require(frame.covariance)
    let site = try #require(frame.randomTerms.first)
    var meat = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
    for c in 0..<site.levelCount {
      let rows = (0..<frame.observationCount).filter { site.levelIndex[$0] == c }
      let n = rows.count
      var v = Matrix(rows: n, columns: n)
      for (a, ra) in rows.enumerated() {
        for (b, rb) in rows.enumerated() {
          var value = siteVariance
          if cov.subjectIndex[ra] == cov.subjectIndex[rb] {
            value += sigma[Int(cov.timeIndex[ra]), Int(cov.timeIndex[rb])]
          }
          v.storage[a + b * n] = value
        }
      }
      try v.choleskyLowerInPlace()
      let vInverse = try v.inverseFromCholesky()
      let residual = rows.map { row in
        frame.response[row] - (0..<p).reduce(0) { $0 + frame.X[row, $1] * fit.fixedEffects[$1] }
      }
      var w = [Double](repeating: 0, count: n)
      for a in 0..<n {
        for b in 0..<n { w[a] += vInverse[a, b] * residual[b] }
      }
      let u = (0..<p).map { j in (0..<n).reduce(0) { $0 + frame.X[rows[$1], j] * w[$1] } }
      for i in 0..<p {
        for j in 0..<p { meat[i][j] += u[i] * u[j] }
      }
    }
    let phi = fit.fixedEffectsCovariance
    let expected = phi.multiplied(by: Matrix(rows: meat)).multiplied(by: phi)
    for i in 0..<p {
      for j in 0..<p {
        #expect(
          abs(inference.covariance[i, j] - expected[i, j]) < 1e-8 * expected[i, i].magnitude)
      }
    }
  }

  @Test("between–within df use the subject, as without the site term")
  func betweenWithin() throws {
    let (_, withSite, siteFit) = try Self.mmrm(
      "y ~ group * time + (1 | site) + cs(time | subject)")
    let (_, without, fit) = try Self.mmrm("y ~ group * time + cs(time | subject)")
    let a = try MixedModelInference(model: withSite, fit: siteFit, method: .betweenWithin)
    let b = try MixedModelInference(model: without, fit: fit, method: .betweenWithin)
    #expect(a.coefficientDF == b.coefficientDF)
  }

  @Test("LS means and SEs match emmeans on nlme's lme; KR runs end to end")
  func matchesEmmeans() throws {
    let fixture = try Fixture.load("mmrm/site/us_reml")
    let call = try fixture.member("call")
    for method in [DegreesOfFreedomMethod.satterthwaite, .kenwardRoger] {
      var request = try FitRequest(
        dataPath: RepositoryPaths.root.appendingPathComponent(
          try fixture.member("dataset").text("path")
        ).path,
        formula: try call.text("formula"), factors: try call.texts("factors"))
      request.inference = try InferenceRequest(degreesOfFreedom: method, emmeans: "arm | visit")
      let outcome = try FitPipeline.run(request)
      let results = try #require(outcome.inference)
      let means = try fixture.member("expected").elements("emmeans")
      for (mean, reference) in try zipExactly(results.means, means, "\(method) EMMs") {
        #expect(
          mean.levels.map(\.level) == [try reference.text("arm"), try reference.text("visit")])
        let e = try reference.number("estimate")
        let se = try reference.number("se")
        #expect(abs(mean.estimate.estimate - e) <= 1e-5 * abs(e))
        #expect(mean.estimate.df.isFinite && mean.estimate.df > 0)
        if method == .satterthwaite {
          #expect(abs(mean.estimate.standardError - se) <= 1e-5 * se)
        } else {
          // Φ_A: no reference; it must at least be a usable SE.
          #expect(mean.estimate.standardError.isFinite && mean.estimate.standardError > 0)
        }
      }
    }
  }
}

extension Double {
  fileprivate var squared: Double { self * self }
}
