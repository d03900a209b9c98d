/// Small dense algebra by hand loops, for the p×p and r×r matrices of inference (fixed
/// effects, covariance parameters), never n×n.
///
/// Unlike the BLAS-backed operations (`product`, `multiplyAdd`), every sum here runs in a fixed,
/// documented order (row by row, the inner index increasing), so results are the same to the
/// bit whatever kernel the CPU would select, and the same as the row-major `[[Double]]` code
/// they replaced. Indices read as in mathematics: `self[i, j]` is row i, column j.
extension Matrix {
  // MARK: - Rows

  /// A matrix whose rows are the given arrays (all of equal length).
  /// - Parameter rows: The rows, top to bottom.
  public init(rows: [[Double]]) {
    let columns = rows.first?.count ?? 0
    precondition(rows.allSatisfy { $0.count == columns }, "Rows differ in length")
    var storage = [Double](repeating: 0, count: rows.count * columns)
    for (i, row) in rows.enumerated() {
      for j in 0..<columns { storage[i + j * rows.count] = row[j] }
    }
    self.init(rows: rows.count, columns: columns, columnMajor: storage)
  }

  /// The rows as arrays, top to bottom.
  public var rowArrays: [[Double]] {
    (0..<rows).map { i in (0..<columns).map { storage[i + $0 * rows] } }
  }

  // MARK: - Products and traces in a fixed order

  /// `self · b` by a hand loop: `c_ij = Σ_l a_il b_lj` summed with l increasing, skipping the
  /// terms where `a_il` is zero.
  /// - Parameter b: The right factor (`columns` rows).
  /// - Returns: The product.
  /// - Complexity: O(rows · columns · b.columns).
  public func multiplied(by b: Matrix) -> Matrix {
    precondition(columns == b.rows, "multiplied(by:): inner dimensions differ")
    let n = rows
    let m = b.columns
    var c = Matrix(rows: n, columns: m)
    for i in 0..<n {
      for l in 0..<columns where storage[i + l * n] != 0 {
        let ail = storage[i + l * n]
        for j in 0..<m { c.storage[i + j * n] += ail * b.storage[l + j * b.rows] }
      }
    }
    return c
  }

  /// `self · x` by a hand loop: `y_i = Σ_j a_ij x_j` summed with j increasing from 0.
  /// - Parameter x: One value per column.
  /// - Returns: One value per row.
  public func multiplied(by x: [Double]) -> [Double] {
    precondition(x.count == columns, "multiplied(by:): one value per column")
    return (0..<rows).map { i in
      var s = 0.0
      for j in 0..<columns { s += storage[i + j * rows] * x[j] }
      return s
    }
  }

  /// `xᵀ A y`, summing `(x_i a_ij) y_j` row by row (j increasing within i), skipping the rows
  /// where `x_i` is zero.
  /// - Parameters:
  ///   - x: One value per row.
  ///   - y: One value per column.
  /// - Returns: The bilinear form.
  public func quadraticForm(_ x: [Double], _ y: [Double]) -> Double {
    precondition(x.count == rows && y.count == columns, "quadraticForm: dimensions")
    var s = 0.0
    for i in 0..<rows where x[i] != 0 {
      for j in 0..<columns { s += x[i] * storage[i + j * rows] * y[j] }
    }
    return s
  }

  /// `tr(A)`, the diagonal summed from the top.
  public var trace: Double {
    precondition(rows == columns, "trace: a square matrix")
    var s = 0.0
    for i in 0..<rows { s += storage[i + i * rows] }
    return s
  }

  /// `tr(A B) = Σ_i Σ_j a_ij b_ji`, i then j increasing.
  /// - Parameter b: A `columns × rows` matrix.
  /// - Returns: The trace of the product, without forming it.
  public func traceOfProduct(_ b: Matrix) -> Double {
    precondition(b.rows == columns && b.columns == rows, "traceOfProduct: dimensions")
    var s = 0.0
    for i in 0..<rows {
      for j in 0..<columns { s += storage[i + j * rows] * b.storage[j + i * b.rows] }
    }
    return s
  }

