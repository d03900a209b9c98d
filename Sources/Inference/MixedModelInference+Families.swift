import LinearAlgebra

extension MixedModelInference {
  /// The correlation matrix of the estimates `l_kᵀβ̂` of a family of contrasts.
  ///
  ///     R_jk = l_jᵀ C l_k / √(l_jᵀ C l_j · l_kᵀ C l_k)
  ///
  /// with `C` the covariance used for the standard errors (Φ_A under Kenward–Roger), as
  /// emmeans' `cov2cor(vcov(contrast))`.
  /// - Parameter rows: One weight vector per contrast, each with one weight per coefficient.
  /// - Returns: The symmetric correlation matrix with unit diagonal.
  public func correlation(_ rows: [[Double]]) -> [[Double]] {
    let covariances = rows.map { a in rows.map { b in covariance.quadraticForm(a, b) } }
    let sd = rows.indices.map { covariances[$0][$0].squareRoot() }
    return rows.indices.map { j in
      rows.indices.map { k in j == k ? 1 : covariances[j][k] / (sd[j] * sd[k]) }
    }
  }
}
