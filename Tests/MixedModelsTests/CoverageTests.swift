import Foundation
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

// MARK: - Reference distributions, computed here (MixedModelsTests has no Distributions module).

/// Standard normal quantile by bisection on Φ(z) = ½ erfc(−z/√2).
private func normalQuantile(_ p: Double) -> Double {
  var (lo, hi) = (-40.0, 40.0)
  for _ in 0..<200 {
    let mid = (lo + hi) / 2
    if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { lo = mid } else { hi = mid }
  }
  return (lo + hi) / 2
}

/// P(|T| < c) for T ~ t(ν), by composite Simpson integration of the density on [0, c].
private func studentTCentralProbability(_ c: Double, degreesOfFreedom nu: Double) -> Double {
  let logNormaliser = lgamma((nu + 1) / 2) - lgamma(nu / 2) - 0.5 * log(nu * Double.pi)
  func density(_ t: Double) -> Double {
    exp(logNormaliser - (nu + 1) / 2 * log1p(t * t / nu))
  }
  let intervals = 2000
  let h = c / Double(intervals)
  var sum = density(0) + density(c)
  for i in 1..<intervals { sum += density(Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
  return 2 * sum * h / 3
}

/// The central (1 − α) band of a binomial(trials, p) count: the smallest k with
/// P(X ≤ k) > α/2 and the smallest k with P(X ≤ k) ≥ 1 − α/2.
private func binomialBand(trials: Int, p: Double, alpha: Double) -> ClosedRange<Int> {
  let n = Double(trials)
  var cumulative = 0.0
  var lower: Int?
  for k in 0...trials {
    let kk = Double(k)
    let logChoose: Double = lgamma(n + 1) - lgamma(kk + 1) - lgamma(n - kk + 1)
    let logPower: Double = kk * log(p) + (n - kk) * log1p(-p)
    cumulative += exp(logChoose + logPower)
    if lower == nil && cumulative > alpha / 2 { lower = k }
    if cumulative >= 1 - alpha / 2 { return (lower ?? k)...k }
  }
  return (lower ?? trials)...trials
}

/// E[σ̂] when σ̂² ν / σ² ~ χ²(ν): σ √(2/ν) Γ((ν+1)/2) / Γ(ν/2).
private func expectedChiScale(sigma: Double, degreesOfFreedom nu: Double) -> Double {
  sigma * (2 / nu).squareRoot() * exp(lgamma((nu + 1) / 2) - lgamma(nu / 2))
}

private func meanAndStandardError(_ values: [Double]) -> (mean: Double, standardError: Double) {
  let n = Double(values.count)
  let mean = values.reduce(0, +) / n
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
  return (mean, (variance / n).squareRoot())
}

// MARK: - The simulation

/// Random intercept and slope, balanced: every subject is observed at x = 0, 1, …, k − 1.
private struct Truth {
  let subjects = 30
  let perSubject = 6
  let beta = [2.0, 0.5]
  let interceptSD = 1.0
  let slopeSD = 0.4
  let correlation = 0.3
  let sigma = 1.0

  func simulate(seed: UInt64) -> LinearMixedModel {
    var generator = TestGenerator(seed: seed)
    var y = [Double]()
    var x = [Double]()
    var index = [Int32]()
    var values = [Double]()
    for s in 0..<subjects {
      let z1 = generator.normal()
      let z2 = generator.normal()
      let b0 = interceptSD * z1
      let b1 = slopeSD * (correlation * z1 + (1 - correlation * correlation).squareRoot() * z2)
      for j in 0..<perSubject {
        let t = Double(j)
        y.append(beta[0] + beta[1] * t + b0 + b1 * t + sigma * generator.normal())
        x.append(t)
        index.append(Int32(s))
        values.append(contentsOf: [1, t])
      }
    }
    return LinearMixedModel(
      response: y, X: Matrix(columns: [Array(repeating: 1, count: y.count), x]),
      fixedEffectNames: ["(Intercept)", "x"],
      terms: [
        RandomEffectsTerm(
          groupName: "subject", factorName: "subject", columnNames: ["(Intercept)", "x"],
          levels: (0..<subjects).map { "s\($0)" }, levelIndex: index, values: values)
      ])
  }
}

/// Replications at `TRAJ_TEST_LEVEL` (1, the default, is what CI runs).
private var replications: Int {
  let level = Int(ProcessInfo.processInfo.environment["TRAJ_TEST_LEVEL"] ?? "") ?? 1
  return level <= 1 ? 200 : (level == 2 ? 1000 : 5000)
}

@Suite("Parameter recovery by coverage")
struct CoverageTests {
  /// The Wald interval's coverage is known exactly for this design, so it is checked against it.
  ///
  /// With every subject observed at the same x, the REML solution (when interior) is the
  /// classical one: β̂ is the mean of the per-subject least-squares lines, its Wald statistic
  /// is exactly t with m − 1 degrees of freedom, and σ̂² is the pooled within-subject residual
  /// mean square, χ² with n − 2m degrees of freedom. So the z-interval β̂₁ ± z₀.₉₇₅·SE covers
  /// with probability P(|t(m−1)| < z₀.₉₇₅) ≈ 0.940 for m = 30, slightly under the nominal 0.95.
  /// The accepted band is the union of the 99.9% binomial bands around that exact coverage and
  /// around 0.95, so the test fails only for a real loss (or excess) of coverage.
  @Test("the 95% Wald interval for the slope covers at its known rate; β̂ and σ̂ are unbiased")
  func slopeCoverage() throws {
    let truth = Truth()
    let count = replications
    let z = normalQuantile(0.975)
    var covered = 0
    var slopes = [Double]()
    var sigmas = [Double]()
    var failures = 0
    for r in 0..<count {
      let model = truth.simulate(seed: 0xC0DE_0000 + UInt64(r))
      guard let fit = try? model.fit(method: .reml) else {
        failures += 1
        continue
      }
      let estimate = fit.fixedEffects[1]
      let se = fit.standardErrors[1]
      // A NaN SE would count as "not covered" and a NaN estimate would only show in the mean.
      if !estimate.isFinite || !se.isFinite { failures += 1 }
      if abs(estimate - truth.beta[1]) <= z * se { covered += 1 }
      slopes.append(estimate)
      sigmas.append(fit.sigma)
    }
    #expect(failures == 0, "\(failures) fits failed or gave a non-finite slope or SE")
    let m = Double(truth.subjects)
    let exactCoverage = studentTCentralProbability(z, degreesOfFreedom: m - 1)
    let lowerBand = binomialBand(trials: count, p: exactCoverage, alpha: 0.001)
    let upperBand = binomialBand(trials: count, p: 0.95, alpha: 0.001)
    let lowest = min(lowerBand.lowerBound, upperBand.lowerBound)
    let highest = max(lowerBand.upperBound, upperBand.upperBound)
    let band = lowest...highest
    #expect(
      band.contains(covered),
      "covered \(covered) of \(count); band \(band) (exact coverage \(exactCoverage))")

    let slope = meanAndStandardError(slopes)
    #expect(
      abs(slope.mean - truth.beta[1]) <= 4 * slope.standardError,
      "mean β̂₁ \(slope.mean) ± \(slope.standardError), truth \(truth.beta[1])")
    let n = Double(truth.subjects * truth.perSubject)
    let expectedSigma = expectedChiScale(sigma: truth.sigma, degreesOfFreedom: n - 2 * m)
    let sigma = meanAndStandardError(sigmas)
    #expect(
      abs(sigma.mean - expectedSigma) <= 4 * sigma.standardError,
      "mean σ̂ \(sigma.mean) ± \(sigma.standardError), expected \(expectedSigma)")
  }

  @Test("the reference computations reproduce exact identities")
  func referenceComputations() {
    // Φ(z) at the computed quantile; P(|t| < 0) = 0.
    expectNear(0.5 * erfc(-normalQuantile(0.975) / 2.0.squareRoot()), 0.975, 1e-14)
    expectNear(studentTCentralProbability(0, degreesOfFreedom: 5), 0, 0)
    // t(1) is Cauchy: P(|T| < 1) = ½ exactly.
    expectNear(studentTCentralProbability(1, degreesOfFreedom: 1), 0.5, 1e-12)
    // t(2): P(|T| < c) = c / √(2 + c²).
    expectNear(
      studentTCentralProbability(1.5, degreesOfFreedom: 2), 1.5 / (2 + 2.25).squareRoot(), 1e-12)
    // Any central band of a binomial(n, ½) is symmetric about n/2.
    let band = binomialBand(trials: 10, p: 0.5, alpha: 0.1)
    #expect(band.lowerBound + band.upperBound == 10)
    // E[σ̂] for ν = 1: σ √(2/π).
    expectNear(
      expectedChiScale(sigma: 2, degreesOfFreedom: 1), 2 * (2 / Double.pi).squareRoot(), 1e-14)
  }
}

private func expectNear(
  _ observed: Double, _ expected: Double, _ tolerance: Double,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(
    abs(observed - expected) <= tolerance, "\(observed) vs \(expected)",
    sourceLocation: sourceLocation)
}
