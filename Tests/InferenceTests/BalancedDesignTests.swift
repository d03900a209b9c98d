import DataTable
import Formulas
import Foundation
import Inference
import MixedModels
import TestSupport
import Testing

/// Known answers from theory on a balanced split-plot design.
///
/// The model is `y ~ group * time + (1 | subject)`
/// with `s` subjects per group, 2 groups and `t` times. With a positive subject variance the
/// exact F tests have denominator df `2s − 2` (between-subject: group) and `(2s − 2)(t − 1)`
/// (within-subject: time, group:time); Kenward–Roger and Satterthwaite reproduce them exactly
/// and between–within gives them by construction; the KR F scaling is 1.
@Suite("balanced split-plot identities")
struct BalancedDesignTests {
  static let subjectsPerGroup = 6
  static let times = 4

  /// The split-plot's model frame: `subjects` per group, 2 groups, `times` times, a
  /// subject effect and deterministic noise.
  static func frame(subjects: Int = subjectsPerGroup, times: Int = times) throws -> ModelFrame {
    var csv = "subject,group,time,y\n"
    var k = 0.0
    for g in 0..<2 {
      for s in 0..<subjects {
        let effect = 3 * sin(Double(7 * s + 3 * g) * 1.7)
        for t in 0..<times {
          k += 1
          let y = 10 + Double(g) + 0.5 * Double(t) + effect + sin(k * 12.9898) * 1.3
          csv += "S\(g)_\(s),g\(g),t\(t),\(y)\n"
        }
      }
    }
    let table = try Table.readCSV(text: csv, source: "balanced.csv")
    return try ModelFrame(formula: Formula("y ~ group * time + (1 | subject)"), table: table)
  }

  static func fitted() throws -> (ModelFrame, LinearMixedModel, LinearMixedModelFit) {
    let frame = try frame()
    let model = LinearMixedModel(frame: frame)
    return (frame, model, try model.fit(method: .reml))
  }

  /// The type III tests have the exact split-plot denominator df, `2s − 2` for group and
  /// `(2s − 2)(t − 1)` for time and group:time (to 1e-6 relative: the df methods' arithmetic).
  static func expectExactDF(
    _ tests: [(term: String, test: FTest)], subjects: Int = subjectsPerGroup,
    times: Int = times, label: String
  ) throws {
    let between = Double(2 * subjects - 2)
    let within = between * Double(times - 1)
    let expected = ["group": between, "time": within, "group:time": within]
    #expect(tests.map(\.term) == ["group", "time", "group:time"], "\(label)")
    for test in tests {
      let df = try #require(expected[test.term])
      #expect(abs(test.test.denominatorDF - df) < 1e-6 * df, "\(label) \(test.term)")
    }
  }

  @Test(
    "type III denominator df are the exact split-plot df",
    arguments: [
      DegreesOfFreedomMethod.kenwardRoger, .satterthwaite, .betweenWithin,
    ])
  func exactDF(_ method: DegreesOfFreedomMethod) throws {
    let (frame, model, fit) = try Self.fitted()
    #expect(!fit.isSingular)
    let inference = try MixedModelInference(model: model, fit: fit, method: method)
    try Self.expectExactDF(try inference.typeIIITests(frame: frame), label: "\(method)")
  }

  @Test("Kenward-Roger leaves the F statistic unscaled and matches the classical F")
  func unscaledF() throws {
    let (frame, model, fit) = try Self.fitted()
    let kr = try MixedModelInference(model: model, fit: fit, method: .kenwardRoger)
    let plain = try MixedModelInference(model: model, fit: fit, method: .residual)
    for (a, b) in try zipExactly(
      kr.typeIIITests(frame: frame), plain.typeIIITests(frame: frame), "type III")
    {
      #expect(abs(a.test.fValue - b.test.fValue) < 1e-8 * b.test.fValue, "\(a.term)")
    }
  }

  @Test("residual df is n − p")
  func residual() throws {
    let (_, model, fit) = try Self.fitted()
    let inference = try MixedModelInference(model: model, fit: fit, method: .residual)
    let n = 2 * Self.subjectsPerGroup * Self.times
    let tests = inference.coefficientTests()
    #expect(tests.count == 2 * Self.times)
    #expect(tests.allSatisfy { $0.df == Double(n - 2 * Self.times) })
  }
}
