import CLinearAlgebra

/// BLAS on raw column-major buffers, for the hand-written per-level kernels of other modules
/// (such as the PLS kernel in `MixedModels`) that work on pointers into one preallocated
/// buffer: `CLinearAlgebra` stays visible to this module only.
package enum PointerBLAS {
  /// Lower triangle of `C := alpha · A · Aᵀ + beta · C`, with A n × k (leading dimension `lda`)
  /// and C n × n (leading dimension `ldc`); C's strict upper triangle is left untouched.
  /// - Precondition: `n`, `k`, `lda` and `ldc` fit in 32 bits.
  @inline(__always)
  package static func symmetricRankUpdateLower(
    n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int, beta: Double,
    c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    trj_dsyrk_lower(0, Int32(n), Int32(k), alpha, a, Int32(lda), beta, c, Int32(ldc))
  }
}
