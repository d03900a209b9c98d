import Formulas
import Inference
import MixedModels
import TestSupport
import Testing

/// Satterthwaite and Kenward–Roger t and F tests against lmerTest and pbkrtest
/// (`Tests/Fixtures/inference`, written by `scripts/reference/inference.R`).
@Suite("lmerTest and pbkrtest fixtures")
struct InferenceFixtureTests {
  static let cases = [
    "sleepstudy", "sleepstudy_ml", "pain_trial", "penicillin_crossed", "ketamine_visit",
  ]

  @Test("summary t tests match lmerTest (Satterthwaite and Kenward-Roger)", arguments: cases)
  func coefficientTests(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let expected = fixture["expected"]
    #expect(fitted.fit.fixedEffectNames == expected["fixef"].strings)
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger"),
    ] where expected[key] != .null {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let tests = inference.coefficientTests()
      for (j, row) in expected[key].array.enumerated() {
        let label = "\(name) \(key) \(row["term"].string ?? "")"
        expectClose(tests[j].estimate, row["estimate"].double ?? .nan, .fixedEffects, label)
        expectClose(tests[j].standardError, row["se"].double ?? .nan, .fixedEffects, label + " se")
        expectClose(tests[j].df, row["df"].double ?? .nan, .degreesOfFreedom, label + " df")
        expectClose(tests[j].t, row["t"].double ?? .nan, .fixedEffects, label + " t")
        expectClose(tests[j].p, row["p"].double ?? .nan, .pValue, label + " p")
      }
    }
  }

  @Test("type III anova matches lmerTest (Satterthwaite and Kenward-Roger)", arguments: cases)
  func typeIII(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let expected = fixture["expected"]
    for (method, key) in [
      (DegreesOfFreedomMethod.satterthwaite, "anova_satterthwaite"),
      (.kenwardRoger, "anova_kenward_roger"),
    ] where expected[key] != .null {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let tests = try inference.typeIIITests(frame: fitted.frame)
      let rows = expected[key].array
      #expect(tests.map(\.term) == rows.map { $0["term"].string ?? "" })
      for (test, row) in zip(tests, rows) {
        let label = "\(name) \(key) \(test.term)"
        #expect(Double(test.test.numeratorDF) == row["numDF"].double, "\(label) numDF")
        expectClose(test.test.denominatorDF, row["denDF"].double ?? .nan, .degreesOfFreedom, label)
        expectClose(test.test.fValue, row["F"].double ?? .nan, .fixedEffects, label + " F")
        expectClose(test.test.p, row["p"].double ?? .nan, .pValue, label + " p")
      }
    }
  }

  @Test(
    "Kenward-Roger adjusted covariance matches pbkrtest's vcovAdj",
    arguments: cases.filter { $0 != "sleepstudy_ml" })
  func adjustedCovariance(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let inference = try MixedModelInference(
      model: fitted.model, fit: fitted.fit, method: .kenwardRoger)
    let expected = fixture["expected"]["vcov_adjusted"].array.map(\.doubles)
    expectClose(
      inference.covariance.flatMap { $0 }, expected.flatMap { $0 }, .fixedEffectsCovariance,
      "\(name) vcovAdj")
    // KRmodcomp on each coefficient: ddf, F (scaled) and p.
    for (j, row) in fixture["expected"]["krmodcomp"].array.enumerated() {
      var l = [Double](repeating: 0, count: fitted.fit.fixedEffects.count)
      l[j] = 1
      let test = inference.test([l])
      let label = "\(name) KRmodcomp \(row["term"].string ?? "")"
      expectClose(test.denominatorDF, row["ddf"].double ?? .nan, .degreesOfFreedom, label)
      expectClose(test.fValue, row["F"].double ?? .nan, .fixedEffects, label + " F")
      expectClose(test.p, row["p"].double ?? .nan, .pValue, label + " p")
    }
  }
}
