import DataTable
import Foundation
import LinearAlgebra
import TestSupport
import Testing

@testable import Formulas
@testable import MixedModels

/// The MMRM engine against a dense per-subject computation and against the identities that
/// nested structures must satisfy.
@Suite("MMRM model")
struct MMRMModelTests {
  /// 40 subjects × up to 4 visits, two arms, intermittent and monotone missingness (so some
  /// visit patterns have many subjects and some one), from a fixed seed.
  static func simulatedCSV(subjects: Int = 40, visits: Int = 4, seed: UInt64 = 5) -> String {
    var rng = TestGenerator(seed: seed)
    var lines = ["subject,arm,visit,y,x,week"]
    for s in 0..<subjects {
      let arm = s % 2 == 0 ? "a" : "b"
      let x = rng.normal()
      var previous = 0.0
      for v in 1...visits {
        // AR(1)-like errors with growing SD.
        let e = 0.6 * previous + (1 + 0.2 * Double(v)) * rng.normal()
        previous = e
        let skip = (s % 7 == 3 && v == 2) || (s % 11 == 5 && v >= 3) || (s == 17 && v == 1)
        if skip { continue }
        let y = 2 + 0.5 * Double(v) + (arm == "b" ? 0.3 * Double(v) : 0) + 0.8 * x + e
        lines.append("S\(s),\(arm),\(v),\(y),\(x),\(Double(v - 1) * 0.5)")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func model(
    _ formula: String, csv: String = simulatedCSV(), factors: Set<String> = ["visit"]
  ) throws -> (MMRMModel, ModelFrame) {
    let table = try Table.readCSV(text: csv, source: "sim.csv")
    let frame = try ModelFrame(
      formula: try Formula(formula), table: table,
      options: ModelFrameOptions(factors: factors, requiresRandomEffects: false))
    return (try MMRMModel(frame: frame), frame)
  }

  /// −2ℓ computed subject by subject with dense matrices.
  static func denseObjective(
    _ model: MMRMModel, frame: ModelFrame, phi: [Double], method: EstimationMethod
  ) throws -> Double {
    let cov = try #require(frame.covariance)
    let n = model.observationCount
    let p = model.fixedEffectCount
    var xtx = Matrix(rows: p, columns: p)
    var xty = [Double](repeating: 0, count: p)
    var yty = 0.0
    var logDet = 0.0
    for s in 0..<cov.subjectLevels.count {
      let rows = (0..<n).filter { cov.subjectIndex[$0] == s }
        .sorted { cov.timeIndex[$0] < cov.timeIndex[$1] }
      if rows.isEmpty { continue }
      let g = cov.groupIndex.isEmpty ? 0 : Int(cov.groupIndex[rows[0]])
      let theta = Array(phi.prefix(model.thetaCount))
      let full = model.covariance.matrix(phi: Array(phi.dropFirst(model.thetaCount)), group: g)
      let m = rows.count
      var sigma = Matrix(rows: m, columns: m)
      for a in 0..<m {
        for b in 0..<m {
          sigma.storage[a + b * m] = full[Int(cov.timeIndex[rows[a]]), Int(cov.timeIndex[rows[b]])]
        }
      }
      // + Z G Zᵀ, G = ΛΛᵀ, Z the random-effects columns of the subject's rows.
      let q = model.randomEffectCount
      if q > 0 {
        let lambda = model.randomEffectsFactor(theta: theta)
        var z = [[Double]](repeating: [], count: m)
        for (a, row) in rows.enumerated() {
          for term in frame.randomTerms {
            let qt = term.columnCount
            z[a] += (0..<qt).map { term.values[row * qt + $0] }
          }
        }
        for a in 0..<m {
          for b in 0..<m {
            var s = 0.0
            for c in 0..<q {
              var u = 0.0
              var v = 0.0
              for d in 0..<q {
                u += z[a][d] * lambda[d + c * q]
                v += z[b][d] * lambda[d + c * q]
              }
              s += u * v
            }
            sigma.storage[a + b * m] += s
          }
        }
      }
      try sigma.choleskyLowerInPlace()
      for a in 0..<m { logDet += 2 * log(sigma[a, a]) }
      let w = try sigma.inverseFromCholesky()
      for a in 0..<m {
        for b in 0..<m {
          let wab = w[a, b]
          let ya = model.response[rows[a]]
          let yb = model.response[rows[b]]
          yty += ya * wab * yb
          for i in 0..<p {
            xty[i] += model.X[rows[a], i] * wab * yb
            for j in 0..<p {
              xtx.storage[i + j * p] += model.X[rows[a], i] * wab * model.X[rows[b], j]
            }
          }
        }
      }
    }
    var l = xtx
    try l.choleskyLowerInPlace()
    var z = Matrix(rows: p, columns: 1, columnMajor: xty)
    z.solveLeftLower(l)
    let quadratic = yty - z.elements.reduce(0) { $0 + $1 * $1 }
    var logDetX = 0.0
    for i in 0..<p { logDetX += 2 * log(l[i, i]) }
    let log2pi = log(2 * Double.pi)
    return method == .ml
      ? logDet + quadratic + Double(n) * log2pi
      : logDet + logDetX + quadratic + Double(n - p) * log2pi
  }

  static let evaluation = Tolerance(relative: 1e-10, reason: "same criterion, other algebra")
  static let nested = Tolerance(
    relative: 1e-7, reason: "two optimisations reaching the same optimum")

  @Test(
    "the criterion equals a dense per-subject computation, every structure, with missing visits")
  func matchesDense() throws {
    var rng = TestGenerator(seed: 3)
    for s in CovarianceStructure.allCases {
      for grouped in [false, true] {
        let term = "\(s.rawValue)(visit | \(grouped ? "arm / " : "")subject)"
        let factors: Set<String> = s == .spExp ? [] : ["visit"]
        let (model, frame) = try Self.model("y ~ arm * x + " + term, factors: factors)
        #expect(model.patternCount >= 4)
        let phi = (0..<model.parameterCount).map { _ in 0.3 * rng.normal() }
        for method in [EstimationMethod.reml, .ml] {
          let dense = try Self.denseObjective(model, frame: frame, phi: phi, method: method)
          expectClose(
            model.objective(parameters: phi, method: method), dense, Self.evaluation,
            "\(term) \(method)")
        }
      }
    }
  }

  @Test("with random effects too: V_i = Z_i G Z_iᵀ + Σ_i, against the dense computation")
  func randomEffectsMatchDense() throws {
    var rng = TestGenerator(seed: 8)
    for formula in [
      "y ~ arm * week + (1 + week | subject) + ar1(visit | subject)",
      "y ~ arm * week + (week || subject) + us(visit | arm / subject)",
      "y ~ arm + x + (1 | subject) + csh(visit | subject)",
    ] {
      let (model, frame) = try Self.model(formula)
      #expect(model.thetaCount > 0)
      let parameters = (0..<model.parameterCount).map { _ in 0.4 * rng.normal() }
      for method in [EstimationMethod.reml, .ml] {
        let dense = try Self.denseObjective(model, frame: frame, phi: parameters, method: method)
        expectClose(
          model.objective(parameters: parameters, method: method), dense, Self.evaluation,
          "\(formula) \(method)")
      }
    }
    let fit = try Self.model("y ~ arm * week + (1 + week | subject) + ar1(visit | subject)").0
      .fit()
    #expect(fit.randomEffects.first?.columnNames == ["(Intercept)", "week"])
    #expect(fit.objective.isFinite)
  }

  @Test("a random-effects term on a factor that varies within a subject is an error")
  func randomEffectsGrouping() throws {
    #expect(throws: FitError.randomEffectsGrouping(term: "1 | visit", subject: "subject")) {
      _ = try Self.model("y ~ x + (1 | visit) + ar1(visit | subject)")
    }
  }

  @Test("toep at ar1's values has ar1's likelihood; nested fits are never worse")
  func nestedFits() throws {
    let (ar1, _) = try Self.model("y ~ visit * arm + x + ar1(visit | subject)")
    let (toep, _) = try Self.model("y ~ visit * arm + x + toep(visit | subject)")
    let phi = [0.1, 0.7]
    expectClose(
      toep.objective(parameters: phi + [0, 0], method: .reml),
      ar1.objective(parameters: phi, method: .reml),
      Self.evaluation, "toep(ρ,0,0) = ar1(ρ)")
    func criterion(_ s: String) throws -> Double {
      try Self.model("y ~ visit * arm + x + \(s)(visit | subject)").0.fit().objective
    }
    let values = try Dictionary(
      uniqueKeysWithValues: CovarianceStructure.allCases.filter { $0 != .spExp }.map {
        ($0, try criterion($0.rawValue))
      })
    let slack = 1e-7 * abs(try #require(values[.us]))
    let nestings: [(CovarianceStructure, CovarianceStructure)] = [
      (.ar1, .ar1h), (.ar1, .toep), (.ar1, .ad), (.cs, .csh), (.cs, .toep), (.toep, .toeph),
      (.ad, .adh), (.ar1h, .adh), (.ar1h, .toeph), (.csh, .us), (.toeph, .us), (.adh, .us),
    ]
    for (smaller, larger) in nestings {
      let (a, b) = (try #require(values[smaller]), try #require(values[larger]))
      #expect(b <= a + slack, "\(larger) (\(b)) worse than nested \(smaller) (\(a))")
    }
    // sp_exp on the integer visit times is ar1 with ρ > 0 (here ρ̂ > 0).
    let spatial = try Self.model("y ~ visit * arm + x + sp_exp(visit | subject)", factors: [])
    // The fixed part must be the same, so ar1 is fitted with a numeric visit as well.
    let ar1Numeric = try Self.model("y ~ visit * arm + x + ar1(visit | subject)", factors: [])
    expectClose(
      try spatial.0.fit().objective, try ar1Numeric.0.fit().objective, Self.nested, "sp_exp = ar1")
  }

  @Test("us by ML in a balanced design without covariates is the sample covariance (divisor N)")
  func unstructuredIsSampleCovariance() throws {
    var rng = TestGenerator(seed: 21)
    let t = 3
    let n = 60
    var lines = ["subject,visit,y"]
    var data = [[Double]](repeating: [], count: n)
    for s in 0..<n {
      let z = (0..<t).map { _ in rng.normal() }
      let y = [z[0], 0.8 * z[0] + 0.6 * z[1] + 1, -0.3 * z[0] + 0.5 * z[1] + 1.2 * z[2] + 2]
      data[s] = y
      for v in 0..<t { lines.append("S\(s),\(v + 1),\(y[v])") }
    }
    let (model, _) = try Self.model(
      "y ~ 0 + visit + us(visit | subject)", csv: lines.joined(separator: "\n") + "\n")
    let fit = try model.fit(method: .ml)
    let means = (0..<t).map { v in data.reduce(0) { $0 + $1[v] } / Double(n) }
    let sigma = try #require(fit.sigmaMatrices.first)
    for i in 0..<t {
      for j in 0..<t {
        let sample = data.reduce(0) { $0 + ($1[i] - means[i]) * ($1[j] - means[j]) } / Double(n)
        expectClose(
          sigma[i, j], sample, Tolerance(relative: 1e-6, absolute: 1e-9, reason: "optimum"),
          "Σ[\(i),\(j)]")
      }
      expectClose(
        fit.fixedEffects[i], means[i], Tolerance(relative: 1e-9, reason: "GLS = OLS here"))
    }
    #expect(fit.converged)
  }

  @Test("a subject in two covariance groups is an error")
  func groupVaries() throws {
    let csv = "subject,arm,visit,y\nA,a,1,1\nA,b,2,2\nB,a,1,3\nB,a,2,5\nC,b,1,2\nC,b,2,1\n"
    #expect(throws: FitError.covarianceGroupVaries(subject: "A")) {
      _ = try Self.model("y ~ 1 + us(visit | arm / subject)", csv: csv)
    }
  }
}
