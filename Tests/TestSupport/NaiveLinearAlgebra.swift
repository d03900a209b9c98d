import LinearAlgebra

// MARK: - Reference computations written as plain loops, independent of BLAS/LAPACK and of the
// hand-written kernels under test (LinearAlgebraTests, and the per-level PLS kernel's tests in
// MixedModelsTests).

/// A `rows × columns` matrix of uniform deviates on [−1, 1).
public func randomMatrix(rows: Int, columns: Int, using generator: inout TestGenerator) -> Matrix {
  Matrix(
    rows: rows, columns: columns,
    columnMajor: (0..<(rows * columns)).map { _ in generator.symmetricUniform() })
}

/// A well-conditioned symmetric positive-definite matrix `B Bᵀ + n I`.
public func randomPositiveDefinite(order n: Int, using generator: inout TestGenerator) -> Matrix {
  let b = randomMatrix(rows: n, columns: n, using: &generator)
  var a = naiveProduct(b, b.transposed)
  for i in 0..<n { a[i, i] += Double(n) }
  return a
}

/// A lower-triangular matrix with diagonal in [1, 2) and off-diagonals in [−1, 1).
public func randomLowerTriangular(order n: Int, using generator: inout TestGenerator) -> Matrix {
  var l = Matrix(rows: n, columns: n)
  for j in 0..<n {
    l[j, j] = 1.5 + generator.symmetricUniform() / 2
    for i in (j + 1)..<max(j + 1, n) { l[i, j] = generator.symmetricUniform() }
  }
  return l
}

/// `a · b` by the textbook triple loop.
public func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
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

/// Elementwise `alpha · a + beta · b`.
public func naiveCombination(_ alpha: Double, _ a: Matrix, _ beta: Double, _ b: Matrix) -> Matrix {
  precondition(a.rows == b.rows && a.columns == b.columns, "naiveCombination: shapes")
  return Matrix(
    rows: a.rows, columns: a.columns,
    columnMajor: zip(a.elements, b.elements).map { alpha * $0 + beta * $1 })
}

/// The lower Cholesky factor by the textbook column algorithm (nil if not positive definite).
public func naiveCholesky(_ a: Matrix) -> Matrix? {
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

/// Block-diagonal matrix with `count` copies of the q×q column-major block `t`.
public func repeatedBlockDiagonal(_ t: [Double], q: Int, count: Int) -> Matrix {
  var m = Matrix(rows: q * count, columns: q * count)
  for b in 0..<count {
    for j in 0..<q {
      for i in 0..<q { m[b * q + i, b * q + j] = t[i + j * q] }
    }
  }
  return m
}

/// A random lower-triangular q×q template, column-major, with diagonal in [0.5, 1.5).
public func randomTemplate(q: Int, using generator: inout TestGenerator) -> [Double] {
  var t = [Double](repeating: 0, count: q * q)
  for j in 0..<q {
    t[j + j * q] = 1 + generator.symmetricUniform() / 2
    for i in (j + 1)..<max(j + 1, q) { t[i + j * q] = generator.symmetricUniform() }
  }
  return t
}

/// Largest |element| of a matrix (the scale for elementwise comparisons).
public func maxMagnitude(_ m: Matrix) -> Double {
  m.elements.map { abs($0) }.max() ?? 0
}

/// Blocks that are random lower-triangular matrices with diagonal in [1, 2) (valid Cholesky
/// factors), built without the code under test.
public func randomLowerTriangularBlocks(q: Int, count: Int, using generator: inout TestGenerator)
  -> UniformBlockDiagonal
{
  var blocks = UniformBlockDiagonal(q: q, count: count)
  for b in 0..<count {
    let l = randomLowerTriangular(order: q, using: &generator)
    for j in 0..<q {
      for i in 0..<q { blocks[b, i, j] = l[i, j] }
    }
  }
  return blocks
}

/// Blocks holding random symmetric positive-definite matrices.
public func randomPositiveDefiniteBlocks(q: Int, count: Int, using generator: inout TestGenerator)
  -> UniformBlockDiagonal
{
  var blocks = UniformBlockDiagonal(q: q, count: count)
  for b in 0..<count {
    let a = randomPositiveDefinite(order: q, using: &generator)
    for j in 0..<q {
      for i in 0..<q { blocks[b, i, j] = a[i, j] }
    }
  }
  return blocks
}
