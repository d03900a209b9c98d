import Distributions
import MixedModels
import Reports

/// A likelihood-ratio test of a smaller model against a larger one that contains it
/// (`comparisons[k]` of a spec).
///
/// The statistic and its reference distribution are
///
///     LR = 2(ℓ_larger − ℓ_smaller),   df = k_larger − k_smaller,   p = P(χ²_df ≥ LR)
///
/// with ℓ the (restricted) log-likelihoods and k the parameter counts of AIC. Under REML the
/// likelihoods are comparable only when the fixed effects are the same (Verbeke & Molenberghs
/// 2000, §6.2.1), so only the variance structures may differ; under ML any nesting is allowed.
/// When the larger model adds random-effect variances, the null hypothesis puts them on the
/// boundary of their space (a variance of zero): the χ²_df reference is then conservative (the
/// true null distribution is a mixture of χ² with fewer df; Self & Liang 1987, Stram & Lee
/// 1994), so the p-value is an upper bound and `boundary` is true.
struct ModelComparison: Sendable {
  /// The smaller (null) model's name.
  let smaller: String
  /// The larger model's name.
  let larger: String
  /// REML or ML (the same for both).
  let method: EstimationMethod
  /// `2(ℓ_larger − ℓ_smaller)`.
  let statistic: Double
  /// Difference in parameter counts.
  let df: Int
  /// Upper tail of χ²_df at the statistic (at 0 when the statistic is negative from rounding).
  let p: Double
  /// Whether random-effect variances are tested on their boundary (p conservative).
  let boundary: Bool

  /// Tests each comparison of `spec` on the fitted models.
  /// - Parameters:
  ///   - spec: The spec (its `comparisons` name models of `models`).
  ///   - fits: The fits, in the order of `spec.models`.
  /// - Returns: One test per comparison, in spec order.
  /// - Throws: `SpecError` at `comparisons[k].models` when the pair cannot be compared: the
  ///   methods differ, REML fits with different fixed effects, ML fits whose fixed effects are
  ///   not nested by name, different observations, or a larger model without more parameters.
  static func run(_ spec: AnalysisSpec, fits: [FitOutcome]) throws -> [ModelComparison] {
    try spec.comparisons.map { comparison in
      guard let i = spec.models.firstIndex(where: { $0.name == comparison.smaller }),
        let j = spec.models.firstIndex(where: { $0.name == comparison.larger })
      else { throw comparison.node.invalid("names a model that is not in the spec") }
      do {
        return try test(
          smaller: (comparison.smaller, fits[i].fit), larger: (comparison.larger, fits[j].fit))
      } catch let failure as NotComparable {
        throw comparison.node.invalid(failure.reason)
      }
    }
  }

  /// Why two fits cannot be compared by a likelihood-ratio test.
  struct NotComparable: Error, Sendable {
    /// The reason, as a clause (no leading capital).
    let reason: String
  }

  /// The likelihood-ratio test of `smaller` against `larger`.
  /// - Parameters:
  ///   - smaller: Name and fit of the smaller (null) model.
  ///   - larger: Name and fit of the larger model.
  /// - Returns: The test.
  /// - Throws: `NotComparable` when the pair cannot be compared: the methods differ, REML
  ///   fits with different fixed effects, ML fits whose fixed effects are not nested by name,
  ///   different observations, or a larger model without more parameters.
  static func test(
    smaller: (name: String, fit: any FittedModel), larger: (name: String, fit: any FittedModel)
  ) throws -> ModelComparison {
    let a = smaller.fit
    let b = larger.fit
    guard a.method == b.method else {
      throw NotComparable(
        reason: "the models are fitted by different methods (\(a.method.rawValue), "
          + "\(b.method.rawValue)); likelihoods are comparable only under one method")
    }
    if a.method == .reml && a.fixedEffectNames != b.fixedEffectNames {
      throw NotComparable(
        reason: "REML likelihoods with different fixed effects are not comparable; "
          + "fit both models by ML (method: ml in a spec, --ml on the command line) to "
          + "compare fixed effects")
    }
    if a.method == .ml && !Set(a.fixedEffectNames).isSubset(of: Set(b.fixedEffectNames)) {
      throw NotComparable(
        reason: "the fixed effects of \"\(smaller.name)\" are not among those of "
          + "\"\(larger.name)\": the models are not nested")
    }
    guard a.observationCount == b.observationCount else {
      throw NotComparable(
        reason: "the models use different observations (\(a.observationCount), "
          + "\(b.observationCount)); likelihoods of different data are not comparable")
    }
    let df = b.parameterCount - a.parameterCount
    guard df > 0 else {
      throw NotComparable(
        reason: "\"\(larger.name)\" must have more parameters than \"\(smaller.name)\" "
          + "(\(b.parameterCount) vs \(a.parameterCount)): give [smaller, larger]")
    }
    let statistic = 2 * (b.logLikelihood - a.logLikelihood)
    return ModelComparison(
      smaller: smaller.name, larger: larger.name, method: a.method, statistic: statistic,
      df: df, p: ChiSquared(df: Double(df)).ccdf(max(statistic, 0)),
      boundary: b.randomEffectParameterCount > a.randomEffectParameterCount)
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
