import Foundation
import LinearAlgebra

/// A set of independent units whose marginal covariance V is the same function of the
/// covariance parameters: a whole visit pattern without random effects, one subject with
/// subject-level random effects, one cluster (all its subjects' rows) with cluster-level ones.
package struct MMRMCovarianceBlock: Sendable {
  /// Covariance group (0 without groups; the first subject's for a cluster).
  package let group: Int
  /// Visit positions, increasing (m of them); empty for a cluster.
  package let visits: [Int]
  /// Rows of the frame per unit, in V's order (visit order within a subject; a cluster is one
  /// unit: its subjects one after the other).
  package let subjectRows: [[Int]]
  /// The order of V (rows per unit).
  package let dimension: Int
  /// Pattern index and subject index within it (for the random-effects design).
  let pattern: Int
  let subject: Int?
  /// For a cluster: its subjects as (pattern, subject within pattern), in V's order.
  let members: [Member]
  /// Whether the block is a cluster (one unit of several subjects).
  package var isCluster: Bool { !members.isEmpty }

  /// One subject of a cluster.
  struct Member: Sendable {
    let pattern: Int
    let subject: Int
  }
}

extension MMRMModel {
  /// The blocks of V for inference (see `MMRMCovarianceBlock`).
  package var covarianceBlocks: [MMRMCovarianceBlock] {
    var blocks: [MMRMCovarianceBlock] = []
    if clusterEffectCount > 0 {
      var members = [[MMRMCovarianceBlock.Member]](repeating: [], count: clusterCount)
      var rows = [[Int]](repeating: [], count: clusterCount)
      var groups = [Int](repeating: 0, count: clusterCount)
      for (index, pattern) in patterns.enumerated() {
        let m = pattern.visits.count
        groups[pattern.cluster] = pattern.group
        for j in 0..<pattern.subjectCount {
          members[pattern.cluster].append(.init(pattern: index, subject: j))
          rows[pattern.cluster] += pattern.rows[(j * m)..<((j + 1) * m)]
        }
      }
      for c in 0..<clusterCount where !rows[c].isEmpty {
        blocks.append(
          MMRMCovarianceBlock(
            group: groups[c], visits: [], subjectRows: [rows[c]], dimension: rows[c].count,
            pattern: 0, subject: nil, members: members[c]))
      }
      return blocks
    }
    for (index, pattern) in patterns.enumerated() {
      let m = pattern.visits.count
      let rows = (0..<pattern.subjectCount).map { j in Array(pattern.rows[(j * m)..<((j + 1) * m)])
      }
      if randomEffectCount == 0 {
        blocks.append(
          MMRMCovarianceBlock(
            group: pattern.group, visits: pattern.visits, subjectRows: rows, dimension: m,
            pattern: index, subject: nil, members: []))
      } else {
        for j in 0..<pattern.subjectCount {
          blocks.append(
            MMRMCovarianceBlock(
              group: pattern.group, visits: pattern.visits, subjectRows: [rows[j]],
              dimension: m, pattern: index, subject: j, members: []))
        }
      }
    }
    return blocks
  }

  /// The rows of every subject, in visit order (subjects by pattern).
  package var rowsBySubject: [[Int]] {
    patterns.flatMap { pattern in
      let m = pattern.visits.count
      return (0..<pattern.subjectCount).map { j in Array(pattern.rows[(j * m)..<((j + 1) * m)]) }
    }
  }