  /// `A + s B`, elementwise.
  /// - Parameters:
  ///   - b: A matrix of the same shape.
  ///   - s: The scale of `b`.
  /// - Returns: The sum.
  public func adding(_ b: Matrix, scaledBy s: Double = 1) -> Matrix {
    precondition(rows == b.rows && columns == b.columns, "adding: shapes differ")
    var c = self
    for k in storage.indices { c.storage[k] = storage[k] + s * b.storage[k] }
    return c
  }

  /// The matrix with every element multiplied by `factor`.
  /// - Parameter factor: The factor.
  /// - Returns: `factor · A`.
  public func scaled(by factor: Double) -> Matrix {
    var c = self
    for k in storage.indices { c.storage[k] = factor * storage[k] }
    return c
  }

  // MARK: - Inverses and eigenpairs by hand

  /// The inverse of a symmetric positive-definite matrix by a hand Cholesky factor `L`, then
  /// `L⁻¹` by forward substitution and `L⁻ᵀL⁻¹` (lower triangle, mirrored).
  /// - Returns: The inverse, or nil when a pivot is not positive and finite.
  public func inverseSPD() -> Matrix? {
    precondition(rows == columns, "inverseSPD: a square matrix")
    let n = rows
    var l = Matrix(rows: n, columns: n)
    for j in 0..<n {
      var d = storage[j + j * n]
      for k in 0..<j { d -= l.storage[j + k * n] * l.storage[j + k * n] }
      guard d > 0, d.isFinite else { return nil }
      l.storage[j + j * n] = d.squareRoot()
      for i in (j + 1)..<max(j + 1, n) {
        var s = storage[i + j * n]
        for k in 0..<j { s -= l.storage[i + k * n] * l.storage[j + k * n] }
        l.storage[i + j * n] = s / l.storage[j + j * n]
      }
    }
    var inv = Matrix(rows: n, columns: n)
    for c in 0..<n {
      for i in c..<n {
        var s = i == c ? 1.0 : 0.0
        for k in c..<i { s -= l.storage[i + k * n] * inv.storage[k + c * n] }
        inv.storage[i + c * n] = s / l.storage[i + i * n]
      }
    }
    var out = Matrix(rows: n, columns: n)
    for i in 0..<n {
      for j in 0...i {
        var s = 0.0
        for k in i..<n { s += inv.storage[k + i * n] * inv.storage[k + j * n] }
        out.storage[i + j * n] = s
        out.storage[j + i * n] = s
      }
    }
    return out
  }

  /// The inverse of a general square matrix by Gauss–Jordan elimination with partial pivoting
  /// (the first largest pivot in the column).
  /// - Returns: The inverse, or nil when a pivot is below 1e-300 in magnitude.
  public func inverse() -> Matrix? {
    precondition(rows == columns, "inverse: a square matrix")
    let n = rows
    var m = self
    var inv = Matrix.identity(n)
    func swapRows(_ a: inout Matrix, _ r: Int, _ s: Int) {
      guard r != s else { return }
      for j in 0..<n { a.storage.swapAt(r + j * n, s + j * n) }
    }
    for c in 0..<n {
      guard
        let pivot = (c..<n).max(by: { abs(m.storage[$0 + c * n]) < abs(m.storage[$1 + c * n]) }),
        abs(m.storage[pivot + c * n]) > 1e-300
      else { return nil }
      swapRows(&m, c, pivot)
      swapRows(&inv, c, pivot)
      let d = m.storage[c + c * n]
      for j in 0..<n {
        m.storage[c + j * n] /= d
        inv.storage[c + j * n] /= d
      }
      for r in 0..<n where r != c && m.storage[r + c * n] != 0 {
        let f = m.storage[r + c * n]
        for j in 0..<n {
          m.storage[r + j * n] -= f * m.storage[c + j * n]
          inv.storage[r + j * n] -= f * inv.storage[c + j * n]
        }
      }
    }
    return inv
  }

