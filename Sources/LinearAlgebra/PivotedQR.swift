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
    let m = matrix.rows
    var order = Array(0..<matrix.columns)
    var work = matrix.storage
    func norm(_ column: Int, from row: Int) -> Double {
      var scale = 0.0
      var sum = 1.0
      for i in row..<m {
        let v = abs(work[i + column * m])
        guard v > 0 else { continue }
        if scale < v {
          sum = 1 + sum * (scale / v) * (scale / v)
          scale = v
        } else {
          sum += (v / scale) * (v / scale)
        }
      }
      return scale * sum.squareRoot()
    }
    let originalNorms = (0..<matrix.columns).map { j -> Double in
      let n = norm(j, from: 0)
      return n == 0 ? 1 : n
    }
    var active = matrix.columns  // columns at positions >= active have been moved to the end
    var position = 0
    var accepted = 0
    while position < min(m, active) {
      let column = order[position]
      let residual = norm(column, from: accepted)
      if residual < tolerance * originalNorms[column] {
        // Move to the end, keeping the others' relative order.
        order.remove(at: position)
        order.append(column)
        active -= 1
        continue
      }
      // Householder reflection zeroing rows accepted+1..<m of this column.
      let row = accepted
      let alpha = work[row + column * m] >= 0 ? -residual : residual
      var v = [Double](repeating: 0, count: m - row)
      v[0] = work[row + column * m] - alpha
      for i in (row + 1)..<m { v[i - row] = work[i + column * m] }
      let vnorm2 = v.reduce(0) { $0 + $1 * $1 }
      if vnorm2 > 0 {
        for later in order[position..<order.count] {
          var dot = 0.0
          for i in row..<m { dot += v[i - row] * work[i + later * m] }
          let f = 2 * dot / vnorm2
          for i in row..<m { work[i + later * m] -= f * v[i - row] }
        }
      }
      accepted += 1
      position += 1
    }
    self.rank = min(accepted, active)
    self.pivots = order
  }

  /// Original indices of the columns kept, ascending.
  public var keptColumns: [Int] { pivots.prefix(rank).sorted() }
  /// Original indices of the columns dropped as linearly dependent, ascending.
  public var droppedColumns: [Int] { pivots.dropFirst(rank).sorted() }
}
