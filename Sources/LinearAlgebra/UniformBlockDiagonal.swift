import Foundation

/// A block-diagonal matrix of `count` square blocks, all of order `q`, stored contiguously.
///
/// Block `b` occupies `storage[b·q² ..< (b+1)·q²]`, column-major within the block. This is the
/// shape of `Λᵀ Z'Z Λ + I` for one grouping factor (one q×q block per level) and of its
/// Cholesky factor; the per-block kernels here are hand-written because for q ≤ 8 a LAPACK call
/// costs more than the arithmetic (see NOTES-BLAS.md: ≈6 ns vs ≈50 ns for a 2×2 Cholesky).
public struct UniformBlockDiagonal: Sendable, Equatable {
  /// Order of each block.
  public let q: Int
  /// Number of blocks.
  public let count: Int
  /// The blocks, each column-major, one after another.
  package var storage: [Double]

  /// A zero block-diagonal matrix.
  /// - Parameters:
  ///   - q: Order of each block (≥ 1).
  ///   - count: Number of blocks (≥ 0).
  public init(q: Int, count: Int) {
    precondition(q >= 1 && count >= 0, "UniformBlockDiagonal: bad dimensions")
    self.q = q
    self.count = count
    self.storage = Array(repeating: 0, count: q * q * count)
  }

  /// Order of the whole matrix.
  public var order: Int { q * count }

  /// Element `(i, j)` of block `block`.
  public subscript(block: Int, i: Int, j: Int) -> Double {
    get { storage[block * q * q + i + j * q] }
    set { storage[block * q * q + i + j * q] = newValue }
  }

  /// Block `b` as a `q × q` matrix.
  /// - Parameter b: Block index.
  /// - Returns: A copy of the block.
  public func block(_ b: Int) -> Matrix {
    let size = q * q
    return Matrix(rows: q, columns: q, columnMajor: Array(storage[(b * size)..<((b + 1) * size)]))
  }

  /// Adds `outer` (q×q, column-major) to block `b` — used while accumulating `Z'Z`.
  /// - Parameters:
  ///   - b: Block index.
  ///   - values: The q entries of one row of Z for this block; adds `values · valuesᵀ`.
  public mutating func addOuterProduct(block b: Int, values: ArraySlice<Double>) {
    precondition(values.count == q, "addOuterProduct: expected \(q) values")
    let base = b * q * q
    var j = 0
    for vj in values {
      var i = 0
      for vi in values {
        storage[base + i + j * q] += vi * vj
        i += 1
      }
      j += 1
    }
  }

  /// Sets every block to `tᵀ · a_b · t` (+ I when `addIdentity`), for one lower-triangular
  /// template `t` (q×q column-major).
  ///
  /// With `a = Z'Z` blocks and `t` the relative covariance factor template, this is
  /// `Λᵀ Z'Z Λ + I` for one grouping factor.
  /// - Parameters:
  ///   - a: Blocks of the same shape.
  ///   - t: Lower-triangular template, `q*q` values column-major.
  ///   - addIdentity: Add the identity to each block.
  /// - Complexity: O(count · q³).
  public mutating func setCongruence(of a: UniformBlockDiagonal, by t: [Double], addIdentity: Bool)
  {
    precondition(a.q == q && a.count == count && t.count == q * q, "setCongruence: shape")
    let q = self.q
    let count = self.count
    if q == 1 {
      let t0 = t[0]
      let s = t0 * t0
      let add = addIdentity ? 1.0 : 0.0
      storage.withUnsafeMutableBufferPointer { out in
        a.storage.withUnsafeBufferPointer { src in
          for b in 0..<count { out[b] = s * src[b] + add }
        }
      }
      return
    }
    var tmp = [Double](repeating: 0, count: q * q)
    storage.withUnsafeMutableBufferPointer { out in
      a.storage.withUnsafeBufferPointer { src in
        t.withUnsafeBufferPointer { tp in
          tmp.withUnsafeMutableBufferPointer { w in
            for b in 0..<count {
              let base = b * q * q
              // w = a_b · t  (t lower: column j of t is nonzero in rows j..<q)
              for j in 0..<q {
                for i in 0..<q {
                  var s = 0.0
                  for k in j..<q { s += src[base + i + k * q] * tp[k + j * q] }
                  w[i + j * q] = s
                }
              }
              // out_b = tᵀ · w (symmetric; fill both triangles)
              for j in 0..<q {
                for i in j..<q {
                  var s = 0.0
                  for k in i..<q { s += tp[k + i * q] * w[k + j * q] }
                  if addIdentity && i == j { s += 1 }
                  out[base + i + j * q] = s
                  out[base + j + i * q] = s
                }
              }
            }
          }
        }
      }
    }
  }

