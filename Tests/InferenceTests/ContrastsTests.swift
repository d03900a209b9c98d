import DataTable
import Formulas
import Foundation
import Inference
import MixedModels
import TestSupport
import Testing

@Suite("contrast specifications, multiplicity and estimability")
struct ContrastsTests {
  @Test("contrast specifications are read as emmeans names them")
  func parsing() throws {
    #expect(try ContrastMethod(parsing: "pairwise") == .pairwise)
    #expect(try ContrastMethod(parsing: " revpairwise ") == .revpairwise)
    #expect(try ContrastMethod(parsing: "trt.vs.ctrl") == .treatmentVersusControl(control: nil))
    #expect(
      try ContrastMethod(parsing: "trt.vs.ctrl(placebo)")
        == .treatmentVersusControl(control: "placebo"))
    #expect(
      try ContrastMethod(parsing: "custom(1, -0.5, -0.5)")
        == .custom(name: "custom", coefficients: [1, -0.5, -0.5]))
    #expect(throws: InferenceError.self) { try ContrastMethod(parsing: "tukey") }
  }

  @Test("Holm is the running maximum of (m − rank + 1)·p in increasing order; Bonferroni m·p")
  func adjustments() throws {
    let p = [0.01, 0.04, 0.03, 0.5]
    #expect(PValueAdjustment.none.adjust(p) == p)
    #expect(PValueAdjustment.bonferroni.adjust(p) == [0.04, 0.16, 0.12, 1])
    let holm = PValueAdjustment.holm.adjust(p)
    let expected = [0.04, 0.09, 0.09, 0.5]
    for (a, b) in try zipExactly(holm, expected, "holm") { #expect(abs(a - b) < 1e-15) }
  }

  /// A split-plot design with no observation in cell (g1, t2): `groupg1:timet2` is dropped.
  static func emptyCell() throws -> (ModelFrame, MixedModelInference) {
    var csv = "subject,group,time,y\n"
    var k = 0.0
    for g in 0..<2 {
      for s in 0..<5 {
        for t in 0..<3 where !(g == 1 && t == 2) {
          k += 1
          let y = Double(g + t) + 2 * sin(Double(5 * s + g)) + sin(k * 12.9898)
          csv += "S\(g)\(s),g\(g),t\(t),\(y)\n"
        }
      }
    }
    let table = try Table.readCSV(text: csv, source: "empty-cell.csv")
    let frame = try ModelFrame(formula: Formula("y ~ group * time + (1 | subject)"), table: table)
    let model = LinearMixedModel(frame: frame)
    let fit = try model.fit()
    return (frame, try MixedModelInference(model: model, fit: fit, method: .satterthwaite))
  }

  @Test("a mean in an empty cell is not estimable and names the aliased coefficient")
  func nonEstimable() throws {
    let (frame, inference) = try Self.emptyCell()
    #expect(frame.droppedFixedEffectNames == ["groupg1:timet2"])
    #expect {
      _ = try MarginalMeans.compute(
        specs: ["group"], by: ["time"], frame: frame, inference: inference)
    } throws: { error in
      guard case InferenceError.nonEstimable(_, let aliased) = error else { return false }
      return aliased == ["groupg1:timet2"]
    }
  }

  @Test("unknown factors and control levels are errors")
  func unknownNames() throws {
    let (frame, model, fit) = try BalancedDesignTests.fitted()
    let inference = try MixedModelInference(model: model, fit: fit, method: .satterthwaite)
    #expect(throws: InferenceError.unknownTerm(name: "visit")) {
      _ = try MarginalMeans.compute(specs: ["visit"], frame: frame, inference: inference)
    }
    let means = try MarginalMeans.compute(
      specs: ["time"], by: ["group"], frame: frame, inference: inference
    ).filter { $0.group == ["g0"] }
    #expect(throws: InferenceError.unknownTerm(name: "t9")) {
      _ = try MarginalMeans.contrasts(
        means, method: .treatmentVersusControl(control: "t9"), adjustment: .none,
        inference: inference)
    }
    let custom = try MarginalMeans.contrasts(
      means, method: .custom(name: "linear", coefficients: [-1, 0, 0, 1]), adjustment: .none,
      inference: inference)
    let pairwise = try MarginalMeans.contrasts(
      means, method: .pairwise, adjustment: .none, inference: inference)
    // t3 − t0 = −(t0 − t3)
    #expect(abs(custom[0].estimate.estimate + pairwise[2].estimate.estimate) < 1e-12)
  }
}
