import Foundation
import LinearAlgebra
import MixedModels
import TestSupport
import Testing

@Suite("PLS workspace solutions")
struct PLSWorkspaceSolutionsTests {
  @Test(
    "β̂ and (XᵀV⁻¹X)⁻¹ equal the dense GLS solution", arguments: SimulatedDesign.allCases)
  func fixedEffects(design: SimulatedDesign) throws {
    let model = design.model
    let reference = DenseReference(model: model, theta: design.theta)
    var workspace = PLSWorkspace(model: model)
    workspace.updateFactor(theta: design.theta)
    expectClose(workspace.fixedEffects, reference.beta, .denseDefinition, "β̂")
    let covariance = try workspace.unscaledFixedEffectsCovariance()
    for i in 0..<model.fixedEffectCount {
      expectClose(
        (0..<model.fixedEffectCount).map { covariance[i, $0] }, reference.unscaledCovariance[i],
        .denseDefinition, "(XᵀV⁻¹X)⁻¹ row \(i)")
    }
  }

  @Test(
    "conditional modes equal ΛΛᵀZᵀV⁻¹(y − Xβ̂)", arguments: SimulatedDesign.allCases)
  func conditionalModes(design: SimulatedDesign) {
    let model = design.model
    let reference = DenseReference(model: model, theta: design.theta)
    var workspace = PLSWorkspace(model: model)
    workspace.updateFactor(theta: design.theta)
    workspace.completeFactor()
    let u = workspace.sphericalModes(beta: workspace.fixedEffects)
    let b = workspace.conditionalModes(spherical: u)
    #expect(b.count == model.terms.count)
    for k in model.terms.indices {
      expectClose(b[k], reference.conditionalModes[k], .denseDefinition, "b̂ term \(k)")
    }
  }

  @Test(
    "conditional variances are the diagonal blocks of Λ(ΛᵀZᵀZΛ + I)⁻¹Λᵀ",
    arguments: SimulatedDesign.allCases)
  func conditionalVariances(design: SimulatedDesign) {
    let model = design.model
    let reference = DenseReference(model: model, theta: design.theta)
    var workspace = PLSWorkspace(model: model)
    workspace.updateFactor(theta: design.theta)
    workspace.completeFactor()
    let variances = workspace.unscaledConditionalVariances()
    for (k, term) in model.terms.enumerated() {
      let q = term.q
      var observed = [Double]()
      var expected = [Double]()
      for level in 0..<term.levelCount {
        let base = reference.offsets[k] + level * q
        for b in 0..<q {
          for a in 0..<q {
            observed.append(variances[k][level][a + b * q])
            expected.append(reference.conditionalCovariance[base + a][base + b])
          }
        }
      }
      expectClose(observed, expected, .denseDefinition, "Var(b | y)/σ², term \(k)")
    }
  }
}
