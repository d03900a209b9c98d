import Formulas
import Foundation
import LinearAlgebra

extension MMRMModel {
  /// Λ (q×q column-major, block diagonal over the terms, each block lower triangular) from θ.
  /// - Parameters:
  ///   - theta: θ of all terms.
  ///   - clusterLevel: nil for all terms, true for the cluster-level terms only, false for the
  ///     subject-level ones only (q is then the count of those terms' columns).
  /// - Returns: Λ, q × q column-major.
  func randomEffectsFactor(theta: [Double], clusterLevel: Bool? = nil) -> [Double] {
    let selected = randomTerms.map { term in clusterLevel.map { $0 == term.isClusterLevel } ?? true
    }
    let q = zip(randomTerms, selected).filter(\.1).reduce(0) { $0 + $1.0.columnNames.count }
    var lambda = [Double](repeating: 0, count: q * q)
    var offset = 0
    var index = 0
    for (term, isSelected) in zip(randomTerms, selected) {
      let qt = term.columnNames.count
      guard isSelected else {
        index += term.thetaCount
        continue
      }
      for j in 0..<qt {
        for i in j..<qt {
          lambda[(offset + i) + (offset + j) * q] = theta[index]
          index += 1
        }
      }
      offset += qt
    }
    return lambda
  }

  /// Starting θ: Λ diagonal at half the least-squares SD, no correlation.
  func randomEffectsStart(sd: Double) -> [Double] {
    randomTerms.flatMap { term -> [Double] in
      let qt = term.columnNames.count
      var theta: [Double] = []
      for j in 0..<qt {
        for i in j..<qt { theta.append(i == j ? 0.5 * sd : 0) }
      }
      return theta
    }
  }

  /// SDs and correlations of G = ΛΛᵀ per term.
  func randomEffectsComponents(theta: [Double]) -> [VarianceComponent] {
    let q = randomEffectCount
    let lambda = randomEffectsFactor(theta: theta)
    var offset = 0
    return randomTerms.map { term in
      let qt = term.columnNames.count
      var g = [Double](repeating: 0, count: qt * qt)
      for i in 0..<qt {
        for j in 0..<qt {
          var s = 0.0
          for c in 0..<q { s += lambda[(offset + i) + c * q] * lambda[(offset + j) + c * q] }
          g[i * qt + j] = s
        }
      }
      offset += qt
      return VarianceComponent(
        groupName: term.groupName, columnNames: term.columnNames, covariance: g)
    }
  }

  /// Replaces `ŴᵀŴ` (already in `a`) by `[X y]ᵀV⁻¹[X y]` for a pattern's subjects and returns
  /// `Σ_j log|M_j|` (see `crossProducts`), or nil when some M_j is not positive definite.
  /// - Parameters:
  ///   - whitenedZ: L⁻¹Z, m × k·q, column `l·k + j` is column l of subject j.
  ///   - whitenedData: L⁻¹[X y], m × k(p+1), same layout.
  ///   - lambda: Λ, q × q.
  ///   - k: Subjects in the pattern.
  ///   - m: Visits in the pattern.
  ///   - q: Random effects per subject.
  ///   - width: p + 1.
  ///   - a: The cross-products (lower triangle).
  /// - Returns: `Σ_j log|M_j|`, or nil when some M_j is not positive definite.
  static func removeRandomEffects(
    whitenedZ: Matrix, whitenedData: Matrix, lambda: [Double], subjects k: Int, visits m: Int,
    q: Int, width: Int, from a: inout Matrix
  ) -> Double? {
    var logDet = 0.0
    var zhat = [Double](repeating: 0, count: m * q)
    var factor = [Double](repeating: 0, count: q * q)
    var c = Matrix(rows: k * q, columns: width)
    let z = whitenedZ.elements
    let w = whitenedData.elements
    for j in 0..<k {
      // Ẑ = (L⁻¹Z_j) Λ.
      for col in 0..<q {
        for r in 0..<m {
          var s = 0.0
          for c2 in col..<q { s += z[(c2 * k + j) * m + r] * lambda[c2 + col * q] }
          zhat[r + col * m] = s
        }
      }
      // M = I + ẐᵀẐ and its Cholesky factor (lower, in place).
      for col in 0..<q {
        for row in col..<q {
          var s = row == col ? 1.0 : 0.0
          for r in 0..<m { s += zhat[r + row * m] * zhat[r + col * m] }
          factor[row + col * q] = s
        }
      }
      guard Self.choleskyInPlace(&factor, order: q, addingLogDeterminantTo: &logDet) else {
        return nil
      }
      // C = L_M⁻¹ ẐᵀŴ_j, one column of [X y] at a time, into rows j·q ..< (j+1)·q.
      for l in 0..<width {
        var b = [Double](repeating: 0, count: q)
        for row in 0..<q {
          var s = 0.0
          for r in 0..<m { s += zhat[r + row * m] * w[(l * k + j) * m + r] }
          for c2 in 0..<row { s -= factor[row + c2 * q] * b[c2] }
          b[row] = s / factor[row + row * q]
        }
        for row in 0..<q { c.storage[(j * q + row) + l * (k * q)] = b[row] }
      }
    }
    a.symmetricRankUpdate(c, transpose: true, alpha: -1)
    return logDet
  }
}

