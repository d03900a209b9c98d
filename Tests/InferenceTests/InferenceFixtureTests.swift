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
    "sleepstudy_weights",
  ]
  /// The cases with Kenward–Roger references: Kenward–Roger and pbkrtest's vcovAdj/KRmodcomp
  /// are defined for REML fits only, so `sleepstudy_ml` has no Kenward–Roger blocks
  /// (`mlHasNoKenwardRoger`), and Trajectory refuses them with prior weights
  /// (`sleepstudy_weights`, `weightsRefuseKenwardRoger`).
  static let remlCases = cases.filter { $0 != "sleepstudy_ml" && $0 != "sleepstudy_weights" }
  /// The intercept-only case, which has no type III rows (lmerTest's tables are empty too).
  static let withoutTypeIII: Set<String> = ["penicillin_crossed"]

  /// The df methods a fixture has references for, with the key of the coefficient block (the
  /// type III block is `anova_<key>`): Satterthwaite and Kenward–Roger for a REML fit,
  /// Satterthwaite only for an ML fit (Kenward–Roger is REML only, in pbkrtest and here).
  static func methods(_ fixture: JSONValue) throws -> [(DegreesOfFreedomMethod, String)] {
    let call = try fixture.member("call")
    let fit = try call.text("method")
    // Prior weights (present only there): Satterthwaite only.
    if call["weights"] != .null { return [(.satterthwaite, "satterthwaite")] }
    switch fit {
    case "REML": return [(.satterthwaite, "satterthwaite"), (.kenwardRoger, "kenward_roger")]
    case "ML": return [(.satterthwaite, "satterthwaite")]
    default:
      Issue.record("unknown fit method \(fit)")
      return []
    }
  }

  @Test("summary t tests match lmerTest (Satterthwaite and Kenward-Roger)", arguments: cases)
  func coefficientTests(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let expected = try fixture.member("expected")
    #expect(fitted.fit.fixedEffectNames == (try expected.texts("fixef")))
    let methods = try Self.methods(fixture)
    try #require(!methods.isEmpty)
    for (method, key) in methods {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let tests = inference.coefficientTests()
      for (test, row) in try zipExactly(tests, expected.elements(key), "\(name) \(key)") {
        let label = "\(name) \(key) \(try row.text("term"))"
        expectClose(test.estimate, try row.number("estimate"), .fixedEffects, label)
        expectClose(test.standardError, try row.number("se"), .fixedEffects, label + " se")
        expectClose(test.df, try row.number("df"), .degreesOfFreedom, label + " df")
        expectClose(test.t, try row.number("t"), .fixedEffects, label + " t")
        expectClose(test.p, try row.number("p"), .pValue, label + " p")
      }
    }
  }

  @Test("type III anova matches lmerTest (Satterthwaite and Kenward-Roger)", arguments: cases)
  func typeIII(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let expected = try fixture.member("expected")
    let methods = try Self.methods(fixture)
    try #require(!methods.isEmpty)
    for (method, key) in methods {
      let inference = try MixedModelInference(model: fitted.model, fit: fitted.fit, method: method)
      let tests = try inference.typeIIITests(frame: fitted.frame)
      let rows = try expected.elements("anova_" + key)
      #expect(tests.map(\.term) == (try rows.map { try $0.text("term") }))
      for (test, row) in try zipExactly(
        tests, rows, "\(name) anova \(key)", allowingEmpty: Self.withoutTypeIII.contains(name))
      {
        let label = "\(name) anova \(key) \(test.term)"
        #expect(Double(test.test.numeratorDF) == (try row.number("numDF")), "\(label) numDF")
        expectClose(test.test.denominatorDF, try row.number("denDF"), .degreesOfFreedom, label)
        expectClose(test.test.fValue, try row.number("F"), .fixedEffects, label + " F")
        expectClose(test.test.p, try row.number("p"), .pValue, label + " p")
      }
    }
  }

  @Test("an ML fixture has no Kenward-Roger blocks, and Kenward-Roger refuses the ML fit")
  func mlHasNoKenwardRoger() throws {
    let (fixture, fitted) = try FittedCase.load("sleepstudy_ml")
    #expect(try fixture.member("call").text("method") == "ML")
    let expected = try fixture.members("expected")
    for key in ["kenward_roger", "anova_kenward_roger", "vcov_adjusted", "krmodcomp"] {
      #expect(expected[key] == nil, "\(key) in an ML fixture")
    }
    #expect(throws: InferenceError.self) {
      try MixedModelInference(model: fitted.model, fit: fitted.fit, method: .kenwardRoger)
    }
  }

  @Test("Kenward-Roger is refused with prior weights; the fixture has Satterthwaite only")
  func weightsRefuseKenwardRoger() throws {
    let (fixture, fitted) = try FittedCase.load("sleepstudy_weights")
    #expect(try fixture.member("call").text("weights") == "w")
    #expect(fitted.model.responseModel.weights != nil)
    let expected = try fixture.members("expected")
    for key in ["kenward_roger", "anova_kenward_roger", "vcov_adjusted", "krmodcomp"] {
      #expect(expected[key] == nil, "\(key) in the weighted fixture")
    }
    #expect(throws: InferenceError.self) {
      try MixedModelInference(model: fitted.model, fit: fitted.fit, method: .kenwardRoger)
    }
  }

  @Test("Kenward-Roger adjusted covariance matches pbkrtest's vcovAdj", arguments: remlCases)
  func adjustedCovariance(_ name: String) throws {
    let (fixture, fitted) = try FittedCase.load(name)
    let inference = try MixedModelInference(
      model: fitted.model, fit: fitted.fit, method: .kenwardRoger)
    let expected = try fixture.member("expected")
    let vcov = try expected.elements("vcov_adjusted").map { try $0.requiredNumbers("vcovAdj") }
    #expect(vcov.count == fitted.fit.fixedEffects.count)
    expectClose(
      inference.covariance.rowArrays.flatMap { $0 }, vcov.flatMap { $0 }, .fixedEffectsCovariance,
      "\(name) vcovAdj")
    // KRmodcomp on each coefficient: ddf, F (scaled) and p.
    let rows = try expected.elements("krmodcomp")
    for (j, row) in try zipExactly(fitted.fit.fixedEffects.indices, rows, "\(name) KRmodcomp") {
      var l = [Double](repeating: 0, count: fitted.fit.fixedEffects.count)
      l[j] = 1
      let test = inference.test([l])
      let label = "\(name) KRmodcomp \(try row.text("term"))"
      expectClose(test.denominatorDF, try row.number("ddf"), .degreesOfFreedom, label)
      expectClose(test.fValue, try row.number("F"), .fixedEffects, label + " F")
      expectClose(test.p, try row.number("p"), .pValue, label + " p")
    }
  }
}
