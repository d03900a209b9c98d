import Distributions
import Foundation
import LinearAlgebra
import MixedModels

/// A 1-df estimate of a linear function `l'β`, its standard error, df, t and two-sided p.
public struct ContrastEstimate: Sendable, Equatable {
  /// `l'β̂`.
  public let estimate: Double
  /// `√(l' C l)`, C the covariance used (Φ_A for Kenward–Roger).
  public let standardError: Double
  /// Denominator degrees of freedom.
  public let df: Double
  /// `estimate / standardError`.
  public var t: Double { estimate / standardError }
  /// Two-sided p-value from Student's t with `df`; NaN when df is not positive.
  public var p: Double { df > 0 ? StudentT(df: df).twoSidedPValue(t: t) : .nan }

  /// Creates an estimate.
  /// - Parameters:
  ///   - estimate: The value.
  ///   - standardError: Its SE.
  ///   - df: Its df.
  public init(estimate: Double, standardError: Double, df: Double) {
    self.estimate = estimate
    self.standardError = standardError
    self.df = df
  }

  /// Two-sided confidence interval at `level`.
  /// - Parameter level: Coverage, such as 0.95.
  /// - Returns: Lower and upper limits (NaN when df is not positive).
  public func confidenceInterval(level: Double = 0.95) -> (lower: Double, upper: Double) {
    let quantile = df > 0 ? StudentT(df: df).quantile(upperTail: (1 - level) / 2) : .nan
    return (estimate - quantile * standardError, estimate + quantile * standardError)
  }
}

/// An F test of a multi-row hypothesis `Lβ = 0`.
public struct FTest: Sendable, Equatable {
  /// Numerator df (the rank of L).
  public let numeratorDF: Int
  /// Denominator df.
  public let denominatorDF: Double
  /// The F statistic (scaled by Kenward–Roger's factor under that method).
  public let fValue: Double
  /// Upper-tail p-value of F(numeratorDF, denominatorDF); NaN when a df is not positive.
  public var p: Double {
    guard numeratorDF > 0, denominatorDF > 0 else { return .nan }
    return FisherF(df1: Double(numeratorDF), df2: denominatorDF).ccdf(fValue)
  }
}

/// Wald t and F tests on the fixed effects of a fitted LMM with a chosen df method.
///
/// Created once per fit and method (Satterthwaite and Kenward–Roger do their expensive work —
/// finite-difference derivatives, per-cluster sums — in `init`); each test is then cheap.
public struct MixedModelInference: Sendable {
  /// The df method.
  public let method: DegreesOfFreedomMethod
  /// β̂.
  public let coefficients: [Double]
  /// Names of β̂.
  public let coefficientNames: [String]
  /// The covariance of β̂ used for SEs: vcov(β̂), or Φ_A for Kenward–Roger.
  public let covariance: Matrix
  /// Eigenvalues ≤ 1e-8 of the deviance Hessian in (θ, σ) (Satterthwaite only): the model
  /// may not have converged, as lmerTest warns.
  public var hessianConcerns: [Double] { satterthwaite?.nonPositiveEigenvalues ?? [] }

  let residualDF: Double
  let satterthwaite: SatterthwaiteParameters?
  let kenwardRoger: KenwardRogerAdjustment?
  /// Between–within df per coefficient.
  let coefficientDF: [Double]

  /// Prepares tests for `fit` of `model`.
  /// - Parameters:
  ///   - model: The model structure that was fitted.
  ///   - fit: Its fit.
  ///   - method: The df method.
  /// - Throws: `InferenceError.unsupported` (Kenward–Roger on ML fits or on crossed factors
  ///   with a too-large block), `InferenceError.numerical`.
  public init(model: LinearMixedModel, fit: LinearMixedModelFit, method: DegreesOfFreedomMethod)
    throws
  {
    try self.init(
      method: method, coefficients: fit.fixedEffects, coefficientNames: fit.fixedEffectNames,
      covariance: fit.fixedEffectsCovariance, observationCount: fit.observationCount,
      betweenWithin: { try Self.betweenWithin(model: model) },
      satterthwaite: { try SatterthwaiteParameters(model: model, fit: fit) },
      kenwardRoger: { try KenwardRogerAdjustment(model: model, fit: fit) })
  }

