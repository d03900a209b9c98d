import DataTable
import Formulas
import Foundation
import Inference
import MixedModels
import Testing

/// Kenward–Roger works block by block of V; fully crossed factors make one block of all the
/// observations, which is refused above the block-size limit instead of forming an n×n matrix.
@Suite("Kenward-Roger block structure")
struct KenwardRogerBlockTests {
  @Test("fully crossed factors over 3,000 observations are refused with a clear error")
  func crossedTooLarge() throws {
    var csv = "a,b,y\n"
    var k = 0.0
    for i in 0..<60 {
      for j in 0..<55 {
        k += 1
        let y = sin(Double(i) * 1.3) + cos(Double(j) * 0.7) + 0.5 * sin(k * 12.9898)
        csv += "a\(i),b\(j),\(y)\n"
      }
    }
    let table = try Table.readCSV(text: csv, source: "crossed.csv")
    let frame = try ModelFrame(formula: Formula("y ~ 1 + (1 | a) + (1 | b)"), table: table)
    let model = LinearMixedModel(frame: frame)
    let fit = try model.fit()
    #expect {
      _ = try MixedModelInference(model: model, fit: fit, method: .kenwardRoger)
    } throws: { error in
      guard case InferenceError.unsupported(let method, let reason) = error else { return false }
      return method == "Kenward-Roger" && reason.contains("3300 observations")
    }
    // Satterthwaite needs no blocks of V and still works.
    let satterthwaite = try MixedModelInference(model: model, fit: fit, method: .satterthwaite)
    #expect(satterthwaite.coefficientTests()[0].df.isFinite)
  }
}
