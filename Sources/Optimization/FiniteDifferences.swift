/// Finite-difference derivatives of an objective: the one engine the fits (convergence checks,
/// Newton polish) and inference (Satterthwaite, Kenward–Roger's observed information) use.
///
/// Each scheme mirrors a reference implementation term for term, so that results agree with it
/// to rounding and stay the same to the bit from one release to the next:
///
/// | scheme | step | truncation error | evaluations (k parameters) | mirrors |
/// |---|---|---|---|---|
/// | `centralGradientAndHessian` | δ = 1e-4 | O(δ²) | 2k + 4·k(k−1)/2 = 2k² | lme4's `deriv12` |
/// | `centralGradientAndForwardHessian` | δ = 1e-4 | O(δ²) gradient and diagonal, O(δ) off-diagonal | 2k + k(k−1)/2 | — (lme4's central gradient, cheaper Hessian) |
/// | `centralGradient` | δ = 1e-4 | O(δ²) | 2k | lme4's `deriv12` gradient |
/// | `fivePointDerivative` | h, given | O(h⁴) | 4 per coordinate | one Richardson step on central differences |
/// | `richardsonJacobian` | h₀ = 1e-4·\|x\| (+1e-4 near 0), r = 4 halvings | O(h₀^(2r)) | 2rk | numDeriv's `jacobian(method = "Richardson")` |
/// | `richardsonHessian` | h₀ = 0.1·\|x\| (+1e-4 near 0), r = 4 halvings | O(h₀^(2r)) | 1 + 2rk + 2r·k(k−1)/2 | numDeriv's `hessian` (`genD`) |
///
/// Matrices come back as flat `k*k` arrays in row-major order (symmetric, so also column-major).
public enum FiniteDifferences {
  // MARK: - Central differences (lme4)

  /// Central-difference gradient and Hessian, lme4's `deriv12`.
  ///
  /// For each coordinate j, `f(x ± δe_j)` give `g_j = (f₊ − f₋)/(2δ)` and
  /// `H_jj = (f₊ − 2f(x) + f₋)/δ²`; for each pair i < j, the four corners give
  /// `H_ij = (f₊₊ − f₊₋ − f₋₊ + f₋₋)/(4δ²)`. No bounds are honoured: points outside them are
  /// evaluated (harmless for θ, which enters only through Λ Λᵀ). Truncation error O(δ²).
  /// - Parameters:
  ///   - f: The objective.
  ///   - x: Where to differentiate.
  ///   - fx: `f(x)`, already known.
  ///   - delta: The step δ.
  /// - Returns: The gradient and the Hessian (k*k, row-major, symmetric).
  /// - Complexity: 2k² evaluations of `f`.
  public static func centralGradientAndHessian(
    of f: ([Double]) -> Double, at x: [Double], value fx: Double, step delta: Double = 1e-4
  ) -> (gradient: [Double], hessian: [Double]) {
    let n = x.count
    var g = [Double](repeating: 0, count: n)
    var h = [Double](repeating: 0, count: n * n)
    func shifted(_ changes: [(Int, Double)]) -> [Double] {
      var y = x
      for (i, d) in changes { y[i] += d }
      return y
    }
    for j in 0..<n {
      let fadd = f(shifted([(j, delta)]))
      let fsub = f(shifted([(j, -delta)]))
      h[j * n + j] = (fadd - 2 * fx + fsub) / (delta * delta)
      g[j] = (fadd - fsub) / (2 * delta)
      for i in 0..<j {
        let faa = f(shifted([(i, delta), (j, delta)]))
        let fas = f(shifted([(i, delta), (j, -delta)]))
        let fsa = f(shifted([(i, -delta), (j, delta)]))
        let fss = f(shifted([(i, -delta), (j, -delta)]))
        let hij = (faa - fas - fsa + fss) / (4 * delta * delta)
        h[i * n + j] = hij
        h[j * n + i] = hij
      }
    }
    return (g, h)
  }

