import LinearAlgebra

/// Residual diagnostics of an MMRM fit, one value per row of the model frame.
///
/// The fitted values are marginal (`Xβ̂`, no random effects); the normalized residuals are
/// the raw residuals of each subject premultiplied by `L_i⁻¹`, where `V_i = L_i L_iᵀ` is the
/// lower Cholesky factor of the subject's marginal covariance over the visits it has (in visit
/// order). Under the model they are independent with unit variance, so a QQ plot of them
/// checks normality without the within-subject correlation getting in the way: nlme's
/// `residuals(gls_fit, type = "normalized")` and mmrm's `residuals(fit, type = "normalized")`.
public struct MMRMResiduals: Sendable, Equatable {
  /// `Xβ̂` per row.
  public let fitted: [Double]
  /// `y − Xβ̂` per row.
  public let raw: [Double]
  /// `L_i⁻¹(y_i − X_iβ̂)` per row (each subject's rows whitened together).
  public let normalized: [Double]
}

extension MMRMModel {
  /// `Xβ` per row.
  /// - Parameter beta: Fixed effects, one per column of `X`.
  /// - Returns: The marginal fitted values.
  public func marginalFitted(beta: [Double]) -> [Double] { X.rowSums(times: beta) }

  /// The fitted values and raw and normalized residuals of `fit`, in the frame's row order.
  ///
  /// The covariance is the one the fit ended with (`fit.model`'s, which differs from this
  /// model's after a covariance fallback), at the fit's parameters θ̂ then φ̂.
  /// - Parameter fit: A fit of this model (or of the model with another structure over the
  ///   same visits).
  /// - Returns: The residuals, or nil when some subject's covariance is not positive definite.
  public func residuals(of fit: MMRMFit) -> MMRMResiduals? {
    let model = fit.model
    let n = observationCount
    let fitted = marginalFitted(beta: fit.fixedEffects)
    let raw = (0..<n).map { response[$0] - fitted[$0] }
    var normalized = [Double](repeating: .nan, count: n)
    let parameters = fit.theta + fit.phi
    for block in model.covarianceBlocks {
      let m = block.dimension
      guard var v = model.marginalCovariance(block, parameters: parameters) else { return nil }
      // Lower Cholesky factor in place (column-major m × m).
      let factored = v.withUnsafeMutableBufferPointer { buffer -> Bool in
        guard let base = buffer.baseAddress else { return m == 0 }
        return choleskyLower(base, m)
      }
      guard factored else { return nil }
      for rows in block.subjectRows {
        // Forward substitution L z = r.
        var z = rows.map { raw[$0] }
        for i in 0..<m {
          var s = z[i]
          for k in 0..<i { s -= v[i + k * m] * z[k] }
          z[i] = s / v[i + i * m]
        }
        for (r, row) in rows.enumerated() { normalized[row] = z[r] }
      }
    }
    return MMRMResiduals(fitted: fitted, raw: raw, normalized: normalized)
  }
}
