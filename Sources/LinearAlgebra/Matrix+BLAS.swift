import CLinearAlgebra

// MARK: - Dense operations through BLAS/LAPACK. Every dimension crosses the shim as Int32.

extension Matrix {
  /// Copies `other`'s elements into this matrix's existing storage (no reallocation when the
  /// storage is uniquely held), so workspaces can be refreshed without allocating.
  /// - Parameter other: A matrix of the same shape.
  public mutating func assign(from other: Matrix) {
    precondition(rows == other.rows && columns == other.columns, "assign: shape mismatch")
    storage.withUnsafeMutableBufferPointer { dst in
      other.storage.withUnsafeBufferPointer { src in
        guard let d = dst.baseAddress, let s = src.baseAddress else { return }
        d.update(from: s, count: src.count)
      }
    }
  }

  /// Sets every element to `value`.
  /// - Parameter value: The fill value.
  public mutating func fill(_ value: Double) {
    storage.withUnsafeMutableBufferPointer { buffer in
      for i in buffer.indices { buffer[i] = value }
    }
  }

  /// `self := alpha · op(a) · op(b) + beta · self` (BLAS `dgemm`).
  /// - Parameters:
  ///   - a: Left factor.
  ///   - transposeA: Use `aᵀ`.
  ///   - b: Right factor.
  ///   - transposeB: Use `bᵀ`.
  ///   - alpha: Scale of the product.
  ///   - beta: Scale of the current contents.
  public mutating func multiplyAdd(
    _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
    alpha: Double = 1, beta: Double = 1
  ) {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let kb = transposeB ? b.columns : b.rows
    let n = transposeB ? b.rows : b.columns
    precondition(k == kb && m == rows && n == columns, "multiplyAdd: shape mismatch")
    if m == 0 || n == 0 { return }
    if k == 0 {
      // BLAS semantics: with beta = 0 the old contents (even NaN) are not read.
      if beta == 0 {
        fill(0)
      } else if beta != 1 {
        for i in storage.indices { storage[i] *= beta }
      }
      return
    }
    let rows = self.rows
    storage.withUnsafeMutableBufferPointer { c in
      a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
          trj_dgemm(
            transposeA ? 1 : 0, transposeB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
            pa.baseAddress, Int32(max(1, a.rows)), pb.baseAddress, Int32(max(1, b.rows)), beta,
            c.baseAddress, Int32(max(1, rows)))
        }
      }
    }
  }

  /// The product `op(a) · op(b)`.
  /// - Parameters:
  ///   - a: Left factor.
  ///   - transposeA: Use `aᵀ`.
  ///   - b: Right factor.
  ///   - transposeB: Use `bᵀ`.
  /// - Returns: The product.
  public static func product(
    _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false
  ) -> Matrix {
    var c = Matrix(
      rows: transposeA ? a.columns : a.rows, columns: transposeB ? b.rows : b.columns)
    c.multiplyAdd(a, transposeA: transposeA, b, transposeB: transposeB, alpha: 1, beta: 0)
    return c
  }

  /// Symmetric rank-k update of the lower triangle (BLAS `dsyrk`).
  ///
  /// `self := alpha · a · aᵀ + beta · self`, or `aᵀ a` with `transpose`; the strict upper
  /// triangle is not touched.
  /// - Parameters:
  ///   - a: The factor.
  ///   - transpose: Use `aᵀ · a`.
  ///   - alpha: Scale of the product.
  ///   - beta: Scale of the current contents.
  public mutating func symmetricRankUpdate(
    _ a: Matrix, transpose: Bool = false, alpha: Double = 1, beta: Double = 1
  ) {
    let n = transpose ? a.columns : a.rows
    let k = transpose ? a.rows : a.columns
    precondition(rows == n && columns == n, "symmetricRankUpdate: shape mismatch")
    if n == 0 { return }
    if k == 0 {
      // dsyrk with an empty product still applies beta to the lower triangle.
      for j in 0..<n {
        for i in j..<n { storage[i + j * n] = beta == 0 ? 0 : beta * storage[i + j * n] }
      }
      return
    }
    storage.withUnsafeMutableBufferPointer { c in
      a.storage.withUnsafeBufferPointer { pa in
        trj_dsyrk_lower(
          transpose ? 1 : 0, Int32(n), Int32(k), alpha, pa.baseAddress, Int32(max(1, a.rows)),
          beta, c.baseAddress, Int32(max(1, n)))
      }
    }
  }

  /// Copies the lower triangle into the upper one.
  public mutating func symmetrizeFromLower() {
    precondition(rows == columns, "symmetrizeFromLower: not square")
    for j in 0..<columns {
      for i in (j + 1)..<max(j + 1, rows) { storage[j + i * rows] = storage[i + j * rows] }
    }
  }

  /// Sets the strict upper triangle to zero.
  public mutating func zeroStrictUpper() {
    for j in 0..<columns {
      for i in 0..<min(j, rows) { storage[i + j * rows] = 0 }
    }
  }

  /// Replaces the lower triangle by its Cholesky factor `L` (`self = L Lᵀ`), zeroing the upper.
  /// - Throws: `LinearAlgebraError.notPositiveDefinite` naming the failing leading minor.
  /// - Complexity: O(n³ / 3).
  public mutating func choleskyLowerInPlace() throws {
    precondition(rows == columns, "Cholesky of a non-square matrix")
    let n = rows
    if n == 0 { return }
    let info = storage.withUnsafeMutableBufferPointer { a in
      trj_dpotrf_lower(Int32(n), a.baseAddress, Int32(n))
    }
    if let error = LinearAlgebraError.check(info, routine: "dpotrf") { throw error }
    zeroStrictUpper()
  }

  /// `self := self · L⁻ᵀ` for lower-triangular `l` (BLAS `dtrsm`, right side, transposed).
  /// - Parameter l: A nonsingular lower-triangular matrix with `columns` rows.
  public mutating func solveRightLowerTransposed(_ l: Matrix) {
    precondition(l.rows == columns && l.columns == columns, "solveRightLowerTransposed: shape")
    if rows == 0 || columns == 0 { return }
    let rows = self.rows
    storage.withUnsafeMutableBufferPointer { b in
      l.storage.withUnsafeBufferPointer { pl in
        trj_dtrsm_lower(
          0, 1, Int32(rows), Int32(columns), 1, pl.baseAddress, Int32(columns), b.baseAddress,
          Int32(rows))
      }
    }
  }

  /// `self := op(L)⁻¹ · self` for lower-triangular `l` (BLAS `dtrsm`, left side).
  /// - Parameters:
  ///   - l: A nonsingular lower-triangular matrix with `rows` rows.
  ///   - transpose: Solve with `Lᵀ` instead of `L`.
  public mutating func solveLeftLower(_ l: Matrix, transpose: Bool = false) {
    precondition(l.rows == rows && l.columns == rows, "solveLeftLower: shape")
    if rows == 0 || columns == 0 { return }
    let rows = self.rows
    let columns = self.columns
    storage.withUnsafeMutableBufferPointer { b in
      l.storage.withUnsafeBufferPointer { pl in
        trj_dtrsm_lower(
          1, transpose ? 1 : 0, Int32(rows), Int32(columns), 1, pl.baseAddress, Int32(rows),
          b.baseAddress, Int32(rows))
      }
    }
  }

  /// `(L Lᵀ)⁻¹` for this lower Cholesky factor `L`, as a full symmetric matrix (LAPACK `dpotri`).
  /// - Returns: The inverse of the matrix this factor came from.
  /// - Throws: `LinearAlgebraError.singular` on a zero diagonal.
  public func inverseFromCholesky() throws -> Matrix {
    precondition(rows == columns, "inverseFromCholesky: not square")
    var a = self
    if rows == 0 { return a }
    let n = rows
    let info = a.storage.withUnsafeMutableBufferPointer { p in
      trj_dpotri_lower(Int32(n), p.baseAddress, Int32(n))
    }
    if let error = LinearAlgebraError.check(info, routine: "dpotri") { throw error }
    a.symmetrizeFromLower()
    return a
  }

  /// Eigenvalues of this symmetric matrix (lower triangle used), ascending (LAPACK `dsyev`).
  /// - Returns: The eigenvalues.
  /// - Throws: `LinearAlgebraError.lapack` when the iteration fails.
  public func symmetricEigenvalues() throws -> [Double] {
    precondition(rows == columns, "symmetricEigenvalues: not square")
    if rows == 0 { return [] }
    var a = storage
    var w = [Double](repeating: 0, count: rows)
    let n = rows
    let info = a.withUnsafeMutableBufferPointer { pa in
      w.withUnsafeMutableBufferPointer { pw in
        trj_dsyev_values(Int32(n), pa.baseAddress, Int32(n), pw.baseAddress)
      }
    }
    if let error = LinearAlgebraError.check(info, routine: "dsyev") { throw error }
    return w
  }
}

/// Threads OpenBLAS may use.
///
/// The project's BLAS thread policy is set in one place, where the shim loads OpenBLAS
/// (`CLinearAlgebra.c`): one thread, whatever `OPENBLAS_NUM_THREADS` says. OpenBLAS splits some
/// products differently with more threads, which would change the last bits of results, and
/// its threads would compete with the project's own parallel loops (`ChunkedRange`, whose
/// chunks call BLAS on their own threads). `set(_:)` is for measurements only.
public enum BLASThreads {
  /// The current setting.
  public static var count: Int { Int(trj_blas_threads()) }
  /// Changes the setting.
  /// - Parameter n: Threads (≥ 1).
  public static func set(_ n: Int) { trj_set_blas_threads(Int32(max(1, n))) }
  /// OpenBLAS's configuration string, for provenance.
  public static var configuration: String { String(cString: trj_blas_config()) }
}