  /// Number of evaluations `centralGradientAndHessian` makes for `k` parameters.
  /// - Parameter k: The number of parameters.
  /// - Returns: 2 per coordinate and 4 per pair.
  public static func centralGradientAndHessianEvaluations(_ k: Int) -> Int {
    2 * k + 2 * k * (k - 1)
  }

  /// Central-difference gradient alone, the gradient of lme4's `deriv12`.
  ///
  /// `g_j = (f(x + δe_j) − f(x − δe_j))/(2δ)`; truncation error O(δ²).
  /// - Parameters:
  ///   - f: The objective.
  ///   - x: Where to differentiate.
  ///   - delta: The step δ.
  /// - Returns: The gradient.
  /// - Complexity: 2k evaluations of `f`.
  public static func centralGradient(
    of f: ([Double]) -> Double, at x: [Double], step delta: Double = 1e-4
  ) -> [Double] {
    x.indices.map { j in
      var up = x
      var down = x
      up[j] += delta
      down[j] -= delta
      return (f(up) - f(down)) / (2 * delta)
    }
  }

  /// Central-difference gradient and Hessian diagonal with forward-difference off-diagonal
  /// entries, `H_ij = (f(x + δe_i + δe_j) − f(x + δe_i) − f(x + δe_j) + f(x))/δ²`, reusing the
  /// `f(x + δe_i)` of the gradient.
  ///
  /// The off-diagonal entries carry an O(δ) error, far below what convergence checks and a
  /// Newton polish need; the saving over `centralGradientAndHessian` (k(k−1)/2 evaluations for
  /// the pairs instead of 2k(k−1)) matters with the 55 parameters of an unstructured covariance
  /// on 10 visits.
  /// - Parameters:
  ///   - f: The objective.
  ///   - x: Where to differentiate.
  ///   - fx: `f(x)`, already known.
  ///   - delta: The step δ.
  /// - Returns: The gradient and the Hessian (k*k, row-major, symmetric).
  /// - Complexity: 2k + k(k−1)/2 evaluations of `f`.
  public static func centralGradientAndForwardHessian(
    of f: ([Double]) -> Double, at x: [Double], value fx: Double, step delta: Double = 1e-4
  ) -> (gradient: [Double], hessian: [Double]) {
    let k = x.count
    var gradient = [Double](repeating: 0, count: k)
    var hessian = [Double](repeating: 0, count: k * k)
    var up = [Double](repeating: 0, count: k)
    for i in 0..<k {
      var y = x
      y[i] += delta
      up[i] = f(y)
      y[i] = x[i] - delta
      let down = f(y)
      gradient[i] = (up[i] - down) / (2 * delta)
      hessian[i * k + i] = (up[i] - 2 * fx + down) / (delta * delta)
    }
    for i in 0..<k {
      for j in 0..<i {
        var y = x
        y[i] += delta
        y[j] += delta
        let h = (f(y) - up[i] - up[j] + fx) / (delta * delta)
        hessian[i * k + j] = h
        hessian[j * k + i] = h
      }
    }
    return (gradient, hessian)
  }

  /// The five-point central difference of a function of one displacement,
  /// `f′ ≈ (8(g(h) − g(−h)) − (g(2h) − g(−2h)))/(12h)`: one Richardson step over central
  /// differences at h and 2h, truncation error O(h⁴).
  ///
  /// Used for the gradient of the LMM's Newton polish, where each coordinate has its own step
  /// (kept off its bound).
  /// - Parameters:
  ///   - g: The function of the displacement along one coordinate (g(0) = f(x)).
  ///   - h: The step.
  /// - Returns: The derivative at displacement 0.
  /// - Complexity: 4 evaluations of `g`, in the order h, −h, 2h, −2h.
  public static func fivePointDerivative(of g: (Double) -> Double, step h: Double) -> Double {
    (8 * (g(1 * h) - g(-1 * h)) - (g(2 * h) - g(-2 * h))) / (12 * h)
  }

  // MARK: - Richardson extrapolation (numDeriv)

  private static let zeroTolerance = (Double.ulpOfOne / 7e-7).squareRoot()

