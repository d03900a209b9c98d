import DataTable
import Formulas
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

/// MMRM fitted values and raw and normalized residuals against nlme's
/// `fitted(gls)`, `residuals(gls, type = "response")` and `residuals(gls, type =
/// "normalized")`, and against `forwardsolve(t(chol(getVarCov(gls, individual = i))), r_i)`
/// (`Tests/Fixtures/mmrm/residuals`, written by `scripts/reference/mmrm_residuals.R`).
///
/// nlme whitens with the Cholesky factor for `corSymm` (us) and `corAR1` (ar1h), so both
/// references agree there; for `corCompSymm` (cs) it uses another square root of V⁻¹, so the
/// cs case is compared with the Cholesky reference only (mmrm's definition).
@Suite("MMRM residuals against nlme")
struct MMRMResidualsTests {
  static let cases = Fixture.all(in: "mmrm/residuals")

  /// Xβ̂ and y − Xβ̂: β̂ agrees with nlme to about 1e-5 relative (see `MMRMFixtureTests`).
  static let marginal = Tolerance(
    relative: 1e-5, absolute: 1e-6, reason: "GLS β̂ at slightly different φ̂")
  /// L⁻¹r: also depends on Σ̂, which agrees to about 1e-4 relative.
  static let normalized = Tolerance(
    relative: 1e-4, absolute: 1e-5, reason: "whitening by Σ̂ at the optimiser's tolerance")

  @Test("there are residual fixtures") func fixturesExist() {
    #expect(Self.cases.count == 3)
  }

  @Test("fitted, raw and normalized residuals match nlme row by row", arguments: cases)
  func matchesNlme(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let call = try fixture.member("call")
    let path = RepositoryPaths.root.appendingPathComponent(
      try fixture.member("dataset").text("path")
    ).path
    let table = try Table.readCSV(path: path)
    let frame = try ModelFrame(
      formula: try Formula(try call.text("formula")), table: table,
      options: ModelFrameOptions(
        factors: Set(try call.texts("factors")), requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    let fit = try model.fit(method: try fixtureMethod(call))
    let residuals = try #require(model.residuals(of: fit))
    #expect(residuals.fitted.count == fit.observationCount)

    // The data have no missing values, so frame row k is table row k; match on subject, visit.
    let subject = try table.column(named: "subject")
    let visit = try table.column(named: "visit")
    var rowOf: [String: Int] = [:]
    for k in 0..<table.rowCount {
      rowOf["\(subject.levels[Int(subject.codes[k])])/\(Int(visit.numbers[k]))"] = k
    }
    let rows = try fixture.member("expected").elements("rows")
    #expect(rows.count == table.rowCount)
    var observed: (fitted: [Double], raw: [Double], normalized: [Double]) = ([], [], [])
    var expected: (fitted: [Double], raw: [Double], normalized: [Double], nlme: [Double]) = (
      [], [], [], []
    )
    for row in rows {
      let key = "\(try row.text("subject"))/\(Int(try row.number("visit")))"
      let k = try #require(rowOf[key], "row \(key) not in the data")
      observed.fitted.append(residuals.fitted[k])
      observed.raw.append(residuals.raw[k])
      observed.normalized.append(residuals.normalized[k])
      expected.fitted.append(try row.number("fitted"))
      expected.raw.append(try row.number("raw"))
      expected.normalized.append(try row.number("cholesky"))
      expected.nlme.append(try row.number("normalized"))
    }
    expectClose(observed.fitted, expected.fitted, Self.marginal, "\(name) fitted")
    expectClose(observed.raw, expected.raw, Self.marginal, "\(name) raw")
    expectClose(observed.normalized, expected.normalized, Self.normalized, "\(name) normalized")
    if !name.hasSuffix("/cs_reml") {
      expectClose(observed.normalized, expected.nlme, Self.normalized, "\(name) nlme normalized")
    }
  }

  @Test("normalized residuals are raw residuals whitened subject by subject")
  func whitening() throws {
    // Exact identity on the fit itself: L_i z_i = r_i, i.e. the raw residuals are recovered.
    let fixture = try Fixture.load("mmrm/residuals/ar1h_reml")
    let path = RepositoryPaths.root.appendingPathComponent(
      try fixture.member("dataset").text("path")
    ).path
    let frame = try ModelFrame(
      formula: try Formula("pain ~ visit * arm + baseline_pain + ar1h(visit | subject)"),
      table: try Table.readCSV(path: path),
      options: ModelFrameOptions(factors: ["visit"], requiresRandomEffects: false))
    let model = try MMRMModel(frame: frame)
    let fit = try model.fit(method: .reml)
    let residuals = try #require(model.residuals(of: fit))
    #expect(residuals.raw.count == model.observationCount && residuals.raw.count > 0)
    for k in 0..<residuals.raw.count {
      expectClose(
        residuals.fitted[k] + residuals.raw[k], model.response[k],
        Tolerance(relative: 1e-12, absolute: 1e-12, reason: "y = Xβ̂ + r, rounding"))
    }
    // First visit of a subject: z = r / σ_1 (L's first row); σ_1 from the fit's Σ.
    let sigma = try #require(fit.sigmaMatrices.first)
    // A row at visit 1 (the reference level: every visit column is 0 there), which is the
    // subject's first visit.
    let first = try #require(
      (0..<model.observationCount).first { k in
        fit.fixedEffectNames.indices.allSatisfy { c in
          !fit.fixedEffectNames[c].hasPrefix("visit") || model.X[k, c] == 0
        }
      })
    expectClose(
      residuals.normalized[first], residuals.raw[first] / sigma[0, 0].squareRoot(),
      Tolerance(relative: 1e-10, absolute: 1e-12, reason: "one division"))
  }
}
