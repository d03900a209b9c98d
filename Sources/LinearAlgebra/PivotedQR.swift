import CLinearAlgebra

/// QR with R's limited column pivoting, used to find which model-matrix columns are
/// linearly dependent on earlier ones.
///
/// This reproduces the decisions of LINPACK's `dqrdc2` as modified for R (`qr(X, LAPACK =
/// FALSE)`), which lme4's `chkRank.drop.cols` uses: columns are taken in their original order;
/// a column whose norm, after the Householder reflections of the columns accepted before it,
/// is below `tolerance` times its original norm is moved to the end. The columns left in place
/// are kept (in their original order); the moved ones are dropped. Unlike a norm-greedy
/// pivoting QR (LAPACK `dgeqp3`), this drops the *later* of two collinear columns, which is
/// what makes the dropped coefficient names agree with lme4.
///
/// Hand-written rather than LAPACK: no LAPACK routine implements this pivoting rule, and the
/// matrices are n × p with small p (one pass per column, O(n p²)).
public struct PivotedQR: Sendable {
  /// The numerical rank.
  public let rank: Int
  /// Original column indices in pivoted order: kept columns first (in original order), then the
  /// moved ones in the order they were moved.
  public let pivots: [Int]

  /// Factors `matrix` (not modified) to find its rank.
  /// - Parameters:
  ///   - matrix: An `m × n` matrix.
  ///   - tolerance: Relative tolerance (R's and lme4's default is 1e-7).
  /// - Complexity: O(m n²).
  public init(_ matrix: Matrix, tolerance: Double = 1e-7) {
    // A tall matrix is first reduced to its p×p triangular factor R, a chunk of rows at a
    // time: X = QR with Q orthogonal preserves every column norm and every residual norm the
    // decisions below are made from, so they are the same as on X, while memory stays at one
    // chunk instead of a second copy of X (45 MB at 800,000 rows × 7 columns).
    if matrix.rows > 4 * max(matrix.columns, 1) && matrix.rows > PivotedQR.chunkRows {
      self.init(deciding: PivotedQR.triangularFactor(of: matrix), tolerance: tolerance)
    } else {
      self.init(deciding: matrix, tolerance: tolerance)
    }
  }

  /// dqrdc2's decisions on `matrix` itself.
  private init(deciding matrix: Matrix, tolerance: Double) {
    let m = matrix.rows
    var order = Array(0..<matrix.columns)
    var work = matrix.storage
    var reflector = [Double](repeating: 0, count: m)
    var accepted = 0
    var active = matrix.columns  // columns at positions ≥ active have been moved to the end
    work.withUnsafeMutableBufferPointer { w in
      reflector.withUnsafeMutableBufferPointer { v in
        let originalNorms = (0..<matrix.columns).map { j -> Double in
          let norm = scaledNorm(w, column: j, rows: m, from: 0)
          return norm == 0 ? 1 : norm
        }
        var position = 0
        while position < min(m, active) {
          let column = order[position]
          let residual = scaledNorm(w, column: column, rows: m, from: accepted)
          if residual < tolerance * originalNorms[column] {
            // Move to the end, keeping the others' relative order.
            order.remove(at: position)
            order.append(column)
            active -= 1
            continue
          }
          // Householder reflection zeroing rows accepted+1..<m of this column, applied to it
          // and to every column not yet processed.
          let row = accepted
          let base = column * m
          let alpha = w[base + row] >= 0 ? -residual : residual
          v[row] = w[base + row] - alpha
          var vnorm2 = v[row] * v[row]
          for i in (row + 1)..<m {
            v[i] = w[base + i]
            vnorm2 += v[i] * v[i]
          }
          if vnorm2 > 0 {
            for later in order[position..<order.count] {
              let lbase = later * m
              var dot = 0.0
              for i in row..<m { dot += v[i] * w[lbase + i] }
              let f = 2 * dot / vnorm2
              for i in row..<m { w[lbase + i] -= f * v[i] }
            }
          }
          accepted += 1
          position += 1
        }
      }
    }
    self.rank = min(accepted, active)
    self.pivots = order
  }

  /// Rows per chunk of the tall-matrix reduction.
  static let chunkRows = 8192

  /// The p×p upper-triangular R of X = QR (zeros below the diagonal), by Householder QR of
  /// `[R; next chunk of rows]` repeated over the rows (LAPACK `dgeqrf`).
  static func triangularFactor(of x: Matrix) -> Matrix {
    let n = x.rows
    let p = x.columns
    var r = Matrix(rows: p, columns: p)
    var stacked = [Double](repeating: 0, count: (p + chunkRows) * p)
    var tau = [Double](repeating: 0, count: p)
    var start = 0
    var first = true
    while start < n {
      let rows = min(chunkRows, n - start)
      let top = first ? 0 : p
      let height = top + rows
      // Column-major stacked matrix with leading dimension `height`.
      for j in 0..<p {
        for i in 0..<top { stacked[i + j * height] = r.storage[i + j * p] }
        for i in 0..<rows { stacked[top + i + j * height] = x.storage[start + i + j * n] }
      }
      let info = stacked.withUnsafeMutableBufferPointer { a in
        tau.withUnsafeMutableBufferPointer { t in
          trj_dgeqrf(Int32(height), Int32(p), a.baseAddress, Int32(height), t.baseAddress)
        }
      }
      precondition(info == 0, "dgeqrf failed with info \(info)")
      for j in 0..<p {
        for i in 0..<p { r.storage[i + j * p] = i <= j && i < height ? stacked[i + j * height] : 0 }
      }
      first = false
      start += rows
    }
    return r
  }

  /// Original indices of the columns kept, ascending.
  public var keptColumns: [Int] { pivots.prefix(rank).sorted() }
  /// Original indices of the columns dropped as linearly dependent, ascending.
  public var droppedColumns: [Int] { pivots.dropFirst(rank).sorted() }
}

/// Euclidean norm of rows `from..<rows` of a column: a plain sum of squares, redone with
/// LAPACK's scaled `dnrm2` recurrence only when that overflows or underflows.
private func scaledNorm(
  _ w: UnsafeMutableBufferPointer<Double>, column: Int, rows m: Int, from row: Int
) -> Double {
  var plain = 0.0
  for i in row..<m { plain += w[column * m + i] * w[column * m + i] }
  if plain.isFinite && plain > 1e-280 { return plain.squareRoot() }
  if plain == 0 { return 0 }
  var scale = 0.0
  var sum = 1.0
  let base = column * m
  for i in row..<m {
    let value = abs(w[base + i])
    guard value > 0 else { continue }
    if scale < value {
      sum = 1 + sum * (scale / value) * (scale / value)
      scale = value
    } else {
      sum += (value / scale) * (value / scale)
    }
  }
  return scale * sum.squareRoot()
}
