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
    let call = try fixture.member("call")
    let path = RepositoryPaths.root.appendingPathComponent(
      try fixture.member("dataset").text("path")
    ).path
    let table = try Table.readCSV(path: path)
    let formula = try Formula(try call.text("formula"))
    let frame = try ModelFrame(
      formula: formula, table: table,
      options: ModelFrameOptions(
        factors: Set(try call.texts("factors")), requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    return try model.fit(method: try fixtureMethod(call))
  }

  @Test("there are MMRM fixtures to compare with") func fixturesExist() {
    #expect(Self.cases.count >= 7)
  }

  @Test("−2ℓ, β̂, SEs, vcov and Σ̂ match nlme", arguments: cases)
  func matchesNlme(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let expected = try fixture.member("expected")
    let fit = try Self.fit(fixture)
    #expect(Double(fit.observationCount) == (try expected.number("nobs")))
    #expect(Double(fit.subjectCount) == (try expected.number("nsubjects")))
    let criterion = try expected.number("criterion")
    expectClose(fit.objective, criterion, Self.criterion, "−2ℓ")
    expectClose(fit.logLikelihood, try expected.number("logLik"), Self.criterion, "logLik")
    #expect(Double(fit.parameterCount) == (try expected.number("df")))
    expectClose(fit.aic, try expected.number("AIC"), Self.criterion, "AIC")
    expectClose(fit.bic, try expected.number("BIC"), Self.criterion, "BIC")
    let fixef = try expected.elements("fixef")
    // nlme's gls scales vcov by (N − REML·p)/(N − p) (`varBetaFact`), i.e. by N/(N − p) for ML;
    // ours is (Σ X_iᵀΣ̂_i⁻¹X_i)⁻¹ itself, as mmrm reports it.
    let n = Double(fit.observationCount)
    let pp = Double(fit.fixedEffects.count)
    let vcovScale = fit.method == .ml ? (n - pp) / n : 1
    let expectedSE = try fixef.map { try $0.number("se") * vcovScale.squareRoot() }
    let expectedEstimates = try fixef.map { try $0.number("estimate") }
    #expect(fit.fixedEffectNames == (try fixef.map { try $0.text("term") }))
    expectClose(fit.fixedEffects, expectedEstimates, Self.fixedEffects, "β̂")
    expectClose(fit.standardErrors, expectedSE, Self.fixedEffects, "SE")
    let p = fit.fixedEffects.count
    let vcov = (0..<p).flatMap { i in (0..<p).map { fit.fixedEffectsCovariance[i, $0] } }
    let expectedVcov = try expected.elements("vcov").map { try $0.requiredNumbers("vcov") }
    #expect(expectedVcov.count == p, "vcov rows")
    expectClose(
      vcov, expectedVcov.flatMap { $0 }.map { $0 * vcovScale }, Self.fixedEffects, "vcov")
    let sigma = try #require(fit.sigmaMatrices.first)
    let t = sigma.rows
    // nlme's matrix is the marginal V = Σ + ZGZᵀ; with a random intercept ZGZᵀ = g·11ᵀ.
    let g = fit.randomEffects.first.map { $0.standardDeviations[0] * $0.standardDeviations[0] } ?? 0
    let observed = (0..<t).flatMap { i in (0..<t).map { sigma[i, $0] + g } }
    let expectedSigma = try expected.elements("sigma").map { try $0.requiredNumbers("sigma") }
    #expect(expectedSigma.count == t, "Σ̂ rows")
    expectClose(observed, expectedSigma.flatMap { $0 }, Self.sigma, "Σ̂")
    // rho and random_intercept_sd are null where the structure has no such parameter (us; no
    // random intercept): then ours must have none either.
    let rho = try expected.member("rho")
    if rho == .null {
      #expect(!fit.parameters.contains { $0.name == "rho" }, "rho where nlme has none")
    } else {
      let ours = try #require(fit.parameters.first { $0.name == "rho" }).estimate
      expectClose(ours, try rho.requiredNumber("rho"), Self.sigma, "rho")
    }
    let sd = try expected.member("random_intercept_sd")
    if sd == .null {
      #expect(fit.randomEffects.isEmpty, "random effects where nlme has none")
    } else {
      let ours = try #require(fit.randomEffects.first?.standardDeviations.first)
      expectClose(ours, try sd.requiredNumber("random_intercept_sd"), Self.sigma, "random SD")
    }
    #expect(fit.converged, "\(fit.warnings.map(\.message))")
    print(
      "\(name): −2ℓ − nlme's \(fit.objective - criterion), "
        + "max|grad| \(fit.gradient.map(abs).reduce(0, largest)), β̂ rel "
        + "\(maxRelativeDifference(fit.fixedEffects, expectedEstimates))"
        + ", SE rel \(maxRelativeDifference(fit.standardErrors, expectedSE))"
        + ", Σ rel \(maxRelativeDifference(observed, expectedSigma.flatMap { $0 }))"
        + ", evaluations \(fit.optimization.evaluations)")
  }
}
