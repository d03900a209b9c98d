import Formulas
import Foundation
import LinearAlgebra

/// A residual covariance structure over a fixed set of visits: how unconstrained parameters φ
/// map to the visit-by-visit covariance matrix Σ(φ) of one subject's observations.
///
/// Every map is onto the positive definite matrices of the structure, so the optimiser can
/// search all of ℝᵏ without constraints (mmrm's and SAS's convention of an unconstrained
/// scale). Per group (`us(visit | arm / subject)` has one block of φ per arm), φ is laid out as
/// log standard deviations first (one, or one per visit for the heterogeneous structures,
/// `us` excepted), then the correlation parameters:
///
///     us        Σ = L Lᵀ, L lower triangular: diag(L) = exp(φ₁…φ_T), then the
///               strictly-lower entries of L column by column (log-Cholesky)
///     ar1, ar1h Σ_ij = σ_i σ_j ρ^|i−j|,  ρ = φ/√(1+φ²)
///     cs, csh   Σ_ij = σ_i σ_j ρ (i ≠ j),  ρ = −1/(T−1) + (1 + 1/(T−1)) · logistic(φ)
///     toep(h)   Σ_ij = σ_i σ_j ρ_|i−j|, ρ_k from the partial autocorrelations
///               π_k = φ_k/√(1+φ_k²) by the Durbin–Levinson recursion
///     ad, adh   Σ_ij = σ_i σ_j Π_{k=i}^{j−1} ρ_k,  ρ_k = φ_k/√(1+φ_k²)
///     sp_exp    Σ_ij = σ² ρ^|t_i − t_j|,  ρ = logistic(φ)
///
/// Visit indices i, j are positions in the visit order (a subject missing a visit keeps the
/// others' positions: Σ_i is the sub-matrix of Σ on the visits it has, never imputed).
/// Invariant: `coordinates.count == visitLabels.count`.
public struct ResidualCovariance: Sendable, Equatable {
  /// The structure.
  public let structure: CovarianceStructure
  /// Visit labels in visit order.
  public let visitLabels: [String]
  /// Numeric time of each visit (used by `sp_exp` only).
  public let coordinates: [Double]
  /// Group labels for group-specific parameters; empty when all subjects share Σ.
  public let groupLabels: [String]

  /// Creates a structure over the given visits.
  /// - Parameters:
  ///   - structure: The structure.
  ///   - visitLabels: Visit labels in order.
  ///   - coordinates: Numeric times of the visits (`sp_exp`).
  ///   - groupLabels: Groups with separate parameters (empty for none).
  public init(
    structure: CovarianceStructure, visitLabels: [String], coordinates: [Double],
    groupLabels: [String] = []
  ) {
    precondition(coordinates.count == visitLabels.count, "ResidualCovariance: coordinates")
    self.structure = structure
    self.visitLabels = visitLabels
    self.coordinates = coordinates
    self.groupLabels = groupLabels
  }

  /// T, the number of visits.
  public var visitCount: Int { visitLabels.count }
  /// Number of groups with their own parameters (1 without groups).
  public var groupCount: Int { max(1, groupLabels.count) }

  /// Number of standard-deviation parameters per group.
  var scaleCount: Int {
    switch structure {
    case .us: 0
    case .ar1, .cs, .toep, .ad, .spExp: 1
    case .ar1h, .csh, .toeph, .adh: visitCount
    }
  }

  /// Number of parameters per group.
  public var parametersPerGroup: Int {
    let t = visitCount
    switch structure {
    case .us: return t * (t + 1) / 2
    case .ar1, .ar1h, .cs, .csh, .spExp: return scaleCount + 1
    case .toep, .toeph, .ad, .adh: return scaleCount + max(t - 1, 0)
    }
  }

  /// Total number of parameters φ.
  public var parameterCount: Int { parametersPerGroup * groupCount }

  /// Σ(φ) of one group, T×T.
  /// - Parameters:
  ///   - phi: All parameters (every group's block).
  ///   - group: The group (0 without groups).
  /// - Returns: The covariance matrix over all visits.
  public func matrix(phi: [Double], group: Int = 0) -> Matrix {
    let t = visitCount
    var sigma = Matrix(rows: t, columns: t)
    let base = group * parametersPerGroup
    let block = Array(phi[base..<(base + parametersPerGroup)])
    fill(&sigma.storage, phi: block)
    return sigma
  }