  /// V of a block, column-major (`dimension` × `dimension`): Σ over its visits, plus
  /// Z Λ Λᵀ Zᵀ with subject-level random effects; for a cluster, its subjects' V_i on the
  /// diagonal plus U Λ_c Λ_cᵀ Uᵀ.
  /// - Parameters:
  ///   - block: The block.
  ///   - parameters: θ (random effects, if any) then φ.
  /// - Returns: V, or nil where the covariance is not finite.
  package func marginalCovariance(_ block: MMRMCovarianceBlock, parameters: [Double]) -> [Double]? {
    let t = covariance.visitCount
    let perGroup = covariance.parametersPerGroup
    let phi = Array(parameters.dropFirst(thetaCount))
    let theta = Array(parameters.prefix(thetaCount))
    var fulls: [[Double]] = []
    for g in 0..<covariance.groupCount {
      var full = [Double](repeating: 0, count: t * t)
      covariance.fill(&full, phi: Array(phi[(g * perGroup)..<((g + 1) * perGroup)]))
      guard full.allSatisfy(\.isFinite) else { return nil }
      fulls.append(full)
    }
    let lambda = randomEffectsFactor(theta: theta, clusterLevel: false)
    if block.members.isEmpty {
      let pattern = patterns[block.pattern]
      return subjectCovariance(
        pattern: pattern, subject: block.subject, sigma: fulls[pattern.group], lambda: lambda)
    }
    let n = block.dimension
    let qc = clusterEffectCount
    let clusterLambda = randomEffectsFactor(theta: theta, clusterLevel: true)
    var v = [Double](repeating: 0, count: n * n)
    var ul = [Double](repeating: 0, count: n * qc)  // U Λ_c, n × qc
    var offset = 0
    for member in block.members {
      let pattern = patterns[member.pattern]
      let m = pattern.visits.count
      let k = pattern.subjectCount
      let vi = subjectCovariance(
        pattern: pattern, subject: subjectEffectCount > 0 ? member.subject : nil,
        sigma: fulls[pattern.group], lambda: lambda)
      for c in 0..<m {
        for r in 0..<m { v[(offset + r) + (offset + c) * n] = vi[r + c * m] }
      }
      for col in 0..<qc {
        for r in 0..<m {
          var s = 0.0
          for c2 in col..<qc {
            s += pattern.data[(c2 * k + member.subject) * m + r] * clusterLambda[c2 + col * qc]
          }
          ul[(offset + r) + col * n] = s
        }
      }
      offset += m
    }
    for c in 0..<n {
      for r in 0..<n {
        var s = 0.0
        for l in 0..<qc { s += ul[r + l * n] * ul[c + l * n] }
        v[r + c * n] += s
      }
    }
    return v
  }

  /// V_i of one subject of a pattern (m × m column-major), or Σ over the pattern's visits when
  /// `subject` is nil.
  private func subjectCovariance(
    pattern: Pattern, subject j: Int?, sigma full: [Double], lambda: [Double]
  ) -> [Double] {
    let t = covariance.visitCount
    let m = pattern.visits.count
    var v = [Double](repeating: 0, count: m * m)
    for (c, vc) in pattern.visits.enumerated() {
      for (r, vr) in pattern.visits.enumerated() { v[r + c * m] = full[vr + vc * t] }
    }
    guard let j else { return v }
    let q = subjectEffectCount
    let k = pattern.subjectCount
    // ZΛ, m × q.
    var zl = [Double](repeating: 0, count: m * q)
    for col in 0..<q {
      for r in 0..<m {
        var s = 0.0
        for c2 in 0..<q { s += pattern.randomData[(c2 * k + j) * m + r] * lambda[c2 + col * q] }
        zl[r + col * m] = s
      }
    }
    for c in 0..<m {
      for r in 0..<m {
        var s = 0.0
        for l in 0..<q { s += zl[r + l * m] * zl[c + l * m] }
        v[r + c * m] += s
      }
    }
    return v
  }

  /// `(Σ X_iᵀV_i⁻¹X_i)⁻¹` at the given covariance parameters.
  /// - Parameter parameters: θ (random effects, if any) then φ.
  /// - Returns: The p × p covariance of β̂, or nil where V or `XᵀV⁻¹X` is not positive definite.
  package func fixedEffectsCovariance(parameters: [Double]) -> Matrix? {
    guard let (_, l) = crossProducts(parameters: parameters) else { return nil }
    let p = fixedEffectCount
    var lxx = Matrix(rows: p, columns: p)
    for j in 0..<p {
      for i in j..<p { lxx.storage[i + j * p] = l[i, j] }
    }
    return try? lxx.inverseFromCholesky()
  }
}
