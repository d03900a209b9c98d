import Foundation

/// The response side of a mixed model, as lme4 splits it from the predictor (`lmerResp`,
/// `glmResp`) and MixedModels.jl reweights it: the observations, their prior weights, an
/// offset, and the family that says how the mean relates to the linear predictor.
///
/// For the Gaussian family with weights wᵢ and offset oᵢ the model is
///
///     yᵢ = oᵢ + xᵢβ + zᵢb + εᵢ,   εᵢ ~ N(0, σ²/wᵢ)
///
/// which the linear mixed model fits by multiplying row i of [Z X y − o] by √wᵢ and adding
/// `−Σ log wᵢ` to −2ℓ (lme4's `ldW`). Without weights and offset nothing is scaled, so every
/// unweighted fit is what it was bit for bit.
public struct ModelResponse: Sendable, Equatable {
  /// The response family.
  public enum Family: String, Sendable, Equatable {
    /// Normal errors with the identity link: the linear mixed model.
    case gaussian
  }

  /// The observations y.
  public let values: [Double]
  /// Prior weights, one per observation (positive), or nil for all ones.
  public let weights: [Double]?
  /// A known part of the linear predictor, one per observation, or nil for none.
  public let offset: [Double]?
  /// The family (Gaussian).
  public let family: Family

  /// Creates a response.
  /// - Parameters:
  ///   - values: y.
  ///   - weights: Prior weights (positive), or nil.
  ///   - offset: Offset, or nil.
  ///   - family: The family.
  /// - Precondition: `weights` and `offset`, when given, have one value per observation.
  public init(
    values: [Double], weights: [Double]? = nil, offset: [Double]? = nil,
    family: Family = .gaussian
  ) {
    precondition(weights.map { $0.count == values.count } ?? true, "one weight per observation")
    precondition(offset.map { $0.count == values.count } ?? true, "one offset per observation")
    self.values = values
    self.weights = weights
    self.offset = offset
    self.family = family
  }

  /// `Σ log wᵢ` (0 without weights), subtracted from −2ℓ.
  public var logWeightSum: Double { weights.map { $0.reduce(0) { $0 + log($1) } } ?? 0 }

  /// `y − o` (y without an offset).
  var centred: [Double] {
    guard let offset else { return values }
    return zip(values, offset).map { $0 - $1 }
  }

  /// `√wᵢ` per observation, or nil without weights.
  var rowScale: [Double]? { weights?.map { $0.squareRoot() } }
}
