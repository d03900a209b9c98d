import CLinearAlgebra

/// Column-pivoted Householder QR of a tall matrix, used to find its numerical rank.
///
/// Rank-deficient fixed-effect model matrices are reduced the way lme4's
/// `chkRank.drop.cols` does: a pivoted QR, then the columns whose pivots fall beyond the rank
/// (|R_kk| ≤ tolerance · |R_11|) are dropped.
public struct PivotedQR: Sendable {
  /// The numerical rank.
  public let rank: Int
  /// Column order chosen by pivoting (0-based original column indices).
  public let pivots: [Int]
  /// |R_kk| for k in pivot order.
  public let diagonal: [Double]

  /// Factors `matrix` (not modified).
  /// - Parameters:
  ///   - matrix: An `m × n` matrix.
  ///   - tolerance: Relative tolerance on |R_kk| / |R_11|; lme4 uses 1e-7.
  /// - Throws: `LinearAlgebraError.lapack` on an argument error.
  /// - Complexity: O(m n²).
  public init(_ matrix: Matrix, tolerance: Double = 1e-7) throws {
    let m = matrix.rows
    let n = matrix.columns
    var a = matrix.storage
    var jpvt = [Int32](repeating: 0, count: n)
    var tau = [Double](repeating: 0, count: max(1, min(m, n)))
    if n == 0 || m == 0 {
      self.rank = 0
      self.pivots = Array(0..<n)
      self.diagonal = []
      return
    }
    let info = trj_dgeqp3(Int32(m), Int32(n), &a, Int32(max(1, m)), &jpvt, &tau)
    if let error = LinearAlgebraError.check(info, routine: "dgeqp3") { throw error }
    let k = min(m, n)
    let diagonal = (0..<k).map { abs(a[$0 + $0 * m]) }
    let first = diagonal.first ?? 0
    var rank = 0
    for d in diagonal where first > 0 && d > tolerance * first { rank += 1 }
    self.rank = rank
    self.pivots = jpvt.map { Int($0) - 1 }
    self.diagonal = diagonal
  }

  /// Original indices of the columns kept (the first `rank` pivots), sorted ascending.
  public var keptColumns: [Int] { pivots.prefix(rank).sorted() }
  /// Original indices of the columns dropped as linearly dependent, sorted ascending.
  public var droppedColumns: [Int] { pivots.dropFirst(rank).sorted() }
}
