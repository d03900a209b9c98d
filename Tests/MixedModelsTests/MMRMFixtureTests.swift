import DataTable
import Formulas
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

/// MMRM fits against nlme's `gls`/`lme` golden fixtures (`Tests/Fixtures/mmrm`, written by
/// `scripts/reference/mmrm.R`), through table → model frame → `MMRMModel`.
@Suite("nlme MMRM fixtures")
struct MMRMFixtureTests {
  static let cases = Fixture.all(in: "mmrm")

  /// −2ℓ: both optimisers run to tight tolerances on a smooth surface.
  static let criterion = Tolerance(
    relative: 1e-8, reason: "−2ℓ at the optimum; nlme run with tolerance 1e-12")
  /// β̂ and SEs: GLS at φ̂; φ̂ agrees to ~1e-6, so these agree to about as much.
  static let fixedEffects = Tolerance(
    relative: 1e-5, reason: "GLS estimates at slightly different φ̂ (optimiser tolerance)")
  /// Σ̂ entries: variance parameters, the flattest direction of the surface.
  static let sigma = Tolerance(relative: 1e-4, reason: "covariance parameters at the optimum")

  /// Fits the fixture's call with the engine.
  static func fit(_ fixture: JSONValue) throws -> MMRMFit {
    let call = fixture["call"]
    let path = RepositoryPaths.root.appendingPathComponent(fixture["dataset"]["path"].string ?? "")
      .path
    let table = try Table.readCSV(path: path)
    let formula = try Formula(call["formula"].string ?? "")
    let frame = try ModelFrame(
      formula: formula, table: table,
      options: ModelFrameOptions(
        factors: Set(call["factors"].strings), requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    return try model.fit(method: call["method"].string == "ML" ? .ml : .reml)
  }

  @Test("there are MMRM fixtures to compare with") func fixturesExist() {
    #expect(Self.cases.count >= 7)
  }

  @Test("−2ℓ, β̂, SEs, vcov and Σ̂ match nlme", arguments: cases)
  func matchesNlme(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let expected = fixture["expected"]
    let fit = try Self.fit(fixture)
    #expect(fit.observationCount == Int(expected["nobs"].double ?? 0))
    #expect(fit.subjectCount == Int(expected["nsubjects"].double ?? 0))
    expectClose(fit.objective, expected["criterion"].double ?? .nan, Self.criterion, "−2ℓ")
    expectClose(fit.logLikelihood, expected["logLik"].double ?? .nan, Self.criterion, "logLik")
    #expect(fit.parameterCount == Int(expected["df"].double ?? 0))
    expectClose(fit.aic, expected["AIC"].double ?? .nan, Self.criterion, "AIC")
    expectClose(fit.bic, expected["BIC"].double ?? .nan, Self.criterion, "BIC")
    let fixef = expected["fixef"].array
    // nlme's gls scales vcov by (N − REML·p)/(N − p) (`varBetaFact`), i.e. by N/(N − p) for ML;
    // ours is (Σ X_iᵀΣ̂_i⁻¹X_i)⁻¹ itself, as mmrm reports it.
    let n = Double(fit.observationCount)
    let pp = Double(fit.fixedEffects.count)
    let vcovScale = fit.method == .ml ? (n - pp) / n : 1
    let expectedSE = fixef.compactMap { $0["se"].double }.map { $0 * vcovScale.squareRoot() }
    #expect(fit.fixedEffectNames == fixef.compactMap { $0["term"].string })
    expectClose(
      fit.fixedEffects, fixef.compactMap { $0["estimate"].double }, Self.fixedEffects, "β̂")
    expectClose(fit.standardErrors, expectedSE, Self.fixedEffects, "SE")
    let p = fit.fixedEffects.count
    let vcov = (0..<p).flatMap { i in (0..<p).map { fit.fixedEffectsCovariance[i, $0] } }
    expectClose(
      vcov, expected["vcov"].array.flatMap(\.doubles).map { $0 * vcovScale }, Self.fixedEffects,
      "vcov")
    let sigma = try #require(fit.sigmaMatrices.first)
    let t = sigma.rows
    // nlme's matrix is the marginal V = Σ + ZGZᵀ; with a random intercept ZGZᵀ = g·11ᵀ.
    let g = fit.randomEffects.first.map { $0.standardDeviations[0] * $0.standardDeviations[0] } ?? 0
    let observed = (0..<t).flatMap { i in (0..<t).map { sigma[i, $0] + g } }
    expectClose(observed, expected["sigma"].array.flatMap(\.doubles), Self.sigma, "Σ̂")
    if let rho = expected["rho"].double {
      let ours = try #require(fit.parameters.first { $0.name == "rho" }).estimate
      expectClose(ours, rho, Self.sigma, "rho")
    }
    if let sd = expected["random_intercept_sd"].double {
      let ours = try #require(fit.randomEffects.first?.standardDeviations.first)
      expectClose(ours, sd, Self.sigma, "random-intercept SD")
    }
    #expect(fit.converged, "\(fit.warnings.map(\.message))")
    print(
      "\(name): −2ℓ − nlme's \(fit.objective - (expected["criterion"].double ?? 0)), "
        + "max|grad| \(fit.gradient.map(abs).max() ?? 0), β̂ rel "
        + "\(maxRelativeDifference(fit.fixedEffects, fixef.compactMap { $0["estimate"].double }))"
        + ", SE rel \(maxRelativeDifference(fit.standardErrors, expectedSE))"
        + ", Σ rel \(maxRelativeDifference(observed, expected["sigma"].array.flatMap(\.doubles)))"
        + ", evaluations \(fit.optimization.evaluations)")
  }
}
