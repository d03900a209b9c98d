import Analysis
import Distributions
import Inference
import MixedModels
import TestSupport
import Testing

/// `LikelihoodRatioTest`: the statistic, its χ² p-value, the boundary flag, and every rule that
/// makes two fits incomparable (the numbers against R's `anova()` are `CompareCommandTests`).
@Suite("likelihood-ratio test")
struct LikelihoodRatioTestTests {
  static let data = Dataset.path("sleepstudy")

  /// sleepstudy fitted with `formula` by `method`.
  static func fit(_ formula: String, _ method: EstimationMethod = .reml) throws
    -> any FittedModel
  {
    try FitPipeline.run(
      try FitRequest(dataPath: data, formula: formula, method: method, factors: ["Subject"])
    ).fit
  }

  @Test(
    "LR = 2(ℓ₁ − ℓ₀), df the parameter difference, p from χ²; a variance added is on the boundary")
  func statistic() throws {
    let small = try Self.fit("Reaction ~ Days + (1 | Subject)")
    let large = try Self.fit("Reaction ~ Days + (Days | Subject)")
    let test = try LikelihoodRatioTest(smaller: ("m1", small), larger: ("m2", large))
    #expect(test.statistic == 2 * (large.logLikelihood - small.logLikelihood))
    #expect(test.df == large.parameterCount - small.parameterCount)
    #expect(test.df == 2)
    #expect(test.p == ChiSquared(df: 2).ccdf(test.statistic))
    #expect(test.boundary)
    #expect(test.method == .reml)
  }

  @Test("fixed effects nested under ML: no boundary")
  func fixedEffects() throws {
    let small = try Self.fit("Reaction ~ 1 + (Days | Subject)", .ml)
    let large = try Self.fit("Reaction ~ Days + (Days | Subject)", .ml)
    let test = try LikelihoodRatioTest(smaller: ("m1", small), larger: ("m2", large))
    #expect(test.df == 1 && !test.boundary && test.statistic > 0)
  }

  @Test("incomparable pairs are refused with the reason")
  func refusals() throws {
    let reml = try Self.fit("Reaction ~ Days + (Days | Subject)")
    let ml = try Self.fit("Reaction ~ Days + (Days | Subject)", .ml)
    let remlOther = try Self.fit("Reaction ~ 1 + (Days | Subject)")
    let mlSmall = try Self.fit("Reaction ~ Days + (1 | Subject)", .ml)
    for (a, b, fragment) in [
      (reml, ml, "different methods"),
      (remlOther, reml, "REML likelihoods with different fixed effects"),
      (ml, mlSmall, "must have more parameters"),
    ] {
      #expect {
        _ = try LikelihoodRatioTest(smaller: ("a", a), larger: ("b", b))
      } throws: { error in
        "\((error as? LikelihoodRatioTest.NotComparable)?.reason ?? "")".contains(fragment)
      }
    }
  }
}

/// `Intervals`: the Wald and the mean's t interval.
@Suite("intervals")
struct IntervalsTests {
  @Test("Wald: estimate ± z(0.975) SE, the normal quantile")
  func wald() {
    let interval = Intervals.wald(estimate: 2, standardError: 0.5)
    let z = Normal.standard.quantile(0.975)
    #expect(interval.lower == 2 - z * 0.5 && interval.upper == 2 + z * 0.5)
  }

  @Test("the mean's t interval: x̄ ± t(n−1) s/√n; one value gives a point")
  func mean() {
    let values = [1.0, 2, 4, 7]
    let interval = Intervals.mean(values)
    let mean = 3.5
    let s = ((6.25 + 2.25 + 0.25 + 12.25) / 3).squareRoot()
    let half = StudentT(df: 3).quantile(0.975) * s / 2
    #expect(interval.mean == mean)
    expectClose(interval.lower, mean - half, .reorderedArithmetic, "lower")
    expectClose(interval.upper, mean + half, .reorderedArithmetic, "upper")
    let one = Intervals.mean([5])
    #expect(one.mean == 5 && one.lower == 5 && one.upper == 5)
  }
}
