/// A named agreement tolerance: |observed − expected| ≤ max(absolute, relative · |expected|).
public struct Tolerance: Sendable, CustomStringConvertible {
  /// Relative part.
  public let relative: Double
  /// Absolute floor, for values near zero.
  public let absolute: Double
  /// Why this tolerance is right for its quantity.
  public let reason: String

  /// Creates a tolerance.
  /// - Parameters:
  ///   - relative: Relative tolerance.
  ///   - absolute: Absolute floor.
  ///   - reason: One line: why.
  public init(relative: Double, absolute: Double = 0, reason: String) {
    self.relative = relative
    self.absolute = absolute
    self.reason = reason
  }

  /// Whether `observed` agrees with `expected`.
  /// - Parameters:
  ///   - observed: Our value.
  ///   - expected: The reference value.
  /// - Returns: `true` within tolerance (NaN agrees only with NaN).
  public func accepts(_ observed: Double, _ expected: Double) -> Bool {
    if expected.isNaN || observed.isNaN { return expected.isNaN && observed.isNaN }
    if expected == observed { return true }
    return abs(observed - expected) <= max(absolute, relative * abs(expected))
  }

  /// `rel 1e-06, abs 1e-09`.
  public var description: String { "rel \(relative), abs \(absolute)" }

  // MARK: - Agreement with lme4 (issue #2 sets these; measured agreement is far tighter).

  /// The REML criterion / deviance: the optimised objective is flat at the optimum, so both
  /// tools reach it to many digits even where θ differs in the 5th digit.
  public static let deviance = Tolerance(
    relative: 1e-6, reason: "objective at the optimum; flat, so agrees to ~1e-10 in practice")
  /// β̂ and their standard errors: smooth functions of θ̂, which BOBYQA locates to ~1e-6.
  public static let fixedEffects = Tolerance(
    relative: 1e-5, absolute: 1e-8, reason: "β̂ and SEs depend smoothly on θ̂")
  /// Elements of vcov(β̂): squares and products of SE-scale quantities, so twice their
  /// relative error.
  public static let fixedEffectsCovariance = Tolerance(
    relative: 2e-5, absolute: 1e-10, reason: "products of two SE-scale quantities")
  /// θ, σ and the variance components: the likelihood surface is flat in these directions.
  public static let varianceComponents = Tolerance(
    relative: 1e-4, absolute: 1e-6, reason: "flat likelihood in θ; lme4 itself tests at 1e-4")
  /// Conditional modes and their SDs: linear in the data given θ̂, so they inherit θ̂'s error.
  public static let randomEffects = Tolerance(
    relative: 1e-4, absolute: 1e-6, reason: "BLUPs inherit θ̂'s optimisation error")
  /// Fitted values and residuals.
  public static let fitted = Tolerance(
    relative: 1e-4, absolute: 1e-6, reason: "Xβ̂ + Zb̂: the Zb̂ part inherits θ̂'s 1e-4")
}
