import DataTable
import Formulas
import Foundation
import Inference
import MixedModels
import Testing

/// Kenward–Roger on enough subjects that its block sums run in several chunks on separate
/// threads (`BlockSums.parallel`: one chunk per 256 clusters, run on `model.threads`), so that
/// the ThreadSanitizer run of `scripts/sanitizers` exercises them.
///
/// The design is the balanced split-plot of `BalancedDesignTests` with 300 subjects per group:
/// the exact denominator df are `2s − 2` for group and `(2s − 2)(t − 1)` for time and
/// group:time, and Kenward–Roger reproduces them.
@Suite("Kenward-Roger block sums on several threads")
struct KenwardRogerParallelTests {
  static let subjectsPerGroup = 300
  static let times = 3

  @Test("type III denominator df are the exact split-plot df with 600 clusters, on 1 and 2 threads")
  func exactDF() throws {
    var csv = "subject,group,time,y\n"
    var k = 0.0
    for g in 0..<2 {
      for s in 0..<Self.subjectsPerGroup {
        let effect = 3 * sin(Double(7 * s + 3 * g) * 1.7)
        for t in 0..<Self.times {
          k += 1
          let y = 10 + Double(g) + 0.5 * Double(t) + effect + sin(k * 12.9898) * 1.3
          csv += "S\(g)_\(s),g\(g),t\(t),\(y)\n"
        }
      }
    }
    let table = try Table.readCSV(text: csv, source: "balanced600.csv")
    let frame = try ModelFrame(
      formula: Formula("y ~ group * time + (1 | subject)"), table: table)
    var dfs = [[Double]]()
    for threads in [1, 2] {
      var model = LinearMixedModel(frame: frame)
      model.threads = threads
      let fit = try model.fit(method: .reml)
      #expect(!fit.isSingular)
      let inference = try MixedModelInference(model: model, fit: fit, method: .kenwardRoger)
      let tests = try inference.typeIIITests(frame: frame)
      let between = Double(2 * Self.subjectsPerGroup - 2)
      let within = between * Double(Self.times - 1)
      let expected = ["group": between, "time": within, "group:time": within]
      #expect(tests.map(\.term) == ["group", "time", "group:time"])
      for test in tests {
        let df = try #require(expected[test.term])
        #expect(abs(test.test.denominatorDF - df) < 1e-6 * df, "\(test.term)")
      }
      dfs.append(tests.map(\.test.denominatorDF))
    }
    #expect(dfs[1] == dfs[0], "the same bits on 1 and 2 threads")
  }
}
