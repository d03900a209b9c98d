import Inference
import TestSupport
import Testing

/// Measures how closely the tests agree with lmerTest and pbkrtest (largest relative
/// differences, printed), and holds them to tighter limits than the tolerances.
@Suite("measured agreement with lmerTest")
struct AgreementReportTests {
  @Test("df, F and p agree with lmerTest to 1e-5 relative", arguments: InferenceFixtureTests.cases)
  func agreement(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let expected = fixture["expected"]
    var worst = [String: Double]()
    func note(_ key: String, _ o: Double, _ e: Double) {
      let d = abs(o - e) / max(abs(e), 1e-300)
      worst[key] = max(worst[key] ?? 0, d)
    }
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] where expected[key] != .null {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      for (test, row) in zip(inference.coefficientTests(), expected[key].array) {
        note("\(key) df", test.df, row["df"].double ?? .nan)
        note("\(key) se", test.standardError, row["se"].double ?? .nan)
        note("\(key) p", test.p, row["p"].double ?? .nan)
      }
      for (test, row) in zip(
        try inference.typeIIITests(frame: fitted.frame), expected["anova_" + key].array)
      {
        note("anova \(key) denDF", test.test.denominatorDF, row["denDF"].double ?? .nan)
        note("anova \(key) F", test.test.fValue, row["F"].double ?? .nan)
        note("anova \(key) p", test.test.p, row["p"].double ?? .nan)
      }
    }
    for (key, value) in worst.sorted(by: { $0.key < $1.key }) {
      print("agreement \(name) \(key): max relative difference \(value)")
      #expect(value < 1e-5, "\(name) \(key): \(value)")
    }
  }

  @Test(
    "marginal means and contrasts agree with emmeans to 1e-5 relative",
    arguments: EmmeansFixtureTests.cases)
  func meansAgreement(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let block = fixture["expected"]["emmeans"]
    var worst = [String: Double]()
    func note(_ key: String, _ o: Double, _ e: Double) {
      worst[key] = max(worst[key] ?? 0, abs(o - e) / max(abs(e), 1e-300))
    }
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let means = try MarginalMeans.compute(
        specs: [block["specs"].string ?? ""], by: [block["by"].string ?? ""],
        frame: fitted.frame, inference: inference)
      for (mean, row) in zip(means, block[key]["means"].array) {
        note("\(key) emmean", mean.estimate.estimate, row["estimate"].double ?? .nan)
        note("\(key) emmean se", mean.estimate.standardError, row["se"].double ?? .nan)
        note("\(key) emmean df", mean.estimate.df, row["df"].double ?? .nan)
      }
      let contrasts = try MarginalMeans.contrasts(
        means, method: .pairwise, adjustment: .holm, inference: inference)
      let reference = block[key]["pairwise"]
      for (k, (c, row)) in zip(contrasts, reference["rows"].array).enumerated() {
        note("\(key) pairwise df", c.estimate.df, row["df"].double ?? .nan)
        note("\(key) pairwise p", c.estimate.p, row["p"].double ?? .nan)
        note("\(key) pairwise holm", c.adjustedP, reference["holm"].doubles[k])
      }
    }
    for (key, value) in worst.sorted(by: { $0.key < $1.key }) {
      print("agreement \(name) \(key): max relative difference \(value)")
      #expect(value < 1e-5, "\(name) \(key): \(value)")
    }
  }
}
