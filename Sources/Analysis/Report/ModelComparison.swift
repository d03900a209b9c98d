import Inference
import MixedModels
import Reports

/// A likelihood-ratio test between two named models of a spec (`comparisons[k]`) or of
/// `traj compare` (the test itself is `Inference`'s `LikelihoodRatioTest`).
struct ModelComparison: Sendable {
  /// The smaller (null) model's name.
  let smaller: String
  /// The larger model's name.
  let larger: String
  /// The test.
  let test: LikelihoodRatioTest

  /// REML or ML (the same for both).
  var method: EstimationMethod { test.method }
  /// `2(ℓ_larger − ℓ_smaller)`.
  var statistic: Double { test.statistic }
  /// Difference in parameter counts.
  var df: Int { test.df }
  /// Upper tail of χ²_df at the statistic.
  var p: Double { test.p }
  /// Whether random-effect variances are tested on their boundary (p conservative).
  var boundary: Bool { test.boundary }

  /// Tests each comparison of `spec` on the fitted models.
  /// - Parameters:
  ///   - spec: The spec (its `comparisons` name models of `models`).
  ///   - fits: The fits, in the order of `spec.models`.
  /// - Returns: One test per comparison, in spec order.
  /// - Throws: `SpecError` at `comparisons[k].models` when the pair cannot be compared
  ///   (`LikelihoodRatioTest.NotComparable`).
  static func run(_ spec: AnalysisSpec, fits: [FitOutcome]) throws -> [ModelComparison] {
    try spec.comparisons.map { comparison in
      guard let i = spec.models.firstIndex(where: { $0.name == comparison.smaller }),
        let j = spec.models.firstIndex(where: { $0.name == comparison.larger })
      else { throw comparison.node.invalid("names a model that is not in the spec") }
      do {
        return try test(
          smaller: (comparison.smaller, fits[i].fit), larger: (comparison.larger, fits[j].fit))
      } catch let failure as LikelihoodRatioTest.NotComparable {
        throw comparison.node.invalid(failure.reason)
      }
    }
  }

  /// The likelihood-ratio test of `smaller` against `larger`.
  /// - Parameters:
  ///   - smaller: Name and fit of the smaller (null) model.
  ///   - larger: Name and fit of the larger model.
  /// - Returns: The test.
  /// - Throws: `LikelihoodRatioTest.NotComparable` when the pair cannot be compared.
  static func test(
    smaller: (name: String, fit: any FittedModel), larger: (name: String, fit: any FittedModel)
  ) throws(LikelihoodRatioTest.NotComparable) -> ModelComparison {
    ModelComparison(
      smaller: smaller.name, larger: larger.name,
      test: try LikelihoodRatioTest(smaller: smaller, larger: larger))
  }

  /// The `results.json` entry: `smaller`, `larger`, `method`, `statistic`, `df`, `p`,
  /// `boundary`.
  var json: JSON {
    .object([
      ("smaller", .string(smaller)), ("larger", .string(larger)),
      ("method", .string(method.rawValue)), ("statistic", .number(statistic)),
      ("df", .integer(df)), ("p", .number(p)), ("boundary", .bool(boundary)),
    ])
  }
}