  /// The one dispatch over the df method, for every family: each family hands in how it
  /// prepares the method's parts, and only the chosen one runs.
  /// - Parameters:
  ///   - method: The df method.
  ///   - coefficients: β̂.
  ///   - coefficientNames: Names of β̂.
  ///   - vcov: vcov(β̂), p × p.
  ///   - n: The number of observations (residual df n − p).
  ///   - betweenWithin: The between–within df per coefficient.
  ///   - satterthwaite: Satterthwaite's parameters.
  ///   - kenwardRoger: The Kenward–Roger adjustment (its Φ_A replaces vcov(β̂)).
  ///   - replacement: A covariance that replaces the method's one (the empirical sandwich).
  /// - Throws: What the chosen preparation throws.
  init(
    method: DegreesOfFreedomMethod, coefficients: [Double], coefficientNames: [String],
    covariance vcov: Matrix, observationCount n: Int,
    betweenWithin: () throws -> [Double],
    satterthwaite: () throws -> SatterthwaiteParameters,
    kenwardRoger: () throws -> KenwardRogerAdjustment,
    replacingCovariance replacement: (() throws -> Matrix)? = nil
  ) throws {
    let p = coefficients.count
    var covariance = vcov
    var coefficientDF = [Double](repeating: Double(n - p), count: p)
    var satterthwaiteParameters: SatterthwaiteParameters?
    var kenwardRogerAdjustment: KenwardRogerAdjustment?
    switch method {
    case .residual:
      break
    case .betweenWithin:
      coefficientDF = try betweenWithin()
    case .satterthwaite:
      satterthwaiteParameters = try satterthwaite()
    case .kenwardRoger, .kenwardRogerLinear:
      let kr = try kenwardRoger()
      covariance = kr.adjusted
      kenwardRogerAdjustment = kr
    }
    if let replacement { covariance = try replacement() }
    self.method = method
    self.coefficients = coefficients
    self.coefficientNames = coefficientNames
    self.residualDF = Double(n - p)
    self.satterthwaite = satterthwaiteParameters
    self.kenwardRoger = kenwardRogerAdjustment
    self.coefficientDF = coefficientDF
    self.covariance = covariance
  }

  /// SAS's between–within df per column of X for the first (most levels) grouping factor.
  /// - Throws: `InferenceError.unsupported` when a df would not be positive.
  private static func betweenWithin(model: LinearMixedModel) throws -> [Double] {
    let term = model.terms[0]
    let levels = term.levelCount
    let n = model.observationCount
    let p = model.fixedEffectCount
    var within = [Bool](repeating: false, count: p)
    for c in 0..<p {
      var first = [Double?](repeating: nil, count: levels)
      for i in 0..<n {
        let level = Int(term.levelIndex[i])
        let x = model.X[i, c]
        if let seen = first[level] {
          if abs(seen - x) > 1e-10 * max(1, abs(seen)) {
            within[c] = true
            break
          }
        } else {
          first[level] = x
        }
      }
    }
    return try betweenWithinDF(
      within: within, groups: levels, observations: n, groupLabel: "levels of '\(term.factorName)'")
  }

  /// Between df `m − p_b` for the between columns and within df `N − m − p_w` for the within
  /// ones (see `DegreesOfFreedomMethod.betweenWithin`).
  /// - Parameters:
  ///   - within: Per column of X, whether it varies within some group.
  ///   - groups: m, the number of groups.
  ///   - observations: N.
  ///   - groupLabel: What the groups are, for the message (`subjects`, `levels of 'site'`).
  /// - Returns: The df per column.
  /// - Throws: `InferenceError.unsupported` when either df is not positive (as many between
  ///   columns as groups, say): no t or F test could use it.
  static func betweenWithinDF(
    within: [Bool], groups: Int, observations: Int, groupLabel: String
  ) throws -> [Double] {
    let pWithin = within.filter { $0 }.count
    let pBetween = within.count - pWithin
    let between = groups - pBetween
    let withinDF = observations - groups - pWithin
    if pBetween > 0 && between <= 0 {
      throw InferenceError.unsupported(
        method: "between-within df",
        reason: "\(groups) \(groupLabel) leave \(between) df for the \(pBetween) coefficients "
          + "constant within them; use residual, satterthwaite or kenward-roger df")
    }
    if pWithin > 0 && withinDF <= 0 {
      throw InferenceError.unsupported(
        method: "between-within df",
        reason: "\(observations) observations in \(groups) \(groupLabel) leave \(withinDF) df "
          + "for the \(pWithin) coefficients varying within them; use residual, satterthwaite "
          + "or kenward-roger df")
    }
    return within.map { Double($0 ? withinDF : between) }
  }

