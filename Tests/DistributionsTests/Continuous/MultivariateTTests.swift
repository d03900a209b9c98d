import Foundation
import TestSupport
import Testing

@testable import Distributions

/// Multivariate t and normal probabilities: exact univariate identities, an independent
/// one-factor integral, the chi-scale table, and bit-for-bit determinism.
@Suite("Multivariate t")
struct MultivariateTTests {
  @Test("dimension one is the univariate t and normal, exactly in the quantile")
  func dimensionOne() {
    for df in [1.0, 3.5, 12, 250, .infinity] {
      let distribution = MultivariateT(correlation: [[1]], df: df)
      let univariate = StudentT(df: df)
      for (a, b) in [(-1.0, 2.0), (-Double.infinity, 0.3), (1.5, Double.infinity), (-4, -3)] {
        let p = distribution.probability(lower: [a], upper: [b])
        let expected = univariate.cdf(b) - univariate.cdf(a)
        #expect(
          abs(p.value - expected) <= 1e-15, "df \(df) [\(a), \(b)]: \(p.value) vs \(expected)")
        #expect(p.error == 0 && p.evaluations == 0)
      }
      let q = distribution.twoSidedEquicoordinateQuantile(level: 0.95)
      #expect(q.value == univariate.quantile(upperTail: (1 - 0.95) / 2))
    }
    // Perfectly correlated copies (rank 1) are one variable: the tighter limits bind.
    let copies = MultivariateT(correlation: [[1, 1], [1, 1]], df: 8)
    let p = copies.probability(lower: [-1, -2], upper: [2, 1.5])
    let t = StudentT(df: 8)
    #expect(abs(p.value - (t.cdf(1.5) - t.cdf(-1))) <= 1e-15)
  }

  @Test(
    "one-factor (Dunnett) correlation agrees with an independent one- and two-dimensional integral")
  func oneFactorStructure() {
    let lambda = [0.7, 0.5, 0.6, 0.4, 0.3]
    let m = lambda.count
    let correlation = (0..<m).map { i in (0..<m).map { j in i == j ? 1 : lambda[i] * lambda[j] } }
    let c = 2.4
    // Given X = x and scale s: Z_i = λ_i x + √(1 − λ_i²) e_i, so
    // P = ∫ φ(x) Π_i [Φ((c s − λ_i x)/√(1−λ_i²)) − Φ((−c s − λ_i x)/√(1−λ_i²))] dx.
    func conditional(_ s: Double) -> Double {
      let n = 4000
      let h = 20.0 / Double(n)
      var total = 0.0
      for k in 0...n {
        let x = -10 + Double(k) * h
        let weight = (k == 0 || k == n) ? 1.0 : (k % 2 == 1 ? 4.0 : 2.0)
        var product = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
        for l in lambda {
          let r = (1 - l * l).squareRoot()
          product *=
            Normal.standard.cdf((c * s - l * x) / r) - Normal.standard.cdf((-c * s - l * x) / r)
        }
        total += weight * product
      }
      return total * h / 3
    }
    let normal = MultivariateT(correlation: correlation, df: .infinity)
      .probability(
        lower: [Double](repeating: -c, count: m), upper: [Double](repeating: c, count: m))
    #expect(
      abs(normal.value - conditional(1)) <= 2e-5, "normal \(normal.value) vs \(conditional(1))")
    // t with ν = 6: average the conditional probability over s = √(χ²_ν/ν) by the midpoint rule
    // in u = F_χ²(ν s²), which is smooth enough here for 1e-6.
    let df = 6.0
    let chi = ChiSquared(df: df)
    let points = 400
    let tValue =
      (0..<points).reduce(0.0) { sum, k in
        let u = (Double(k) + 0.5) / Double(points)
        return sum + conditional((chi.quantile(u) / df).squareRoot())
      } / Double(points)
    let t = MultivariateT(correlation: correlation, df: df)
      .probability(
        lower: [Double](repeating: -c, count: m), upper: [Double](repeating: c, count: m))
    #expect(abs(t.value - tValue) <= 5e-5, "t \(t.value) ± \(t.error) vs \(tValue)")
  }

  @Test("results are the same bits on every run and from concurrent tasks")
  func deterministic() async {
    let correlation = [
      [1, 0.5, 0.5, -0.5], [0.5, 1, 0.5, 0], [0.5, 0.5, 1, 0.5], [-0.5, 0, 0.5, 1],
    ]
    let distribution = MultivariateT(correlation: correlation, df: 13)
    let lower = [-2.1, -2.1, -2.1, -2.1]
    let upper = [2.1, 2.1, 2.1, 2.1]
    // A looser target keeps the test short; the rule and its bits are the same at any target.
    let accuracy = MultivariateT.Accuracy(absoluteError: 1e-4)
    let first = distribution.probability(lower: lower, upper: upper, accuracy: accuracy)
    let second = distribution.probability(lower: lower, upper: upper, accuracy: accuracy)
    #expect(first.value.bitPattern == second.value.bitPattern)
    #expect(first.error.bitPattern == second.error.bitPattern)
    let concurrent = await withTaskGroup(of: UInt64.self) { group in
      for _ in 0..<4 {
        group.addTask {
          distribution.probability(lower: lower, upper: upper, accuracy: accuracy).value.bitPattern
        }
      }
      var bits = [UInt64]()
      for await b in group { bits.append(b) }
      return bits
    }
    #expect(concurrent.allSatisfy { $0 == first.value.bitPattern })
    let q1 = distribution.twoSidedEquicoordinateQuantile(level: 0.95, accuracy: accuracy)
    let q2 = distribution.twoSidedEquicoordinateQuantile(level: 0.95, accuracy: accuracy)
    #expect(q1.value.bitPattern == q2.value.bitPattern)
  }

  @Test("the tabulated t scale matches the inverse incomplete gamma to 1e-10")
  func chiScaleTable() {
    for df in [1.0, 2, 5, 30, 613] {
      let table = ChiScale(df: df)
      var worst = 0.0
      for u in [1e-12, 1e-6, 0.01, 0.2, 0.5, 0.77, 0.99, 1 - 1e-6, 1 - 1e-12] {
        let exact = table.exactScale(u)
        worst = largest(worst, abs(table.scale(u) - exact) / exact)
      }
      #expect(worst <= 1e-10, "df \(df): relative error \(worst)")
    }
  }

  @Test("an empty rectangle has probability 0 and the whole space 1")
  func degenerateRectangles() {
    let d = MultivariateT(correlation: [[1, 0.3], [0.3, 1]], df: 5)
    #expect(d.probability(lower: [1, 0], upper: [0.5, 1]).value == 0)
    let all = d.probability(lower: [-.infinity, -.infinity], upper: [.infinity, .infinity])
    #expect(abs(all.value - 1) <= 1e-12)
  }
}
