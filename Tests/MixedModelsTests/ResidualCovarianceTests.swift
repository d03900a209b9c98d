import Foundation
import LinearAlgebra
import TestSupport
import Testing

@testable import Formulas
@testable import MixedModels

/// Σ(φ) for every structure: positive definite everywhere, and the nestings between structures.
@Suite("Residual covariance structures")
struct ResidualCovarianceTests {
  static let visits = ["1", "2", "3", "4", "5"]

  static func structure(_ s: CovarianceStructure, groups: [String] = []) -> ResidualCovariance {
    ResidualCovariance(
      structure: s, visitLabels: visits, coordinates: [0, 1, 2, 3, 4], groupLabels: groups)
  }

  static func entries(_ m: Matrix) -> [Double] {
    (0..<m.rows).flatMap { i in (0..<m.columns).map { m[i, $0] } }
  }

  static let exact = Tolerance(relative: 1e-12, absolute: 1e-14, reason: "same algebra")

  @Test("Σ is symmetric positive definite for random unconstrained parameters")
  func positiveDefinite() throws {
    var rng = TestGenerator(seed: 11)
    for s in CovarianceStructure.allCases {
      let cov = Self.structure(s, groups: ["a", "b"])
      #expect(cov.parameterNames.count == cov.parameterCount)
      #expect(cov.naturalParameterNames.count == cov.parameterCount)
      for _ in 0..<50 {
        let phi = (0..<cov.parameterCount).map { _ in 3 * rng.normal() }
        for g in 0..<2 {
          var sigma = cov.matrix(phi: phi, group: g)
          #expect(Self.entries(sigma) == Self.entries(sigma.transposed), "\(s)")
          #expect(throws: Never.self, "\(s) not positive definite at \(phi)") {
            try sigma.choleskyLowerInPlace()
          }
        }
      }
    }
  }

  @Test(
    "toep with partial autocorrelations (ρ, 0, …) and ad with equal ρ are ar1; sp_exp on unit steps too"
  )
  func nestings() {
    let rho = 0.63
    let logSD = 0.2
    let ar1 = Self.structure(.ar1).matrix(phi: [logSD, ResidualCovariance.inverseOdd(rho)])
    let toep = Self.structure(.toep).matrix(
      phi: [logSD, ResidualCovariance.inverseOdd(rho), 0, 0, 0])
    let ad = Self.structure(.ad).matrix(
      phi: [logSD] + [Double](repeating: ResidualCovariance.inverseOdd(rho), count: 4))
    let spatial = Self.structure(.spExp).matrix(phi: [logSD, log(rho / (1 - rho))])
    expectClose(Self.entries(toep), Self.entries(ar1), Self.exact, "toep")
    expectClose(Self.entries(ad), Self.entries(ar1), Self.exact, "ad")
    expectClose(Self.entries(spatial), Self.entries(ar1), Self.exact, "sp_exp")
    expectClose(ar1[0, 4], exp(2 * logSD) * pow(rho, 4), Self.exact, "ρ⁴")
  }

  @Test("heterogeneous structures with equal SDs are their homogeneous versions")
  func heterogeneousNesting() {
    let pairs: [(CovarianceStructure, CovarianceStructure)] = [
      (.ar1h, .ar1), (.csh, .cs), (.toeph, .toep), (.adh, .ad),
    ]
    for (h, plain) in pairs {
      let homogeneous = Self.structure(plain)
      let correlations = (1..<homogeneous.parameterCount).map { 0.3 * Double($0) - 0.5 }
      let a = homogeneous.matrix(phi: [0.4] + correlations)
      let b = Self.structure(h).matrix(phi: [Double](repeating: 0.4, count: 5) + correlations)
      expectClose(Self.entries(b), Self.entries(a), Self.exact, "\(h)")
    }
  }

  @Test("Durbin–Levinson gives the autocorrelations of the partial autocorrelations")
  func durbinLevinson() {
    let (a, b) = (0.5, -0.3)
    let rho = ResidualCovariance.autocorrelations(partial: [a, b, 0])
    expectClose(rho[0], a, Self.exact)
    expectClose(rho[1], a * a + b * (1 - a * a), Self.exact)
    // With π₃ = 0, ρ₃ follows the AR(2) recursion ρ₃ = φ₁ρ₂ + φ₂ρ₁.
    let phi2 = b
    let phi1 = a - b * a
    expectClose(rho[2], phi1 * rho[1] + phi2 * rho[0], Self.exact)
  }

  @Test("us is the log-Cholesky map and reports SDs and correlations of Σ")
  func unstructured() {
    let cov = ResidualCovariance(
      structure: .us, visitLabels: ["a", "b"], coordinates: [0, 1])
    let sigma = cov.matrix(phi: [log(2), log(3), 1.5])
    // L = [[2, 0], [1.5, 3]] → Σ = [[4, 3], [3, 11.25]].
    expectClose(Self.entries(sigma), [4, 3, 3, 11.25], Self.exact)
    #expect(cov.naturalParameterNames == ["sd[a]", "sd[b]", "rho[a,b]"])
    expectClose(
      cov.naturalParameters(phi: [log(2), log(3), 1.5]),
      [2, 11.25.squareRoot(), 3 / (2 * 11.25.squareRoot())],
      Self.exact)
  }

  @Test("cs correlation stays above −1/(T−1)")
  func compoundSymmetryBound() {
    let low = ResidualCovariance.compoundSymmetryCorrelation(-15, visits: 5)
    #expect(low > -0.25 && low < -0.2499)
    let cov = Self.structure(.cs)
    let start = cov.startingParameters(sd: 2)
    expectClose(
      cov.naturalParameters(phi: start), [2, 0],
      Tolerance(relative: 1e-12, absolute: 1e-12, reason: "start"))
  }
}
