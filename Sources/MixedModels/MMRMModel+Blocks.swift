import Foundation
import LinearAlgebra

/// A set of subjects whose marginal covariance V_i is the same function of the covariance
/// parameters: a whole visit pattern without random effects, one subject with them.
package struct MMRMCovarianceBlock: Sendable {
  /// Covariance group (0 without groups).
  package let group: Int
  /// Visit positions, increasing (m of them).
  package let visits: [Int]
  /// Rows of the frame per subject, in visit order.
  package let subjectRows: [[Int]]
  /// Pattern index and subject index within it (for the random-effects design).
  let pattern: Int
  let subject: Int?
}

extension MMRMModel {
  /// The blocks of V for inference (see `MMRMCovarianceBlock`).
  package var covarianceBlocks: [MMRMCovarianceBlock] {
    var blocks: [MMRMCovarianceBlock] = []
    for (index, pattern) in patterns.enumerated() {
      let m = pattern.visits.count
      let rows = (0..<pattern.subjectCount).map { j in Array(pattern.rows[(j * m)..<((j + 1) * m)])
      }
      if randomEffectCount == 0 {
        blocks.append(
          MMRMCovarianceBlock(
            group: pattern.group, visits: pattern.visits, subjectRows: rows, pattern: index,
            subject: nil))
      } else {
        for j in 0..<pattern.subjectCount {
          blocks.append(
            MMRMCovarianceBlock(
              group: pattern.group, visits: pattern.visits, subjectRows: [rows[j]],
              pattern: index, subject: j))
        }
      }
    }
    return blocks
  }

  /// V of a block, m × m column-major: Σ over its visits, plus Z Λ Λᵀ Zᵀ with random effects.
  /// - Parameters:
  ///   - block: The block.
  ///   - parameters: θ (random effects, if any) then φ.
  /// - Returns: V, or nil where the covariance is not finite.
  package func marginalCovariance(_ block: MMRMCovarianceBlock, parameters: [Double]) -> [Double]? {
    let t = covariance.visitCount
    let perGroup = covariance.parametersPerGroup
    let phi = Array(parameters.dropFirst(thetaCount))
    var full = [Double](repeating: 0, count: t * t)
    covariance.fill(
      &full, phi: Array(phi[(block.group * perGroup)..<((block.group + 1) * perGroup)]))
    guard full.allSatisfy(\.isFinite) else { return nil }
    let m = block.visits.count
    var v = [Double](repeating: 0, count: m * m)
    for (c, vc) in block.visits.enumerated() {
      for (r, vr) in block.visits.enumerated() { v[r + c * m] = full[vr + vc * t] }
    }
    if let j = block.subject {
      let q = randomEffectCount
      let pattern = patterns[block.pattern]
      let k = pattern.subjectCount
      let lambda = randomEffectsFactor(theta: Array(parameters.prefix(thetaCount)))
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

extension MMRMModel {
  /// The same model with another covariance structure over the same visits (the structure a
  /// fallback fit ended with).
  /// - Parameter covariance: The structure.
  /// - Returns: The model.
  package func replacingCovariance(_ covariance: ResidualCovariance) -> MMRMModel {
    var model = self
    model.covariance = covariance
    return model
  }
}
