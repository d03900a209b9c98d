/// The one pass over the observations that forms the sufficient statistics of a linear mixed
/// model, `A = [Z X y]ᵀ[Z X y]`, for the blocks that involve one random-effects term and for
/// `[X y]ᵀ[X y]`.
///
/// Hand-written rather than BLAS: `ZᵀZ` and `ZᵀX` are scatter-adds by level (no BLAS
/// routine), and summing `[X y]ᵀ[X y]` row by row in a fixed order makes the result
/// independent of how many threads OpenBLAS would use. Cost O(n (p+1) q) and O(n (p+1)²).
public enum SufficientStatistics {
  /// `ZᵀZ` (one q×q block per level) and `[X y]ᵀZ` ((p+1) × levels·q, columns grouped by level)
  /// for one term.
  /// - Parameters:
  ///   - levelIndex: Level of each observation.
  ///   - values: Row-major n × q values of the term's model matrix.
  ///   - q: Columns of the term.
  ///   - levels: Number of levels.
  ///   - x: n × p fixed-effects matrix.
  ///   - y: Response (length n).
  /// - Returns: The two blocks.
  public static func termBlocks(
    levelIndex: [Int32], values: [Double], q: Int, levels: Int, x: Matrix, y: [Double]
  ) -> (zz: UniformBlockDiagonal, xyz: Matrix) {
    let n = y.count
    let p = x.columns
    let m = p + 1
    precondition(levelIndex.count == n && values.count == n * q && x.rows == n, "shapes")
    var zz = UniformBlockDiagonal(q: q, count: levels)
    var xyz = Matrix(rows: m, columns: levels * q)
    var row = [Double](repeating: 0, count: m)
    levelIndex.withUnsafeBufferPointer { index in
      values.withUnsafeBufferPointer { v in
        x.storage.withUnsafeBufferPointer { xs in
          y.withUnsafeBufferPointer { ys in
            zz.storage.withUnsafeMutableBufferPointer { zzs in
              xyz.storage.withUnsafeMutableBufferPointer { out in
                row.withUnsafeMutableBufferPointer { r in
                  for i in 0..<n {
                    let level = Int(index[i])
                    for c in 0..<p { r[c] = xs[i + c * n] }
                    r[p] = ys[i]
                    let zi = i * q
                    let block = level * q * q
                    let panel = level * q * m
                    for b in 0..<q {
                      let vb = v[zi + b]
                      if vb == 0 { continue }
                      for a in 0..<q { zzs[block + a + b * q] += v[zi + a] * vb }
                      let column = panel + b * m
                      for a in 0..<m { out[column + a] += r[a] * vb }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return (zz, xyz)
  }

  /// `[X y]ᵀ[X y]`, lower triangle (the strict upper triangle is zero).
  /// - Parameters:
  ///   - x: n × p matrix.
  ///   - y: Length-n vector.
  /// - Returns: The (p+1) × (p+1) cross-product matrix.
  public static func crossProduct(x: Matrix, y: [Double]) -> Matrix {
    let n = y.count
    let p = x.columns
    let m = p + 1
    precondition(x.rows == n, "shapes")
    var out = Matrix(rows: m, columns: m)
    var row = [Double](repeating: 0, count: m)
    x.storage.withUnsafeBufferPointer { xs in
      y.withUnsafeBufferPointer { ys in
        out.storage.withUnsafeMutableBufferPointer { o in
          row.withUnsafeMutableBufferPointer { r in
            for i in 0..<n {
              for c in 0..<p { r[c] = xs[i + c * n] }
              r[p] = ys[i]
              for j in 0..<m {
                let rj = r[j]
                if rj == 0 { continue }
                for k in j..<m { o[k + j * m] += r[k] * rj }
              }
            }
          }
        }
      }
    }
    return out
  }
}