  /// Writes Σ(φ) of one group's parameter block into `out` (T×T, column-major).
  func fill(_ out: inout [Double], phi: [Double]) {
    let t = visitCount
    if structure == .us {
      // L with exp on the diagonal, then Σ = L Lᵀ.
      var l = [Double](repeating: 0, count: t * t)
      var k = t
      for j in 0..<t {
        l[j + j * t] = exp(phi[j])
        for i in (j + 1)..<max(j + 1, t) {
          l[i + j * t] = phi[k]
          k += 1
        }
      }
      for j in 0..<t {
        for i in j..<t {
          var s = 0.0
          for c in 0...j { s += l[i + c * t] * l[j + c * t] }
          out[i + j * t] = s
          out[j + i * t] = s
        }
      }
      return
    }
    let sd: [Double] =
      scaleCount == 1
      ? [Double](repeating: exp(phi[0]), count: t) : (0..<t).map { exp(phi[$0]) }
    let c = Array(phi[scaleCount...])
    let correlation = correlationFunction(c)
    for j in 0..<t {
      out[j + j * t] = sd[j] * sd[j]
      for i in (j + 1)..<max(j + 1, t) {
        let v = sd[i] * sd[j] * correlation(j, i)
        out[i + j * t] = v
        out[j + i * t] = v
      }
    }
  }

  /// The correlation between visit positions i < j, given the correlation parameters.
  private func correlationFunction(_ c: [Double]) -> (Int, Int) -> Double {
    let t = visitCount
    switch structure {
    case .ar1, .ar1h:
      let rho = Self.odd(c[0])
      return { i, j in Self.power(rho, j - i) }
    case .cs, .csh:
      let rho = Self.compoundSymmetryCorrelation(c[0], visits: t)
      return { _, _ in rho }
    case .toep, .toeph:
      let rho = Self.autocorrelations(partial: c.map(Self.odd))
      return { i, j in rho[j - i - 1] }
    case .ad, .adh:
      let rho = c.map(Self.odd)
      return { i, j in
        var r = 1.0
        for k in i..<j { r *= rho[k] }
        return r
      }
    case .spExp:
      let rho = Self.logistic(c[0])
      let coordinates = self.coordinates
      return { i, j in pow(rho, abs(coordinates[j] - coordinates[i])) }
    case .us:
      preconditionFailure("us has no correlation function")
    }
  }

  // MARK: - Maps

  /// `x/√(1+x²)`: ℝ → (−1, 1), odd and increasing.
  static func odd(_ x: Double) -> Double { x / (1 + x * x).squareRoot() }

  /// Inverse of `odd`.
  static func inverseOdd(_ r: Double) -> Double { r / (1 - r * r).squareRoot() }

  /// `1/(1+e^−x)`.
  static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

  /// `x^k` for a whole k ≥ 0 by repeated multiplication (exact for ρ^0 = 1).
  static func power(_ x: Double, _ k: Int) -> Double {
    var r = 1.0
    for _ in 0..<k { r *= x }
    return r
  }

  /// The compound-symmetry correlation, in (−1/(T−1), 1) so that Σ is positive definite.
  static func compoundSymmetryCorrelation(_ x: Double, visits t: Int) -> Double {
    let lower = t > 1 ? -1 / Double(t - 1) : -1
    return lower + (1 - lower) * logistic(x)
  }

  /// Autocorrelations ρ₁…ρ_K of the stationary process with partial autocorrelations
  /// π₁…π_K (Durbin–Levinson): any π in (−1, 1)ᴷ gives a positive definite Toeplitz matrix.
  static func autocorrelations(partial: [Double]) -> [Double] {
    var rho: [Double] = []
    var a: [Double] = []  // AR coefficients of order k − 1
    var v = 1.0  // innovation variance of order k − 1
    for pi in partial {
      let k = a.count + 1
      var predicted = 0.0
      for j in 0..<a.count { predicted += a[j] * rho[k - 2 - j] }
      rho.append(predicted + pi * v)
      var next = a
      for j in 0..<a.count { next[j] = a[j] - pi * a[a.count - 1 - j] }
      next.append(pi)
      a = next
      v *= 1 - pi * pi
    }
    return rho
  }
}
