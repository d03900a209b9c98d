/// Finite-difference derivatives with Richardson extrapolation, in the scheme lmerTest relies on
/// (numDeriv's defaults): r = 4 step halvings, each estimate combined as
/// `(4^m a_{k+1} − a_k) / (4^m − 1)`, initial steps `h = d|x| + ε·[|x| < 1.78e-5]`.
///
/// Jacobians use d = 1e-4; Hessians d = 0.1 with off-diagonal terms from the diagonal
/// ones (Gill, Murray & Wright's "genD" layout), ε = 1e-4.
enum RichardsonDerivatives {
  private static let zeroTolerance = (Double.ulpOfOne / 7e-7).squareRoot()

  private static func initialSteps(_ x: [Double], d: Double, eps: Double) -> [Double] {
    x.map { abs(d * $0) + (abs($0) < zeroTolerance ? eps : 0) }
  }

  private static func extrapolate(_ a: [[Double]]) -> [Double] {
    var a = a
    let r = a.count
    for m in 1..<r {
      let f = Double(1 << (2 * m))
      for k in 0..<(r - m) {
        a[k] = zip(a[k + 1], a[k]).map { (f * $0 - $1) / (f - 1) }
      }
    }
    return a[0]
  }

  /// The Jacobian of a vector function: `result[j]` is ∂f/∂x_j (a vector as long as f).
  static func jacobian(
    of f: ([Double]) -> [Double], at x: [Double], d: Double = 1e-4, eps: Double = 1e-4,
    levels r: Int = 4
  ) -> [[Double]] {
    let h0 = initialSteps(x, d: d, eps: eps)
    return x.indices.map { j in
      var h = h0[j]
      var approximations = [[Double]]()
      for _ in 0..<r {
        var up = x
        var down = x
        up[j] += h
        down[j] -= h
        approximations.append(zip(f(up), f(down)).map { ($0 - $1) / (2 * h) })
        h /= 2
      }
      return extrapolate(approximations)
    }
  }

  /// The Hessian of a scalar function (row-major, symmetric).
  static func hessian(
    of f: ([Double]) -> Double, at x: [Double], d: Double = 0.1, eps: Double = 1e-4,
    levels r: Int = 4
  ) -> [[Double]] {
    let n = x.count
    let f0 = f(x)
    let h0 = initialSteps(x, d: d, eps: eps)
    var hessian = Dense.zeros(n, n)
    for i in 0..<n {
      var h = h0[i]
      var approximations = [[Double]]()
      for _ in 0..<r {
        var up = x
        var down = x
        up[i] += h
        down[i] -= h
        approximations.append([(f(up) - 2 * f0 + f(down)) / (h * h)])
        h /= 2
      }
      hessian[i][i] = extrapolate(approximations)[0]
    }
    for i in 0..<n {
      for j in 0..<i {
        var hi = h0[i]
        var hj = h0[j]
        var approximations = [[Double]]()
        for _ in 0..<r {
          var up = x
          var down = x
          up[i] += hi
          up[j] += hj
          down[i] -= hi
          down[j] -= hj
          let second = f(up) - 2 * f0 + f(down) - hessian[i][i] * hi * hi - hessian[j][j] * hj * hj
          approximations.append([second / (2 * hi * hj)])
          hi /= 2
          hj /= 2
        }
        let value = extrapolate(approximations)[0]
        hessian[i][j] = value
        hessian[j][i] = value
      }
    }
    return hessian
  }
}
