import LinearAlgebra
import TestSupport

// MARK: - Reference computations for the per-level PLS kernel's tests, written as plain loops,
// independent of BLAS/LAPACK and of the kernel (the same helpers as LinearAlgebraTests').

/// A `rows × columns` matrix of uniform deviates on [−1, 1).
func randomMatrix(rows: Int, columns: Int, using generator: inout TestGenerator) -> Matrix {
  Matrix(
    rows: rows, columns: columns,
    columnMajor: (0..<(rows * columns)).map { _ in generator.symmetricUniform() })
}

/// A random lower-triangular q×q template, column-major, with diagonal in [0.5, 1.5).
func randomTemplate(q: Int, using generator: inout TestGenerator) -> [Double] {
  var t = [Double](repeating: 0, count: q * q)
  for j in 0..<q {
    t[j + j * q] = 1 + generator.symmetricUniform() / 2
    for i in (j + 1)..<max(j + 1, q) { t[i + j * q] = generator.symmetricUniform() }
  }
  return t
}

/// `a · b` by the textbook triple loop.
func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
  precondition(a.columns == b.rows, "naiveProduct: shapes")
  var c = Matrix(rows: a.rows, columns: b.columns)
  for i in 0..<a.rows {
    for j in 0..<b.columns {
      var s = 0.0
      for k in 0..<a.columns { s += a[i, k] * b[k, j] }
      c[i, j] = s
    }
  }
  return c
}

/// The lower Cholesky factor by the textbook column algorithm (nil if not positive definite).
func naiveCholesky(_ a: Matrix) -> Matrix? {
  let n = a.rows
  var l = Matrix(rows: n, columns: n)
  for j in 0..<n {
    var d = a[j, j]
    for k in 0..<j { d -= l[j, k] * l[j, k] }
    guard d > 0 else { return nil }
    l[j, j] = d.squareRoot()
    for i in (j + 1)..<max(j + 1, n) {
      var s = a[i, j]
      for k in 0..<j { s -= l[i, k] * l[j, k] }
      l[i, j] = s / l[j, j]
    }
  }
  return l
}
