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
    let frame = try BalancedDesignTests.frame(subjects: Self.subjectsPerGroup, times: Self.times)
    var dfs = [[Double]]()
    for threads in [1, 2] {
      var model = LinearMixedModel(frame: frame)
      model.threads = threads
      let fit = try model.fit(method: .reml)
      #expect(!fit.isSingular)
      let inference = try MixedModelInference(model: model, fit: fit, method: .kenwardRoger)
      let tests = try inference.typeIIITests(frame: frame)
      try BalancedDesignTests.expectExactDF(
        tests, subjects: Self.subjectsPerGroup, times: Self.times, label: "\(threads) threads")
      dfs.append(tests.map(\.test.denominatorDF))
    }
    #expect(dfs[1] == dfs[0], "the same bits on 1 and 2 threads")
  }
}