extension MMRMModel {
  /// Adds one cluster's `[X y]ᵀV_c⁻¹[X y]` to `a` and returns `log|M_c|` (see
  /// `crossProducts`), or nil when M_c is not positive definite.
  /// - Parameters:
  ///   - s: `S_c = Σ_{i∈c} [U X y]_iᵀV_i⁻¹[U X y]_i`, width × width, lower triangle.
  ///   - lambda: Λ_c, q × q.
  ///   - q: Cluster-level random effects.
  ///   - width: q + p + 1.
  ///   - a: The cross-products of `[X y]`, (p+1) × (p+1), lower triangle.
  /// - Returns: `log|M_c|`, or nil.
  static func removeClusterEffects(
    _ s: Matrix, lambda: [Double], q: Int, width: Int, into a: inout Matrix
  ) -> Double? {
    let p1 = width - q
    let e = s.elements
    func sv(_ i: Int, _ j: Int) -> Double { i >= j ? e[i + j * width] : e[j + i * width] }
    // M = I + ΛᵀS_UUΛ (lower triangle), then its Cholesky factor in place.
    var sl = [Double](repeating: 0, count: q * q)  // S_UU Λ
    for j in 0..<q {
      for i in 0..<q {
        var v = 0.0
        for c in j..<q { v += sv(i, c) * lambda[c + j * q] }
        sl[i + j * q] = v
      }
    }
    var factor = [Double](repeating: 0, count: q * q)
    for j in 0..<q {
      for i in j..<q {
        var v = i == j ? 1.0 : 0.0
        for c in i..<q { v += lambda[c + i * q] * sl[c + j * q] }
        factor[i + j * q] = v
      }
    }
    var logDet = 0.0
    guard Self.choleskyInPlace(&factor, order: q, addingLogDeterminantTo: &logDet) else {
      return nil
    }
    // B = L_M⁻¹ Λᵀ S_U,[X y], q × (p+1).
    var b = [Double](repeating: 0, count: q * p1)
    for l in 0..<p1 {
      for row in 0..<q {
        var v = 0.0
        for c in row..<q { v += lambda[c + row * q] * sv(c, q + l) }
        for c2 in 0..<row { v -= factor[row + c2 * q] * b[c2 + l * q] }
        b[row + l * q] = v / factor[row + row * q]
      }
    }
    for j in 0..<p1 {
      for i in j..<p1 {
        var v = sv(q + i, q + j)
        for c in 0..<q { v -= b[c + i * q] * b[c + j * q] }
        a.storage[i + j * p1] += v
      }
    }
    return logDet
  }
}

/// How the random-effects terms of an MMRM sit relative to the covariance subject.
struct RandomEffectsLevels {
  /// Per frame term: grouped by the cluster factor (true) or by the subject (false).
  let clusterLevel: [Bool]
  /// The cluster factor, or nil.
  let factor: String?
  /// Number of clusters (levels of the cluster factor), 0 without one.
  let count: Int
  /// The cluster of each subject (index into the subject levels); 0 without clusters.
  let clusterOfSubject: [Int]
}

extension MMRMModel {
  /// Sorts the frame's random-effects terms into subject-level and cluster-level ones (see
  /// `init(frame:)`).
  /// - Throws: `FitError.randomEffectsGrouping` when a term's factor varies within a
  ///   subject, `.randomEffectsClusterFactors` when two cluster-level terms have different
  ///   factors.
  static func classify(frame: ModelFrame, covariance cov: CovarianceFrame) throws
    -> RandomEffectsLevels
  {
    let subjectName = cov.specification.subjectVariable
    let subjects = cov.subjectLevels.count
    var clusterLevel: [Bool] = []
    var factor: String?
    var clusterOfSubject = [Int](repeating: 0, count: subjects)
    var count = 0
    for term in frame.randomTerms {
      if term.factorName == subjectName {
        clusterLevel.append(false)
        continue
      }
      var levelOf = [Int32](repeating: -1, count: subjects)
      for (i, code) in term.levelIndex.enumerated() {
        let s = Int(cov.subjectIndex[i])
        if levelOf[s] < 0 {
          levelOf[s] = code
        } else if levelOf[s] != code {
          throw FitError.randomEffectsGrouping(term: term.text, subject: subjectName)
        }
      }
      var subjectsPerLevel = [Int](repeating: 0, count: term.levelCount)
      for level in levelOf where level >= 0 { subjectsPerLevel[Int(level)] += 1 }
      if subjectsPerLevel.allSatisfy({ $0 <= 1 }) {
        // One subject per level: the same grouping as the subject (such as `site:subject`).
        clusterLevel.append(false)
        continue
      }
      if let factor, factor != term.factorName {
        throw FitError.randomEffectsClusterFactors(
          term: term.text, factor: term.factorName, other: factor)
      }
      factor = term.factorName
      count = term.levelCount
      clusterOfSubject = levelOf.map { max(0, Int($0)) }
      clusterLevel.append(true)
    }
    return RandomEffectsLevels(
      clusterLevel: clusterLevel, factor: factor, count: count,
      clusterOfSubject: clusterOfSubject)
  }

  /// The lower Cholesky factor of a small q × q column-major matrix, in place
  /// (`choleskyLower`), adding `log|A| = 2 Σ log L_ii` to `logDeterminant` column by column.
  /// - Returns: false when the matrix is not positive definite.
  static func choleskyInPlace(
    _ a: inout [Double], order q: Int, addingLogDeterminantTo logDeterminant: inout Double
  ) -> Bool {
    let factored = a.withUnsafeMutableBufferPointer { buffer -> Bool in
      guard let base = buffer.baseAddress else { return q == 0 }
      return choleskyLower(base, q)
    }
    guard factored else { return false }
    for col in 0..<q { logDeterminant += 2 * log(a[col + col * q]) }
    return true
  }
}
