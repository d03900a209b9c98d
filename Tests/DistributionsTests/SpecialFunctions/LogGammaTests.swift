import Testing

@testable import Distributions

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("log-gamma and log-beta")
struct LogGammaTests {
  @Test("logGamma matches R's lgamma, relatively away from the zeros at 1 and 2")
  func matchesR() throws {
    var tracker = ErrorTracker("lgamma")
    for row in try ReferenceFixture.rows("lgamma") {
      let x = try row.value("x")
      tracker.check(
        SpecialFunctions.logGamma(x), try row.value("value"), relative: Tolerance.logGamma,
        absolute: Tolerance.logGammaAbsolute, "x = \(x)")
    }
    tracker.report()
  }

  @Test("logGamma is exact at small integers and half-integers")
  func exactValues() {
    // log Γ(n) = log((n−1)!), log Γ(½) = ½ log π.
    var factorial = 1.0
    for n in 1...20 {
      if n > 1 { factorial *= Double(n - 1) }
      let expected = n <= 2 ? 0 : log(factorial)
      #expect(abs(SpecialFunctions.logGamma(Double(n)) - expected) <= 1e-15 * max(1, expected))
    }
    let halfLogPi = 0.572_364_942_924_700_087_07
    #expect(abs(SpecialFunctions.logGamma(0.5) - halfLogPi) <= 1e-16)
  }

  @Test("logGamma has poles at 0 and the negative integers and propagates NaN")
  func edges() {
    #expect(SpecialFunctions.logGamma(0) == .infinity)
    #expect(SpecialFunctions.logGamma(-3) == .infinity)
    #expect(SpecialFunctions.logGamma(.nan).isNaN)
    #expect(SpecialFunctions.logGamma(.infinity) == .infinity)
  }

  @Test("logBeta agrees with log-gammas and is symmetric, for small and huge shapes")
  func logBeta() {
    let pairs: [(Double, Double)] = [
      (0.5, 0.5), (1, 1), (2.5, 7), (0.1, 30), (12, 15), (3, 1e6), (5e5, 0.5), (1e4, 2e4),
    ]
    for (a, b) in pairs {
      let direct =
        SpecialFunctions.logGamma(a) + SpecialFunctions.logGamma(b)
        - SpecialFunctions.logGamma(a + b)
      let value = SpecialFunctions.logBeta(a, b)
      // Direct sum of log-gammas is only absolutely accurate to ~ε·|log Γ(a+b)|.
      let slack = 4e-16 * (abs(SpecialFunctions.logGamma(a + b)) + 1)
      #expect(abs(value - direct) <= slack, "logBeta(\(a), \(b))")
      #expect(value == SpecialFunctions.logBeta(b, a))
    }
    #expect(SpecialFunctions.logBeta(1, 1) == 0)
  }
}
