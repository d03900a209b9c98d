import Foundation

/// Small dense linear algebra on row-major `[[Double]]` (p×p and smaller): the matrices of
/// inference are of the order of the fixed effects or the covariance parameters, never n.
enum Dense {
  /// A zero matrix.
  static func zeros(_ rows: Int, _ columns: Int) -> [[Double]] {
    Array(repeating: Array(repeating: 0, count: columns), count: rows)
  }

  /// The identity.
  static func identity(_ n: Int) -> [[Double]] {
    var m = zeros(n, n)
    for i in 0..<n { m[i][i] = 1 }
    return m
  }

  /// `a b`.
  static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
    let n = a.count
    let m = b.first?.count ?? 0
    let k = b.count
    var c = zeros(n, m)
    for i in 0..<n {
      for l in 0..<k where a[i][l] != 0 {
        let ail = a[i][l]
        for j in 0..<m { c[i][j] += ail * b[l][j] }
      }
    }
    return c
  }

  /// `aᵀ`.
  static func transpose(_ a: [[Double]]) -> [[Double]] {
    guard let columns = a.first?.count else { return [] }
    return (0..<columns).map { j in a.map { $0[j] } }
  }

  /// `a x`.
  static func multiply(_ a: [[Double]], _ x: [Double]) -> [Double] {
    a.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } }
  }

  /// `xᵀ a y`.
  static func quadratic(_ x: [Double], _ a: [[Double]], _ y: [Double]) -> Double {
    var s = 0.0
    for i in x.indices where x[i] != 0 {
      for j in y.indices { s += x[i] * a[i][j] * y[j] }
    }
    return s
  }

  /// `tr(a)`.
  static func trace(_ a: [[Double]]) -> Double {
    a.indices.reduce(0) { $0 + a[$1][$1] }
  }

  /// `tr(a b)`.
  static func traceOfProduct(_ a: [[Double]], _ b: [[Double]]) -> Double {
    var s = 0.0
    for i in a.indices {
      for j in b.indices { s += a[i][j] * b[j][i] }
    }
    return s
  }

  /// `a + s b`.
  static func add(_ a: [[Double]], _ b: [[Double]], scale s: Double = 1) -> [[Double]] {
    zip(a, b).map { zip($0, $1).map { $0 + s * $1 } }
  }

  /// Inverse of a symmetric positive-definite matrix by Cholesky, or nil.
  static func inverseSPD(_ a: [[Double]]) -> [[Double]]? {
    let n = a.count
    var l = zeros(n, n)
    for j in 0..<n {
      var d = a[j][j]
      for k in 0..<j { d -= l[j][k] * l[j][k] }
      guard d > 0, d.isFinite else { return nil }
      l[j][j] = d.squareRoot()
      for i in (j + 1)..<max(j + 1, n) {
        var s = a[i][j]
        for k in 0..<j { s -= l[i][k] * l[j][k] }
        l[i][j] = s / l[j][j]
      }
    }
    // L⁻¹ then L⁻ᵀL⁻¹.
    var inv = zeros(n, n)
    for c in 0..<n {
      for i in c..<n {
        var s = i == c ? 1.0 : 0.0
        for k in c..<i { s -= l[i][k] * inv[k][c] }
        inv[i][c] = s / l[i][i]
      }
    }
    var out = zeros(n, n)
    for i in 0..<n {
      for j in 0...i {
        var s = 0.0
        for k in i..<n { s += inv[k][i] * inv[k][j] }
        out[i][j] = s
        out[j][i] = s
      }
    }
    return out
  }

  /// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations.
  /// - Returns: Eigenvalues in decreasing order and the matching unit eigenvectors (columns of
  ///   `vectors`, i.e. `vectors[i][k]` is component i of vector k).
  static func symmetricEigen(_ a: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
    let n = a.count
    var m = a
    var v = identity(n)
    for _ in 0..<100 {
      var off = 0.0
      for i in 0..<n { for j in 0..<n where i != j { off += m[i][j] * m[i][j] } }
      var scale = 0.0
      for i in 0..<n { for j in 0..<n { scale += m[i][j] * m[i][j] } }
      if off <= 1e-30 * max(scale, 1e-300) { break }
      for p in 0..<n {
        for q in (p + 1)..<max(p + 1, n) where m[p][q] != 0 {
          let theta = (m[q][q] - m[p][p]) / (2 * m[p][q])
          let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
          let c = 1 / (t * t + 1).squareRoot()
          let s = t * c
          for k in 0..<n {
            let mkp = m[k][p]
            let mkq = m[k][q]
            m[k][p] = c * mkp - s * mkq
            m[k][q] = s * mkp + c * mkq
          }
          for k in 0..<n {
            let mpk = m[p][k]
            let mqk = m[q][k]
            m[p][k] = c * mpk - s * mqk
            m[q][k] = s * mpk + c * mqk
          }
          for k in 0..<n {
            let vkp = v[k][p]
            let vkq = v[k][q]
            v[k][p] = c * vkp - s * vkq
            v[k][q] = s * vkp + c * vkq
          }
        }
      }
    }
    let order = (0..<n).sorted { m[$0][$0] > m[$1][$1] }
    let values = order.map { m[$0][$0] }
    let vectors = (0..<n).map { i in order.map { v[i][$0] } }
    return (values, vectors)
  }

  /// Moore–Penrose inverse of a symmetric matrix, keeping eigenvalues above `tolerance`.
  static func pseudoInverse(_ a: [[Double]], tolerance: Double) -> [[Double]] {
    let (values, vectors) = symmetricEigen(a)
    let n = a.count
    var out = zeros(n, n)
    for k in 0..<n where values[k] > tolerance {
      for i in 0..<n {
        for j in 0..<n { out[i][j] += vectors[i][k] * vectors[j][k] / values[k] }
      }
    }
    return out
  }

  /// Inverse of a general square matrix by Gauss–Jordan with partial pivoting, or nil.
  static func inverse(_ a: [[Double]]) -> [[Double]]? {
    let n = a.count
    var m = a
    var inv = identity(n)
    for c in 0..<n {
      guard let pivot = (c..<n).max(by: { abs(m[$0][c]) < abs(m[$1][c]) }),
        abs(m[pivot][c]) > 1e-300
      else { return nil }
      m.swapAt(c, pivot)
      inv.swapAt(c, pivot)
      let d = m[c][c]
      for j in 0..<n {
        m[c][j] /= d
        inv[c][j] /= d
      }
      for r in 0..<n where r != c && m[r][c] != 0 {
        let f = m[r][c]
        for j in 0..<n {
          m[r][j] -= f * m[c][j]
          inv[r][j] -= f * inv[c][j]
        }
      }
    }
    return inv
  }

  /// Rank of a matrix (rows as vectors) by Gram–Schmidt with a relative tolerance.
  static func rank(_ a: [[Double]], tolerance: Double = 1e-9) -> Int {
    var basis = [[Double]]()
    let scale = a.flatMap { $0 }.map(abs).max() ?? 0
    for row in a {
      var r = row
      for b in basis {
        let d = zip(r, b).reduce(0) { $0 + $1.0 * $1.1 }
        r = zip(r, b).map { $0 - d * $1 }
      }
      let norm = r.reduce(0) { $0 + $1 * $1 }.squareRoot()
      if norm > tolerance * max(scale, 1) { basis.append(r.map { $0 / norm }) }
    }
    return basis.count
  }
}
