import Distributions
import MixedModels

/// The likelihood-ratio test of a smaller model against a larger one that contains it.
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
public struct LikelihoodRatioTest: Sendable, Equatable {
  /// REML or ML (the same for both fits).
  public let method: EstimationMethod
  /// `2(ℓ_larger − ℓ_smaller)`.
  public let statistic: Double
  /// Difference in parameter counts.
  public let df: Int
  /// Upper tail of χ²_df at the statistic (at 0 when the statistic is negative from rounding).
  public let p: Double
  /// Whether random-effect variances are tested on their boundary (p conservative).
  public let boundary: Bool

  /// Why two fits cannot be compared by a likelihood-ratio test.
  public struct NotComparable: Error, Sendable, Equatable {
    /// The reason, as a clause (no leading capital).
    public let reason: String
  }

  /// Tests `smaller` against `larger`.
  /// - Parameters:
  ///   - smaller: Name and fit of the smaller (null) model (the name is for messages).
  ///   - larger: Name and fit of the larger model.
  /// - Throws: `NotComparable` when the pair cannot be compared: the methods differ, REML
  ///   fits with different fixed effects, ML fits whose fixed effects are not nested by name,
  ///   different observations, or a larger model without more parameters.
  public init(
    smaller: (name: String, fit: any FittedModel), larger: (name: String, fit: any FittedModel)
  ) throws(NotComparable) {
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
    self.method = a.method
    self.statistic = statistic
    self.df = df
    self.p = ChiSquared(df: Double(df)).ccdf(max(statistic, 0))
    self.boundary = b.randomEffectParameterCount > a.randomEffectParameterCount
  }
}
