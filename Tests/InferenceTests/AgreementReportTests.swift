import Distributions
import Foundation
import Inference
import TestSupport
import Testing

/// Measures how closely the tests agree with lmerTest and pbkrtest (largest relative
/// differences, printed), and holds them to tighter limits than the tolerances.
///
/// A NaN difference (ours or a reference) makes the largest difference NaN (`largest`), which
/// fails, and every quantity of every method the fixture has must have been measured.
///
/// A p-value is compared per unit of its conditioning: a small p moves by many times the relative
/// change of its statistic and df (for t = 8 on 16 df, ∂log p/∂log t ≈ 50), so 1e-5 on t and df
/// allows 1e-5·κ on p, κ = |∂log p/∂log statistic| + |∂log p/∂log df| at our values (at least 1).
/// The differences printed for p are divided by that κ.
@Suite("measured agreement with lmerTest")
struct AgreementReportTests {
  /// Relative difference, NaN when either is NaN.
  static func difference(_ o: Double, _ e: Double) -> Double {
    abs(o - e) / max(abs(e), 1e-300)
  }

  /// `|∂log p/∂log x|` by a central difference of `log p(x·e^{±h})`, h = 1e-4: the truncation
  /// error (h²/6 of the third derivative) is far below the 1e-5 compared against.
  static func logElasticity(_ x: Double, _ p: (Double) -> Double) -> Double {
    let h = 1e-4
    return abs(log(p(x * exp(h))) - log(p(x * exp(-h)))) / (2 * h)
  }

  /// κ of a two-sided t-test's p-value in its t and df.
  static func condition(t: Double, df: Double) -> Double {
    let kt = logElasticity(abs(t)) { StudentT(df: df).twoSidedPValue(t: $0) }
    let kdf = logElasticity(df) { StudentT(df: $0).twoSidedPValue(t: t) }
    return max(1, kt + kdf)
  }

  /// κ of an F test's p-value in its F and denominator df.
  static func condition(f: Double, numeratorDF: Int, denominatorDF: Double) -> Double {
    let d1 = Double(numeratorDF)
    let kf = logElasticity(f) { FisherF(df1: d1, df2: denominatorDF).ccdf($0) }
    let kdf = logElasticity(denominatorDF) { FisherF(df1: d1, df2: $0).ccdf(f) }
    return max(1, kf + kdf)
  }

  /// Prints and checks the largest differences: one entry per quantity in `keys`, each below
  /// 1e-5 (so a NaN fails, and so does a quantity that was never measured).
  static func check(_ worst: [String: Double], keys: [String], name: String) {
    #expect(Set(worst.keys) == Set(keys), "\(name): quantities measured")
    for (key, value) in worst.sorted(by: { $0.key < $1.key }) {
      print("agreement \(name) \(key): max relative difference \(value)")
      #expect(value < 1e-5, "\(name) \(key): \(value)")
    }
  }

  @Test("df, F and p agree with lmerTest to 1e-5 relative", arguments: InferenceFixtureTests.cases)
  func agreement(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let expected = try fixture.member("expected")
    var worst = [String: Double]()
    func note(_ key: String, _ o: Double, _ e: Double, per kappa: Double = 1) {
      worst[key] = largest(worst[key] ?? 0, Self.difference(o, e) / kappa)
    }
    let methods = try InferenceFixtureTests.methods(fixture)
    try #require(!methods.isEmpty)
    for (method, key) in methods {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      for (test, row) in try zipExactly(
        inference.coefficientTests(), expected.elements(key), "\(name) \(key)")
      {
        note("\(key) df", test.df, try row.number("df"))
        note("\(key) se", test.standardError, try row.number("se"))
        let kappa = Self.condition(t: test.t, df: test.df)
        note("\(key) p", test.p, try row.number("p"), per: kappa)
      }
      for (test, row) in try zipExactly(
        inference.typeIIITests(frame: fitted.frame), expected.elements("anova_" + key),
        "\(name) anova \(key)",
        allowingEmpty: InferenceFixtureTests.withoutTypeIII.contains(name))
      {
        note("anova \(key) denDF", test.test.denominatorDF, try row.number("denDF"))
        note("anova \(key) F", test.test.fValue, try row.number("F"))
        let kappa = Self.condition(
          f: test.test.fValue, numeratorDF: test.test.numeratorDF,
          denominatorDF: test.test.denominatorDF)
        note("anova \(key) p", test.test.p, try row.number("p"), per: kappa)
      }
    }
    let anova = InferenceFixtureTests.withoutTypeIII.contains(name) ? [] : ["denDF", "F", "p"]
    let keys = methods.flatMap { _, key in
      ["df", "se", "p"].map { "\(key) \($0)" } + anova.map { "anova \(key) \($0)" }
    }
    Self.check(worst, keys: keys, name: name)
  }

  @Test(
    "marginal means and contrasts agree with emmeans to 1e-5 relative",
    arguments: EmmeansFixtureTests.cases)
  func meansAgreement(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let block = try fixture.member("expected").member("emmeans")
    var worst = [String: Double]()
    func note(_ key: String, _ o: Double, _ e: Double, per kappa: Double = 1) {
      worst[key] = largest(worst[key] ?? 0, Self.difference(o, e) / kappa)
    }
    let methods = [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ]
    for (method, key) in methods {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let means = try MarginalMeans.compute(
        specs: [try block.text("specs")], by: [try block.text("by")], frame: fitted.frame,
        inference: inference)
      let reference = try block.member(key)
      for (mean, row) in try zipExactly(means, reference.elements("means"), "\(name) \(key)") {
        note("\(key) emmean", mean.estimate.estimate, try row.number("estimate"))
        note("\(key) emmean se", mean.estimate.standardError, try row.number("se"))
        note("\(key) emmean df", mean.estimate.df, try row.number("df"))
      }
      let contrasts = try MarginalMeans.contrasts(
        means, method: .pairwise, adjustment: .holm, inference: inference)
      let pairwise = try reference.member("pairwise")
      let rows = try pairwise.elements("rows")
      let holm = try pairwise.numbers("holm")
      let pairs = Array(try zipExactly(contrasts, rows, "\(name) \(key) pairwise"))
      // A Holm-adjusted p is a multiple of some row's p (a running maximum), so it is held to
      // the largest κ of the family.
      let kappas = contrasts.map { Self.condition(t: $0.estimate.t, df: $0.estimate.df) }
      let familyKappa = kappas.max() ?? 1
      for (((c, row), adjusted), kappa) in zip(
        try zipExactly(pairs, holm, "\(name) \(key) holm"), kappas)
      {
        note("\(key) pairwise df", c.estimate.df, try row.number("df"))
        note("\(key) pairwise p", c.estimate.p, try row.number("p"), per: kappa)
        note("\(key) pairwise holm", c.adjustedP, adjusted, per: familyKappa)
      }
    }
    let keys = methods.flatMap { _, key in
      ["emmean", "emmean se", "emmean df", "pairwise df", "pairwise p", "pairwise holm"].map {
        "\(key) \($0)"
      }
    }
    Self.check(worst, keys: keys, name: name)
  }
}
