import Foundation
import Testing

/// Agreement tolerances of the single-step multivariate t adjustment with the emmeans and
/// mvtnorm fixtures of `scripts/reference/mvt.R` (`Tests/Fixtures/inference/mvt`).
///
/// Each is the sum of the two tools' own error bounds, nothing more: ours is
/// `MultivariateT.Accuracy.standard`, an absolute error of 1e-5 for each probability (3.5
/// standard errors over the random shifts); mvtnorm's are the error estimates the fixture
/// records at its rule (GenzBretz abseps 1e-5, qmvt ptol 1e-4). Where our t statistics, SEs or
/// estimates differ from emmeans' (they come from our own fit), the observed difference is
/// propagated and added, so that only the integration is given slack.
public enum SingleStepTolerance {
  /// Our target absolute error of each multivariate t probability
  /// (`MultivariateT.Accuracy.standard`).
  public static let integration = 1e-5

  /// The tolerance of an adjusted p-value `1 − P(max_k |T_k| < |t|)`.
  ///
  /// Our integration error, plus mvtnorm's largest error estimate in the family
  /// (`max_error`), plus the effect of the two tools' t statistics differing by `deltaT`: the
  /// p-value's slope in |t| is the density of max_k |T_k|, at most `2 m f_ν(t)` (Bonferroni).
  /// - Parameters:
  ///   - family: The fixture's family object (with `max_error`).
  ///   - t: The statistic.
  ///   - deltaT: |our t − emmeans' t|.
  ///   - df: The contrast's df (beyond 9999 counts as infinite, as in emmeans).
  ///   - dimension: The number of contrasts in the family.
  ///   - sourceLocation: Where the tolerance is asked for.
  /// - Returns: An absolute tolerance.
  /// - Throws: When the family has no `max_error` (the issue is recorded).
  public static func pValue(
    family: JSONValue, t: Double, deltaT: Double, df: Double, dimension: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Tolerance {
    let reference = try family.number("max_error", sourceLocation: sourceLocation)
    let slope = 2 * Double(dimension) * studentTDensity(t, df: df)
    return Tolerance(
      relative: 0, absolute: integration + reference + slope * deltaT,
      reason: "our 1e-5 + mvtnorm's recorded error + slope · |Δt|")
  }

  /// The largest error of a critical value in the family: for each recorded critical value,
  /// `(1e-5 + |P(c) − level| + error) / density`, our probability error and mvtnorm's
  /// distance from the level (with its error estimate) over the density of max_k |T_k| at c
  /// (`critical` in the fixture).
  /// - Parameters:
  ///   - family: The fixture's family object.
  ///   - sourceLocation: Where the bound is asked for.
  /// - Returns: The bound on |our c − emmeans' c| (NaN if any entry's is).
  /// - Throws: When `critical` or a member of an entry is missing, or `critical` is empty (the
  ///   issue is recorded).
  public static func criticalValueBound(
    family: JSONValue, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Double {
    let entries = try family.elements("critical", sourceLocation: sourceLocation)
    try #require(!entries.isEmpty, "no critical values", sourceLocation: sourceLocation)
    return try entries.map { entry in
      let levelError = abs(try entry.number("level_error", sourceLocation: sourceLocation))
      let error = try entry.number("error", sourceLocation: sourceLocation)
      let density = try entry.number("density", sourceLocation: sourceLocation)
      return (integration + levelError + error) / density
    }.reduce(0, largest)
  }

  /// The tolerance of a simultaneous limit `estimate ∓ c · SE`.
  ///
  /// The critical values' bound (`criticalValueBound(family:)`) times SE, plus the observed
  /// differences of the estimates and of the SEs (times c).
  /// - Parameters:
  ///   - family: The fixture's family object.
  ///   - se: The contrast's SE.
  ///   - deltaEstimate: |our estimate − emmeans'|.
  ///   - deltaSE: |our SE − emmeans'|.
  ///   - criticalValue: emmeans' critical value `(upper − estimate) / SE`.
  ///   - sourceLocation: Where the tolerance is asked for.
  /// - Returns: An absolute tolerance.
  /// - Throws: As `criticalValueBound(family:)`.
  public static func limit(
    family: JSONValue, se: Double, deltaEstimate: Double = 0, deltaSE: Double = 0,
    criticalValue: Double = 0, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Tolerance {
    Tolerance(
      relative: 0,
      absolute: try criticalValueBound(family: family, sourceLocation: sourceLocation) * se
        + deltaEstimate
        + criticalValue * deltaSE,
      reason: "critical values to (1e-5 + mvtnorm's) / density, times SE; + |Δestimate| + c|ΔSE|")
  }

  /// Student's t density (the normal density for infinite df or df beyond 9999).
  /// - Parameters:
  ///   - t: The point.
  ///   - df: Degrees of freedom.
  /// - Returns: The density at `t`.
  public static func studentTDensity(_ t: Double, df: Double) -> Double {
    if !df.isFinite || df > 9999 { return exp(-t * t / 2) / (2 * Double.pi).squareRoot() }
    let logScale = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * log(df * Double.pi)
    return exp(logScale - (df + 1) / 2 * log1p(t * t / df))
  }
}
