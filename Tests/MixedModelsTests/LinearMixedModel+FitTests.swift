import Foundation
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

@Suite("Linear mixed model fitting")
struct LinearMixedModelFitTests {
  static let fixtures = Fixture.all(in: "lmer")

  @Test("there are lme4 fixtures to check against") func fixturesExist() {
    #expect(Self.fixtures.count >= 10)
  }

  @Test(
    "the profiled criterion at lme4's θ̂ is lme4's REML criterion or deviance",
    arguments: fixtures)
  func objectiveAtReferenceTheta(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let expected = try fixture.member("expected")
    let (model, method) = try fixtureModel(fixture)
    let theta = try expected.numbers("theta")
    #expect(theta.count == model.thetaCount)
    let key = method == .reml ? "REMLcrit" : "deviance"
    let reference = try expected.number(key)
    var workspace = PLSWorkspace(model: model)
    let objective = model.objective(theta: theta, method: method, workspace: &workspace)
    expectClose(objective, reference, .profiledObjectiveAtReferenceTheta, "\(name) \(key)")
  }

  @Test("β̂ at lme4's θ̂ is lme4's fixed-effects estimate", arguments: fixtures)
  func fixedEffectsAtReferenceTheta(_ name: String) throws {
    let fixture = try Fixture.load(name)
    let expected = try fixture.member("expected")
    let (model, method) = try fixtureModel(fixture)
    var workspace = PLSWorkspace(model: model)
    _ = model.objective(
      theta: try expected.numbers("theta"), method: method, workspace: &workspace)
    let rows = try expected.elements("fixef")
    #expect(model.fixedEffectNames == (try rows.map { try $0.text("term") }))
    expectClose(
      workspace.fixedEffects, try rows.map { try $0.number("estimate") },
      .fixedEffectsAtReferenceTheta, "\(name) β̂")
  }

  @Test("fitting the same model twice gives bit-identical θ̂, β̂ and criterion")
  func deterministicFit() throws {
    let (model, method) = try fixtureModel(try Fixture.load("lmer/pain_trial_reml"))
    let first = try model.fit(method: method)
    let second = try model.fit(method: method)
    #expect(first.theta == second.theta)
    #expect(first.fixedEffects == second.fixedEffects)
    #expect(first.standardErrors == second.standardErrors)
    #expect(first.objective == second.objective)
    #expect(first.optimization == second.optimization)
  }

  @Test(
    "the reported criterion is the criterion at the reported θ̂, and σ̂² = r²/(n − p) or r²/n",
    arguments: [EstimationMethod.reml, .ml])
  func reportedValuesAreConsistent(method: EstimationMethod) throws {
    let model = SimulatedDesign.randomSlope.model
    let fit = try model.fit(method: method)
    var workspace = PLSWorkspace(model: model)
    let objective = model.objective(theta: fit.theta, method: method, workspace: &workspace)
    #expect(fit.objective == objective)
    #expect(fit.fixedEffects == workspace.fixedEffects)
    let n = model.observationCount
    let p = model.fixedEffectCount
    let denominator = Double(method == .reml ? n - p : n)
    expectClose(
      fit.sigma * fit.sigma, workspace.penalizedResidualSumOfSquares / denominator,
      .reorderedArithmetic, "σ̂²")
    // The criterion at the optimum is no larger than at lme4's starting point.
    var start = PLSWorkspace(model: model)
    #expect(
      fit.objective <= model.objective(theta: model.thetaStart, method: method, workspace: &start))
  }

  @Test("a model with no more observations than fixed effects cannot be fitted")
  func tooFewObservations() {
    let n = 3
    let x = Matrix.identity(n)
    let model = LinearMixedModel(
      response: [1, 2, 4], X: x, fixedEffectNames: ["a", "b", "c"],
      terms: [
        RandomEffectsTerm(
          groupName: "g", factorName: "g", columnNames: ["(Intercept)"], levels: ["1", "2"],
          levelIndex: [0, 1, 1], values: [1, 1, 1])
      ])
    #expect(throws: FitError.tooFewObservations(n: n, needed: n)) { try model.fit() }
  }
}
