import TestSupport
import Testing

@testable import Distributions

/// The integer streams are checked against an independent implementation in R
/// (`scripts/reference/distributions.R`, 64-bit arithmetic on 16-bit limbs), itself checked
/// against the published SplitMix64 test vector for seed 1234567 (Rosetta Code "Pseudo-random
/// numbers/Splitmix64": 6457827717110365317, 3203168211198807973, …) and, when the fixture was
/// made, against a third implementation in Python's arbitrary-precision integers.
@Suite("SplitMix64 and xoshiro256**")
struct Xoshiro256StarStarTests {
  private func words(_ value: Any?) throws -> [UInt64] {
    guard let strings = value as? [String] else { throw FixtureError.malformed("rng words") }
    return try strings.map {
      guard let word = UInt64($0, radix: 16) else { throw FixtureError.malformed("hex \($0)") }
      return word
    }
  }

  @Test("SplitMix64 and xoshiro256** reproduce the reference streams bit for bit")
  func streamsMatchReference() throws {
    let cases = try ReferenceFixture.randomNumberCases()
    #expect(cases.count >= 3)
    for entry in cases {
      guard let seedText = entry["seed"] as? String, let seed = UInt64(seedText, radix: 16) else {
        throw FixtureError.malformed("rng seed")
      }
      var mixer = SplitMix64(seed: seed)
      #expect(
        (0..<8).map { _ in mixer.next() } == (try words(entry["splitmix64"])), "seed \(seedText)")

      var generator = Xoshiro256StarStar(seed: seed)
      var copy = generator
      #expect((0..<8).map { _ in generator.next() } == (try words(entry["xoshiro256starstar"])))

      guard let uniforms = (entry["uniform"] as? [Any])?.compactMap(ReferenceFixture.number),
        uniforms.count == 8
      else { throw FixtureError.malformed("rng uniform") }
      // Exact: (next >> 11)·2⁻⁵³ is representable, and the fixture prints 17 digits.
      #expect((0..<8).map { _ in copy.uniform() } == uniforms)

      generator.jump()
      #expect((0..<4).map { _ in generator.next() } == (try words(entry["afterJump"])))
    }
  }

  @Test("the same seed gives the same variates; different seeds differ")
  func determinism() {
    var first = Xoshiro256StarStar(seed: 2024)
    var second = Xoshiro256StarStar(seed: 2024)
    var other = Xoshiro256StarStar(seed: 2025)
    for _ in 0..<50 {
      #expect(first.normal() == second.normal())
      #expect(first.gamma(shape: 0.7) == second.gamma(shape: 0.7))
      #expect(first.poisson(mean: 3.5) == second.poisson(mean: 3.5))
      #expect(first.poisson(mean: 250) == second.poisson(mean: 250))
      #expect(first.bernoulli(0.3) == second.bernoulli(0.3))
    }
    #expect(first.next() == second.next())
    #expect(Xoshiro256StarStar(seed: 2024).state != other.state)
    _ = other.next()
    let restored = Xoshiro256StarStar(state: first.state)
    #expect(restored.state == first.state)
  }

  @Test("variates have the right mean and variance (fixed seed, 200 000 draws)")
  func moments() {
    var generator = Xoshiro256StarStar(seed: 7)
    let n = 200_000
    func check(
      _ name: String, mean: Double, variance: Double, _ draw: (inout Xoshiro256StarStar) -> Double
    ) {
      var sum = 0.0
      var sumSquares = 0.0
      for _ in 0..<n {
        let x = draw(&generator)
        sum += x
        sumSquares += x * x
      }
      let sampleMean = sum / Double(n)
      let sampleVariance = sumSquares / Double(n) - sampleMean * sampleMean
      // Five standard errors of the mean; the variance within 3% (its relative standard error
      // is about √(κ/n) ≤ 0.01 for these distributions).
      let standardError = (variance / Double(n)).squareRoot()
      #expect(abs(sampleMean - mean) <= 5 * standardError, "\(name) mean \(sampleMean)")
      #expect(abs(sampleVariance / variance - 1) <= 0.03, "\(name) variance \(sampleVariance)")
    }
    check("uniform", mean: 0.5, variance: 1.0 / 12) { $0.uniform() }
    check("normal", mean: 1, variance: 4) { $0.normal(mean: 1, sd: 2) }
    check("exponential", mean: 1, variance: 1) { $0.exponential() }
    check("gamma(0.4)", mean: 0.4 * 3, variance: 0.4 * 9) { $0.gamma(shape: 0.4, scale: 3) }
    check("gamma(7.5)", mean: 7.5, variance: 7.5) { $0.gamma(shape: 7.5) }
    check("chi-squared(3)", mean: 3, variance: 6) { $0.chiSquared(df: 3) }
    check("poisson(2.5)", mean: 2.5, variance: 2.5) { Double($0.poisson(mean: 2.5)) }
    check("poisson(40)", mean: 40, variance: 40) { Double($0.poisson(mean: 40)) }
    check("bernoulli(0.2)", mean: 0.2, variance: 0.16) { $0.bernoulli(0.2) ? 1 : 0 }
  }

  @Test("normal deviates pass a Kolmogorov–Smirnov check against Φ")
  func normalShape() {
    var generator = Xoshiro256StarStar(seed: 1)
    let n = 20_000
    let draws = (0..<n).map { _ in generator.normal() }.sorted()
    var statistic = 0.0
    for (i, x) in draws.enumerated() {
      let f = Normal.standard.cdf(x)
      statistic = largest(
        statistic, largest(abs(f - Double(i) / Double(n)), abs(Double(i + 1) / Double(n) - f)))
    }
    // 1.63/√n is the 1% critical value of the KS statistic.
    #expect(statistic < 1.63 / Double(n).squareRoot())
  }
}
