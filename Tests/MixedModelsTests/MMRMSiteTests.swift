import DataTable
import Foundation
import LinearAlgebra
import TestSupport
import Testing

@testable import Formulas
@testable import MixedModels

/// MMRMs with random effects above the subject (a site, in which the subjects are nested)
/// together with a residual covariance structure: the criterion against a dense n × n
/// computation, the fits against nlme's `lme` (`Tests/Fixtures/mmrm/site`, written by
/// `scripts/reference/mmrm_site.R`), and the groupings that are refused.
@Suite("MMRM with site random effects")
struct MMRMSiteTests {
  /// 4 sites × 6 subjects × up to 4 visits, two arms, some visits missing, a site effect.
  static func simulatedCSV(seed: UInt64 = 11) -> String {
    var rng = TestGenerator(seed: seed)
    var lines = ["subject,site,region,arm,visit,y,x,week"]
    for site in 0..<4 {
      let siteEffect = 0.8 * rng.normal()
      let siteSlope = 0.3 * rng.normal()
      for s in 0..<6 {
        let id = site * 6 + s
        let arm = id % 2 == 0 ? "a" : "b"
        let x = rng.normal()
        let subjectEffect = 0.5 * rng.normal()
        var previous = 0.0
        for v in 1...4 {
          let e = 0.5 * previous + (1 + 0.2 * Double(v)) * rng.normal()
          previous = e
          if (id % 5 == 3 && v == 2) || (id % 7 == 4 && v >= 3) { continue }
          let week = Double(v - 1) * 0.5
          let y =
            2 + 0.5 * Double(v) + (arm == "b" ? 0.3 * Double(v) : 0) + 0.8 * x + siteEffect
            + siteSlope * week + subjectEffect + e
          lines.append("S\(id),site\(site),r\(site % 2),\(arm),\(v),\(y),\(x),\(week)")
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func model(_ formula: String, csv: String = simulatedCSV()) throws -> (
    MMRMModel, ModelFrame
  ) {
    let table = try Table.readCSV(text: csv, source: "sites.csv")
    let frame = try ModelFrame(
      formula: try Formula(formula), table: table,
      options: ModelFrameOptions(factors: ["visit"], requiresRandomEffects: false))
    return (try MMRMModel(frame: frame), frame)
  }

  /// −2ℓ from the dense n × n V = Σ_blocks + Σ_terms Z_t G_t Z_tᵀ, straight from the
  /// definition (every term through its own grouping factor, no nesting assumed).
  static func denseObjective(
    _ model: MMRMModel, frame: ModelFrame, parameters: [Double], method: EstimationMethod
  ) throws -> Double {
    let cov = try #require(frame.covariance)
    let n = model.observationCount
    let p = model.fixedEffectCount
    let theta = Array(parameters.prefix(model.thetaCount))
    let phi = Array(parameters.dropFirst(model.thetaCount))
    var v = Matrix(rows: n, columns: n)
    for a in 0..<n {
      for b in 0..<n where cov.subjectIndex[a] == cov.subjectIndex[b] {
        let g = cov.groupIndex.isEmpty ? 0 : Int(cov.groupIndex[a])
        let sigma = model.covariance.matrix(phi: phi, group: g)
        v.storage[a + b * n] = sigma[Int(cov.timeIndex[a]), Int(cov.timeIndex[b])]
      }
    }
    let lambda = model.randomEffectsFactor(theta: theta)
    let q = model.randomEffectCount
    var offset = 0
    for term in frame.randomTerms {
      let qt = term.columnCount
      // G_t = Λ_t Λ_tᵀ from the term's diagonal block of Λ.
      var g = [Double](repeating: 0, count: qt * qt)
      for i in 0..<qt {
        for j in 0..<qt {
          for c in 0..<qt {
            g[i + j * qt] +=
              lambda[(offset + i) + (offset + c) * q] * lambda[(offset + j) + (offset + c) * q]
          }
        }
      }
      for a in 0..<n {
        for b in 0..<n where term.levelIndex[a] == term.levelIndex[b] {
          var s = 0.0
          for i in 0..<qt {
            for j in 0..<qt {
              s += term.values[a * qt + i] * g[i + j * qt] * term.values[b * qt + j]
            }
          }
          v.storage[a + b * n] += s
        }
      }
      offset += qt
    }
    var l = v
    try l.choleskyLowerInPlace()
    var logDet = 0.0
    for i in 0..<n { logDet += 2 * log(l[i, i]) }
    let vInverse = try l.inverseFromCholesky()
    var xy = model.X.elements
    xy += model.response
    let data = Matrix(rows: n, columns: p + 1, columnMajor: xy)
    let weighted = Matrix.product(vInverse, data)
    var a = Matrix.product(data, transposeA: true, weighted)
    try a.choleskyLowerInPlace()
    var logDetX = 0.0
    for i in 0..<p { logDetX += 2 * log(a[i, i]) }
    let quadratic = a[p, p] * a[p, p]
    let log2pi = log(2 * Double.pi)
    return method == .ml
      ? logDet + quadratic + Double(n) * log2pi
      : logDet + logDetX + quadratic + Double(n - p) * log2pi
  }

  static let evaluation = Tolerance(relative: 1e-10, reason: "same criterion, other algebra")

  @Test(
    "the criterion equals the dense n × n computation",
    arguments: [
      "y ~ arm * x + (1 | site) + ar1(visit | subject)",
      "y ~ arm * x + (1 | site) + us(visit | subject)",
      "y ~ arm * x + (1 | site) + (1 + week | subject) + ar1(visit | subject)",
      "y ~ arm * x + (1 + week | site) + (1 | subject) + csh(visit | subject)",
      "y ~ arm * x + (1 | site) + (0 + week | site) + toeph(visit | arm / subject)",
      "y ~ arm * x + (1 | site / subject) + ar1h(visit | subject)",
    ])
  func matchesDense(_ formula: String) throws {
    var rng = TestGenerator(seed: 7)
    let (model, frame) = try Self.model(formula)
    #expect(model.clusterFactor == "site")
    #expect(model.clusterCount == 4)
    #expect(model.clusterEffectCount > 0)
    for _ in 0..<3 {
      let parameters = (0..<model.parameterCount).map { _ in 0.4 * rng.normal() }
      for method in [EstimationMethod.reml, .ml] {
        let dense = try Self.denseObjective(
          model, frame: frame, parameters: parameters, method: method)
        expectClose(
          model.objective(parameters: parameters, method: method), dense, Self.evaluation,
          "\(formula) \(method)")
      }
    }
  }

  @Test("the cluster blocks' V (for inference) give the same criterion")
  func blocksMatchCriterion() throws {
    var rng = TestGenerator(seed: 9)
    let (model, _) = try Self.model(
      "y ~ arm * x + (1 + week | site) + (1 + week | subject) + ar1h(visit | subject)")
    let blocks = model.covarianceBlocks
    #expect(blocks.count == 4 && blocks.allSatisfy(\.isCluster))
    #expect(blocks.reduce(0) { $0 + $1.dimension } == model.observationCount)
    let parameters = (0..<model.parameterCount).map { _ in 0.4 * rng.normal() }
    let p = model.fixedEffectCount
    var logDet = 0.0
    var a = Matrix(rows: p + 1, columns: p + 1)
    for block in blocks {
      let n = block.dimension
      let rows = block.subjectRows.flatMap { $0 }
      var v = Matrix(
        rows: n, columns: n,
        columnMajor: try #require(model.marginalCovariance(block, parameters: parameters)))
      try v.choleskyLowerInPlace()
      for i in 0..<n { logDet += 2 * log(v[i, i]) }
      var data = Matrix(rows: n, columns: p + 1)
      for (i, row) in rows.enumerated() {
        for c in 0..<p { data.storage[i + c * n] = model.X[row, c] }
        data.storage[i + p * n] = model.response[row]
      }
      data.solveLeftLower(v)
      a.symmetricRankUpdate(data, transpose: true)
    }
    try a.choleskyLowerInPlace()
    var logDetX = 0.0
    for i in 0..<p { logDetX += 2 * log(a[i, i]) }
    let reml =
      logDet + logDetX + a[p, p] * a[p, p]
      + Double(model.observationCount - p) * log(2 * Double.pi)
    expectClose(
      model.objective(parameters: parameters, method: .reml), reml, Self.evaluation, "blocks")
  }

  @Test("(1 | site / subject): the site:subject term is grouped like the subject")
  func nestedShorthand() throws {
    let (model, _) = try Self.model("y ~ arm + (1 | site / subject) + ar1(visit | subject)")
    #expect(model.randomTerms.map(\.groupName) == ["subject:site", "site"])
    #expect(model.randomTerms.map(\.isClusterLevel) == [false, true])
    #expect(model.subjectEffectCount == 1 && model.clusterEffectCount == 1)
  }

  @Test("the fit reports both terms, the clusters and Σ; a zero site SD is the plain model")
  func fitReportsBoth() throws {
    let (model, _) = try Self.model("y ~ arm * x + (1 | site) + ar1(visit | subject)")
    let fit = try model.fit()
    #expect(fit.clusterFactor == "site" && fit.clusterCount == 4)
    #expect(fit.randomEffects.map(\.groupName) == ["site"])
    #expect(fit.sigmaMatrices.count == 1)
    #expect(fit.converged, "\(fit.warnings.map(\.message))")
    // θ = 0 (no site variance) gives the criterion of the model without the site term.
    let (plain, _) = try Self.model("y ~ arm * x + ar1(visit | subject)")
    expectClose(
      model.objective(parameters: [0] + fit.phi, method: .reml),
      plain.objective(parameters: fit.phi, method: .reml), Self.evaluation, "θ = 0")
    let plainFit = try plain.fit()
    #expect(fit.objective <= plainFit.objective + 1e-8)
  }

  @Test("a grouping factor that varies within a subject is refused, naming the term")
  func variesWithinSubject() throws {
    #expect(throws: FitError.randomEffectsGrouping(term: "1 | visit", subject: "subject")) {
      _ = try Self.model("y ~ x + (1 | visit) + ar1(visit | subject)")
    }
    let message = FitError.randomEffectsGrouping(term: "1 | visit", subject: "subject")
      .description
    #expect(message.contains("(1 | visit)") && message.contains("varies within"))
  }

  @Test("two different factors above the subject are refused")
  func twoClusterFactors() throws {
    #expect(
      throws: FitError.randomEffectsClusterFactors(
        term: "1 | region", factor: "region", other: "site")
    ) {
      _ = try Self.model("y ~ x + (1 | site) + (1 | region) + ar1(visit | subject)")
    }
  }
}

/// The site models against nlme's `lme` fixtures.
@Suite("nlme MMRM site fixtures")
struct MMRMSiteFixtureTests {
  static let cases = Fixture.all(in: "mmrm/site")

  /// −2ℓ: ours must be as low as nlme's (it may be lower where nlme stopped early).
  static let criterion = 1e-6
  /// β̂ and SEs: GLS at φ̂; the optima agree to about 1e-6.
  static let fixedEffects = Tolerance(
    relative: 1e-5, reason: "GLS estimates at slightly different φ̂ (optimiser tolerance)")
  /// Variance parameters: the flattest directions of the surface.
  static let variance = Tolerance(
    relative: 1e-4, reason: "covariance parameters at the optimum")

  /// The cases where nlme stops short of the optimum because a variance is at the boundary
  /// (`scripts/reference/mmrm_site.R` marks them `boundary`), each with the case that is its
  /// model with that variance at 0: the subject slope SD of `(1 + week | subject)`.
  static let boundaryCases = ["mmrm/site/slope_ar1_reml": "mmrm/site/ri_ar1_reml"]

  static func fit(_ fixture: JSONValue) throws -> MMRMFit {
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
    return try model.fit(method: try fixtureMethod(call))
  }

  @Test("there are site fixtures to compare with") func fixturesExist() {
    #expect(Self.cases.count >= 5)
  }

  @Test("−2ℓ, β̂, SEs, Σ̂ and the random-effect SDs match nlme's lme", arguments: cases)
  func matchesNlme(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let expected = try fixture.member("expected")
    let fit = try Self.fit(fixture)
    #expect(Double(fit.observationCount) == (try expected.number("nobs")))
    #expect(Double(fit.subjectCount) == (try expected.number("nsubjects")))
    #expect(Double(fit.clusterCount) == (try expected.number("nsites")))
    let reference = try expected.number("criterion")
    #expect(fit.objective <= reference + Self.criterion * abs(reference), "−2ℓ")
    #expect(fit.converged, "\(fit.warnings.map(\.message))")
    print("\(name): −2ℓ − nlme's \(fit.objective - reference)")
    let subject = try expected.member("subject")
    let boundary = try expected.flag("boundary")
    #expect(boundary == (Self.boundaryCases[name] != nil), "\(name): boundary")
    if let nestedName = Self.boundaryCases[name] {
      // nlme stops short of the optimum where a variance is at the boundary (mmrm_site.R):
      // there "not above nlme's −2ℓ" (above) is the statement about this reference. The model
      // nests the one without that variance, so our fit must also be at least as good as
      // nlme's fit of the nested model. (Ours ends ~1e-3 lower, with a subject slope SD of
      // ~8e-4, not 0, so its other parameters are not the nested model's either.)
      let nested = try Fixture.load(nestedName).member("expected")
      let nestedCriterion = try nested.number("criterion")
      #expect(
        fit.objective <= nestedCriterion + Self.criterion * abs(nestedCriterion),
        "−2ℓ above nlme's for the nested \(nestedName)")
      let ours = try #require(fit.randomEffects.first { $0.groupName == "subject" })
      #expect(ours.standardDeviations.count == (try subject.numbers("sd")).count)
      return
    }
    #expect(fit.objective >= reference - Self.criterion * abs(reference), "−2ℓ below nlme's")
    let fixef = try expected.elements("fixef")
    let estimates = try fixef.map { try $0.number("estimate") }
    let standardErrors = try fixef.map { try $0.number("se") }
    #expect(fit.fixedEffectNames == (try fixef.map { try $0.text("term") }))
    expectClose(fit.fixedEffects, estimates, Self.fixedEffects, "β̂")
    expectClose(fit.standardErrors, standardErrors, Self.fixedEffects, "SE")
    let sigma = try #require(fit.sigmaMatrices.first)
    let t = sigma.rows
    let observed = (0..<t).flatMap { i in (0..<t).map { sigma[i, $0] } }
    let expectedSigma = try expected.elements("sigma").map { try $0.requiredNumbers("sigma") }
    #expect(expectedSigma.count == t, "Σ̂ rows")
    expectClose(observed, expectedSigma.flatMap { $0 }, Self.variance, "Σ̂")
    let site = try #require(fit.randomEffects.first { $0.groupName == "site" })
    let siteSD = try expected.number("site_sd")
    expectClose(site.standardDeviations[0], siteSD, Self.variance, "site SD")
    // `subject` is null where the model has no subject random effects.
    let ours = fit.randomEffects.first { $0.groupName == "subject" }
    if subject == .null {
      #expect(ours == nil, "subject random effects where nlme has none")
    } else {
      let ours = try #require(ours)
      expectClose(ours.standardDeviations, try subject.numbers("sd"), Self.variance, "subject SD")
    }
    print(
      "\(name): β̂ rel \(maxRelativeDifference(fit.fixedEffects, estimates))"
        + ", SE rel \(maxRelativeDifference(fit.standardErrors, standardErrors))"
        + ", Σ rel \(maxRelativeDifference(observed, expectedSigma.flatMap { $0 }))"
        + ", site SD \(site.standardDeviations[0]) vs \(siteSD)")
  }
}