  /// Replaces every block by its lower Cholesky factor (upper triangle zeroed).
  /// - Throws: `LinearAlgebraError.notPositiveDefinite` for the first block that is not.
  /// - Complexity: O(count · q³ / 3).
  public mutating func choleskyInPlace() throws {
    let q = self.q
    let count = self.count
    var failed = -1
    storage.withUnsafeMutableBufferPointer { s in
      guard let base = s.baseAddress else { return }
      for b in 0..<count {
        let column = choleskyFailure(base + b * q * q, q)
        if column > 0 {
          failed = b * q + column - 1
          break
        }
      }
    }
    if failed >= 0 { throw LinearAlgebraError.notPositiveDefinite(order: failed + 1) }
  }

  /// `Σ_b log|L_b|²` for a matrix holding Cholesky factors: the log-determinant of `L Lᵀ`.
  public var logDeterminantOfFactor: Double {
    var sum = 0.0
    for b in 0..<count {
      for i in 0..<q { sum += 2 * log(storage[b * q * q + i + i * q]) }
    }
    return sum
  }

  /// The dense `order × order` matrix.
  public var dense: Matrix {
    var m = Matrix(rows: order, columns: order)
    for b in 0..<count {
      for j in 0..<q {
        for i in 0..<q { m[b * q + i, b * q + j] = self[b, i, j] }
      }
    }
    return m
  }

  /// Solves `L_bᵀ x = v` (or `L_b x = v`) in place for the slice of `v` of each block, with
  /// `self` holding lower Cholesky factors.
  /// - Parameters:
  ///   - v: A vector of length `order`.
  ///   - transpose: Solve with `L_bᵀ` (back substitution) instead of `L_b`.
  public func solve(_ v: inout [Double], transpose: Bool) {
    precondition(v.count == order, "solve: length")
    let q = self.q
    for b in 0..<count {
      let base = b * q * q
      let o = b * q
      if transpose {
        for i in stride(from: q - 1, through: 0, by: -1) {
          var s = v[o + i]
          for k in (i + 1)..<max(i + 1, q) { s -= storage[base + k + i * q] * v[o + k] }
          v[o + i] = s / storage[base + i + i * q]
        }
      } else {
        for i in 0..<q {
          var s = v[o + i]
          for k in 0..<i { s -= storage[base + i + k * q] * v[o + k] }
          v[o + i] = s / storage[base + i + i * q]
        }
      }
    }
  }
}

/// In-place lower Cholesky of one column-major `q × q` block.
///
/// Zeroes the strict upper part. Returns false when the block is not positive definite.
@inline(__always)
package func choleskyLower(_ a: UnsafeMutablePointer<Double>, _ q: Int) -> Bool {
  choleskyFailure(a, q) == 0
}

/// The in-place lower Cholesky of `choleskyLower`, returning 0 on success or the 1-based
/// column at which the block proved not positive definite (LAPACK's `info`).
@inline(__always)
package func choleskyFailure(_ a: UnsafeMutablePointer<Double>, _ q: Int) -> Int {
  for j in 0..<q {
    var d = a[j + j * q]
    for k in 0..<j { d -= a[j + k * q] * a[j + k * q] }
    guard d > 0 else { return j + 1 }
    let ljj = d.squareRoot()
    a[j + j * q] = ljj
    for i in (j + 1)..<max(j + 1, q) {
      var s = a[i + j * q]
      for k in 0..<j { s -= a[i + k * q] * a[j + k * q] }
      a[i + j * q] = s / ljj
    }
    for i in 0..<j { a[i + j * q] = 0 }
  }
  return 0
}