  /// The estimate, SE and df of `l'β`.
  /// - Parameter l: One weight per coefficient.
  /// - Returns: The estimate.
  public func estimate(_ l: [Double]) -> ContrastEstimate {
    precondition(l.count == coefficients.count, "one weight per coefficient")
    let value = zip(l, coefficients).reduce(0) { $0 + $1.0 * $1.1 }
    let se = covariance.quadraticForm(l, l).squareRoot()
    return ContrastEstimate(estimate: value, standardError: se, df: degreesOfFreedom(l))
  }

  /// The df of `l'β` under the method.
  /// - Parameter l: One weight per coefficient.
  /// - Returns: The df.
  public func degreesOfFreedom(_ l: [Double]) -> Double {
    switch method {
    case .residual:
      return residualDF
    case .betweenWithin:
      return l.indices.filter { abs(l[$0]) > 1e-12 }.map { coefficientDF[$0] }.min() ?? residualDF
    case .satterthwaite:
      guard let satterthwaite else { return .nan }
      return satterthwaite.degreesOfFreedom(l, vcov: covariance)
    case .kenwardRoger, .kenwardRogerLinear:
      guard let kenwardRoger else { return .nan }
      return kenwardRoger.statistics(Matrix(rows: [l])).df
    }
  }

  /// Per-coefficient t tests (lmerTest's summary table).
  /// - Returns: One estimate per coefficient.
  public func coefficientTests() -> [ContrastEstimate] {
    coefficients.indices.map { j in
      var l = [Double](repeating: 0, count: coefficients.count)
      l[j] = 1
      return estimate(l)
    }
  }

  /// The F test of `Lβ = 0`.
  /// - Parameter l: Hypothesis rows, each with one weight per coefficient.
  /// - Returns: The test (numerator df = rank of L).
  public func test(_ l: [[Double]]) -> FTest {
    precondition(!l.isEmpty, "at least one hypothesis row")
    let beta = coefficients
    // Independent directions of L C Lᵀ (lmerTest's contestMD): eigenvalues above √ε·d₁.
    let lMatrix = Matrix(rows: l)
    let vl = lMatrix.multiplied(by: covariance).multiplied(by: lMatrix.transposed)
    let (values, vectors) = vl.jacobiEigen()
    let tolerance = max(Double.ulpOfOne.squareRoot() * (values.first ?? 0), 0)
    let q = values.filter { $0 > tolerance }.count
    guard q > 0 else { return FTest(numeratorDF: 0, denominatorDF: .nan, fValue: .nan) }
    let rotated = (0..<q).map { m in
      (0..<beta.count).map { j in l.indices.reduce(0) { $0 + vectors[$1, m] * l[$1][j] } }
    }
    let t2 = (0..<q).map { m -> Double in
      let e = zip(rotated[m], beta).reduce(0) { $0 + $1.0 * $1.1 }
      return e * e / values[m]
    }
    let wald = t2.reduce(0, +) / Double(q)
    switch method {
    case .residual, .betweenWithin:
      let df = rotated.map(degreesOfFreedom).min() ?? residualDF
      return FTest(numeratorDF: q, denominatorDF: df, fValue: wald)
    case .satterthwaite:
      let nu = rotated.map(degreesOfFreedom)
      return FTest(numeratorDF: q, denominatorDF: combinedFDegreesOfFreedom(nu), fValue: wald)
    case .kenwardRoger, .kenwardRogerLinear:
      guard let kenwardRoger else {
        return FTest(numeratorDF: q, denominatorDF: .nan, fValue: .nan)
      }
      let stats = kenwardRoger.statistics(Matrix(rows: rotated))
      return FTest(numeratorDF: q, denominatorDF: stats.df, fValue: wald * stats.scaling)
    }
  }
}
