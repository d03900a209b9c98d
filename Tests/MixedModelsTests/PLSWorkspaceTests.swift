import Foundation
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

@Suite("PLS workspace")
struct PLSWorkspaceTests {
  @Test(
    "REML criterion and deviance equal their dense definitions",
    arguments: SimulatedDesign.allCases, [false, true])
  func objectiveMatchesDenseDefinition(design: SimulatedDesign, boundary: Bool) {
    let model = design.model
    let theta = boundary ? design.boundaryTheta : design.theta
    let reference = DenseReference(model: model, theta: theta)
    var workspace = PLSWorkspace(model: model)
    let factored = workspace.updateFactor(theta: theta)
    #expect(factored)
    expectClose(workspace.objective(reml: true), reference.reml, .denseDefinition, "REML")
    expectClose(workspace.objective(reml: false), reference.ml, .denseDefinition, "ML")
    // The pieces, through the identities of `DenseReference`'s documentation.
    expectClose(
      workspace.logDeterminantZ, reference.logDeterminantV, .denseDefinition,
      "log|L_Z|² = log|V₀|")
    expectClose(
      workspace.logDeterminantX, reference.logDeterminantXVX, .denseDefinition,
      "log|L_X|² = log|XᵀV₀⁻¹X|")
    expectClose(
      workspace.penalizedResidualSumOfSquares, reference.quadraticForm, .denseDefinition,
      "r² = rᵀV₀⁻¹r")
    // The model's own entry point evaluates the same criterion.
    var other = PLSWorkspace(model: model)
    #expect(
      model.objective(theta: theta, method: .reml, workspace: &other)
        == workspace.objective(reml: true))
    #expect(
      model.objective(theta: theta, method: .ml, workspace: &other)
        == workspace.objective(reml: false))
  }

  @Test("a fresh workspace is not factored and its criterion is +∞")
  func freshWorkspace() {
    let model = SimulatedDesign.randomSlope.model
    let workspace = PLSWorkspace(model: model)
    #expect(!workspace.isFactored)
    #expect(workspace.objective(reml: true) == .infinity)
    #expect(workspace.objective(reml: false) == .infinity)
  }

  @Test("updateFactor records θ and the factor state", arguments: SimulatedDesign.allCases)
  func updateRecordsState(design: SimulatedDesign) {
    let model = design.model
    var workspace = PLSWorkspace(model: model)
    let completedFresh = workspace.completeFactor()
    #expect(!completedFresh)
    let updated = workspace.updateFactor(theta: design.theta)
    #expect(updated && workspace.isFactored)
    #expect(workspace.theta == design.theta)
    // Only one grouping factor leaves the per-level blocks out.
    #expect(workspace.hasFullFactor == (model.terms.count > 1))
    let completed = workspace.completeFactor()
    #expect(completed && workspace.isFactored && workspace.hasFullFactor)
    #expect(workspace.theta == design.theta)
    workspace.updateFactor(theta: design.theta.map { 2 * $0 })
    #expect(workspace.hasFullFactor == (model.terms.count > 1))
  }

  @Test(
    "the criterion and β̂ are the same bits before and after completing the factor",
    arguments: SimulatedDesign.allCases)
  func completingTheFactorDoesNotChangeResults(design: SimulatedDesign) {
    let model = design.model
    var workspace = PLSWorkspace(model: model)
    workspace.updateFactor(theta: design.theta)
    let before = [workspace.objective(reml: true), workspace.objective(reml: false)]
    let beta = workspace.fixedEffects
    workspace.completeFactor()
    #expect([workspace.objective(reml: true), workspace.objective(reml: false)] == before)
    #expect(workspace.fixedEffects == beta)
  }

  @Test(
    "refactoring at another θ and back reproduces the criterion bit for bit",
    arguments: SimulatedDesign.allCases)
  func noStateLeaksBetweenUpdates(design: SimulatedDesign) {
    let model = design.model
    var workspace = PLSWorkspace(model: model)
    let first = model.objective(theta: design.theta, method: .reml, workspace: &workspace)
    let beta = workspace.fixedEffects
    _ = model.objective(
      theta: design.theta.map { 2 * $0 + 0.1 }, method: .reml, workspace: &workspace)
    _ = model.objective(theta: design.boundaryTheta, method: .ml, workspace: &workspace)
    #expect(model.objective(theta: design.theta, method: .reml, workspace: &workspace) == first)
    #expect(workspace.fixedEffects == beta)
  }

  @Test("with more than 4,096 subjects the criterion is bit-identical for 1, 2 and 3 threads")
  func threadCountDoesNotChangeBits() {
    var generator = TestGenerator(seed: 5000)
    let model = longitudinalModel(subjects: 5000, perSubject: 3, q: 2, using: &generator)
    let theta = [0.9, -0.2, 0.3]
    var results = [[Double]]()
    for threads in [1, 2, 3] {
      var workspace = PLSWorkspace(model: model)
      workspace.threads = threads
      let reml = model.objective(theta: theta, method: .reml, workspace: &workspace)
      let ml = model.objective(theta: theta, method: .ml, workspace: &workspace)
      #expect(reml.isFinite)
      results.append([reml, ml] + workspace.fixedEffects)
    }
    #expect(results[1] == results[0])
    #expect(results[2] == results[0])
  }
}