  /// numDeriv's initial steps `h = |d·x| + eps·[|x| < √(ε/7e-7)]`.
  private static func initialSteps(_ x: [Double], d: Double, eps: Double) -> [Double] {
    x.map { abs(d * $0) + (abs($0) < zeroTolerance ? eps : 0) }
  }

  /// Richardson's table: `a_k ← (4^m a_{k+1} − a_k)/(4^m − 1)` for m = 1…r−1.
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

  /// r differences at steps h₀, h₀/2, …, h₀/2^(r−1), extrapolated.
  private static func extrapolated(
    from h0: Double, levels r: Int, _ difference: (Double) -> [Double]
  ) -> [Double] {
    var h = h0
    var approximations = [[Double]]()
    for _ in 0..<r {
      approximations.append(difference(h))
      h /= 2
    }
    return extrapolate(approximations)
  }

  /// The Jacobian of a vector function by central differences with Richardson extrapolation,
  /// numDeriv's `jacobian(method = "Richardson")` with its defaults (lmerTest's and mmrm's
  /// Satterthwaite use it).
  ///
  /// Per coordinate j, r central differences with steps h₀, h₀/2, …, h₀/2^(r−1) are combined
  /// as `(4^m a_{k+1} − a_k)/(4^m − 1)`, cancelling the error terms up to order 2r − 1.
  /// - Parameters:
  ///   - f: The function (every call returns as many values).
  ///   - x: Where to differentiate.
  ///   - d: Relative initial step.
  ///   - eps: Absolute initial step for coordinates near zero.
  ///   - r: Number of step halvings (≥ 2).
  /// - Returns: `result[j]` is ∂f/∂x_j, a vector as long as f's value.
  /// - Complexity: 2rk evaluations of `f`.
  public static func richardsonJacobian(
    of f: ([Double]) -> [Double], at x: [Double], d: Double = 1e-4, eps: Double = 1e-4,
    levels r: Int = 4
  ) -> [[Double]] {
    let h0 = initialSteps(x, d: d, eps: eps)
    return x.indices.map { j in
      extrapolated(from: h0[j], levels: r) { h in
        var up = x
        var down = x
        up[j] += h
        down[j] -= h
        return zip(f(up), f(down)).map { ($0 - $1) / (2 * h) }
      }
    }
  }

  /// The Hessian of a scalar function with Richardson extrapolation, numDeriv's `hessian`
  /// (its `genD` layout: the diagonal first, each off-diagonal entry from the second difference
  /// along `e_i + e_j` less the two diagonal terms — Gill, Murray & Wright).
  /// - Parameters:
  ///   - f: The function.
  ///   - x: Where to differentiate.
  ///   - d: Relative initial step.
  ///   - eps: Absolute initial step for coordinates near zero.
  ///   - r: Number of step halvings (≥ 2).
  /// - Returns: The Hessian, k*k row-major (symmetric).
  /// - Complexity: 1 + 2rk + r·k(k−1) evaluations of `f`.
  public static func richardsonHessian(
    of f: ([Double]) -> Double, at x: [Double], d: Double = 0.1, eps: Double = 1e-4,
    levels r: Int = 4
  ) -> [Double] {
    let n = x.count
    let f0 = f(x)
    let h0 = initialSteps(x, d: d, eps: eps)
    var hessian = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      hessian[i * n + i] =
        extrapolated(from: h0[i], levels: r) { h in
          var up = x
          var down = x
          up[i] += h
          down[i] -= h
          return [(f(up) - 2 * f0 + f(down)) / (h * h)]
        }[0]
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
          let second =
            f(up) - 2 * f0 + f(down) - hessian[i * n + i] * hi * hi
            - hessian[j * n + j] * hj * hj
          approximations.append([second / (2 * hi * hj)])
          hi /= 2
          hj /= 2
        }
        let value = extrapolate(approximations)[0]
        hessian[i * n + j] = value
        hessian[j * n + i] = value
      }
    }
    return hessian
  }
}