  /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (at most 100
  /// sweeps; stops when the off-diagonal mass is below 1e-30 of the total).
  ///
  /// Kept beside LAPACK's `symmetricEigenvalues` because its rounding is fixed by this code, not
  /// by the kernel, and it also returns the vectors.
  /// - Returns: Eigenvalues in decreasing order and the matching unit eigenvectors as the
  ///   columns of `vectors` (`vectors[i, k]` is component i of vector k).
  public func jacobiEigen() -> (values: [Double], vectors: Matrix) {
    precondition(rows == columns, "jacobiEigen: a square matrix")
    let n = rows
    var m = self
    var v = Matrix.identity(n)
    for _ in 0..<100 {
      var off = 0.0
      for i in 0..<n {
        for j in 0..<n where i != j { off += m.storage[i + j * n] * m.storage[i + j * n] }
      }
      var scale = 0.0
      for i in 0..<n { for j in 0..<n { scale += m.storage[i + j * n] * m.storage[i + j * n] } }
      if off <= 1e-30 * max(scale, 1e-300) { break }
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) where m.storage[p + q * n] != 0 {
          let mpq = m.storage[p + q * n]
          let theta = (m.storage[q + q * n] - m.storage[p + p * n]) / (2 * mpq)
          let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<n {
            let mkp = m.storage[k + p * n]
            let mkq = m.storage[k + q * n]
            m.storage[k + p * n] = c * mkp - s * mkq
            m.storage[k + q * n] = s * mkp + c * mkq
          }
          for k in 0..<n {
            let mpk = m.storage[p + k * n]
            let mqk = m.storage[q + k * n]
            m.storage[p + k * n] = c * mpk - s * mqk
            m.storage[q + k * n] = s * mpk + c * mqk
          }
          for k in 0..<n {
            let vkp = v.storage[k + p * n]
            let vkq = v.storage[k + q * n]
            v.storage[k + p * n] = c * vkp - s * vkq
            v.storage[k + q * n] = s * vkp + c * vkq
          }
        }
      }
    }
    let order = (0..<n).sorted { m.storage[$0 + $0 * n] > m.storage[$1 + $1 * n] }
    let values = order.map { m.storage[$0 + $0 * n] }
    var vectors = Matrix(rows: n, columns: n)
    for (k, source) in order.enumerated() {
      for i in 0..<n { vectors.storage[i + k * n] = v.storage[i + source * n] }
    }
    return (values, vectors)
  }

  /// The Moore–Penrose inverse of a symmetric matrix, `Σ_k v_k v_kᵀ / λ_k` over the Jacobi
  /// eigenpairs with λ_k above `tolerance`, accumulated k by k.
  /// - Parameter tolerance: The smallest eigenvalue kept (exclusive).
  /// - Returns: The pseudo-inverse.
  public func pseudoInverse(tolerance: Double) -> Matrix {
    let (values, vectors) = jacobiEigen()
    let n = rows
    var out = Matrix(rows: n, columns: n)
    for k in 0..<n where values[k] > tolerance {
      for i in 0..<n {
        for j in 0..<n {
          out.storage[i + j * n] +=
            vectors.storage[i + k * n] * vectors.storage[j + k * n] / values[k]
        }
      }
    }
    return out
  }

  /// The rank of the rows (as vectors) by Gram–Schmidt: a row adds to the rank when what is
  /// left of it after projecting out the earlier ones has norm above `tolerance · max(1, max |a_ij|)`.
  /// - Parameter tolerance: The relative tolerance.
  /// - Returns: The row rank.
  public func rowRank(tolerance: Double = 1e-9) -> Int {
    let all = rowArrays
    let scale = all.flatMap { $0 }.map(abs).max() ?? 0
    return Matrix.orthonormalBasis(of: all, threshold: tolerance * max(scale, 1)).count
  }

  /// An orthonormal basis of the span of `vectors` by modified Gram–Schmidt, in their order: a
  /// vector joins when what is left of it after subtracting its projections on the basis so
  /// far (one at a time, dot products summed from the first element) has norm above
  /// `threshold`.
  /// - Parameters:
  ///   - vectors: Vectors of equal length.
  ///   - threshold: The smallest norm kept (exclusive).
  /// - Returns: The basis vectors.
  public static func orthonormalBasis(of vectors: [[Double]], threshold: Double) -> [[Double]] {
    var basis = [[Double]]()
    for vector in vectors {
      var r = vector
      for b in basis {
        let d = zip(r, b).reduce(0) { $0 + $1.0 * $1.1 }
        r = zip(r, b).map { $0 - d * $1 }
      }
      let norm = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if norm > threshold { basis.append(r.map { $0 / norm }) }
    }
    return basis
  }
}
