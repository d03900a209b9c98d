extension MultivariateT {
  /// A two-sided equicoordinate quantile with its error estimate.
  public struct Quantile: Sendable, Equatable {
    /// The `c` with `P(|T_k| ≤ c for all k) = level`.
    public let value: Double
    /// Estimated absolute error of `value`: the probability's error over the slope of the
    /// probability in `c` (0 when exact).
    public let error: Double
    /// The probability's error estimate at the quasi-Monte Carlo rule used.
    public let probabilityError: Double
    /// Integrand evaluations of the rule used at each trial `c`.
    public let evaluations: Int
  }

  /// The two-sided equicoordinate quantile: the `c` with `P(max_k |T_k| ≤ c) = level`, the
  /// critical value of simultaneous intervals `estimate ± c · SE` (Genz & Bretz 2009, §5.1).
  ///
  /// The quasi-Monte Carlo rule is chosen once, adaptively, at the Bonferroni bound
  /// `c_B = t_ν⁻¹(1 − (1 − level)/(2m))`; with its points fixed the probability is a smooth,
  /// deterministic function of `c`, and the root in `[t_ν⁻¹(1 − (1 − level)/2), c_B]` is found
  /// by the Illinois variant of regula falsi to 1e-8. One dimension (or rank 1) gives the
  /// univariate t quantile exactly.
  ///
  /// - Parameters:
  ///   - level: The simultaneous coverage, in `(0, 1)`, such as 0.95.
  ///   - accuracy: Target error and evaluation limit of each probability.
  /// - Returns: The quantile and its error estimate.
  /// - Precondition: `0 < level < 1`.
  public func twoSidedEquicoordinateQuantile(
    level: Double, accuracy: Accuracy = .standard
  ) -> Quantile {
    precondition(level > 0 && level < 1, "level must be in (0, 1), got \(level)")
    let m = dimension
    let univariate: (Double) -> Double = { q in
      self.df.isInfinite
        ? Normal.standard.quantile(upperTail: q) : StudentT(df: self.df).quantile(upperTail: q)
    }
    var lo = univariate((1 - level) / 2)
    var hi = univariate((1 - level) / (2 * Double(m)))
    let ones = [Double](repeating: 1, count: m)
    let shape = SeparationOfVariables(
      correlation: correlation, lower: ones.map { -$0 }, upper: ones)
    if shape.rank <= 1 { return Quantile(value: lo, error: 0, probabilityError: 0, evaluations: 0) }
    let first = probability(
      lower: ones.map { -hi * $0 }, upper: ones.map { hi * $0 }, accuracy: accuracy)
    // Fix the rule: the same number of points at every trial c.
    let fixed = Accuracy(absoluteError: 0, maxEvaluations: max(first.evaluations, 1))
    func excess(_ c: Double) -> Double {
      probability(lower: ones.map { -c * $0 }, upper: ones.map { c * $0 }, accuracy: fixed).value
        - level
    }
    var fLo = excess(lo)
    var fHi = first.value - level
    var widen = 0
    while fHi < 0 && widen < 20 {
      lo = hi
      fLo = fHi
      hi *= 1.25
      fHi = excess(hi)
      widen += 1
    }
    while fLo > 0 && widen < 40 {
      hi = lo
      fHi = fLo
      lo *= 0.8
      fLo = excess(lo)
      widen += 1
    }
    var side = 0
    var root = 0.5 * (lo + hi)
    // The last two trial points, for the slope (the Illinois step rescales fLo/fHi).
    var recent = [(lo, fLo), (hi, fHi)]
    for _ in 0..<200 {
      root = (lo * fHi - hi * fLo) / (fHi - fLo)
      if !(root > lo && root < hi) { root = 0.5 * (lo + hi) }
      let f = excess(root)
      recent = [recent[1], (root, f)]
      if f == 0 || hi - lo < 1e-8 { break }
      if f < 0 {
        lo = root
        fLo = f
        if side == -1 { fHi *= 0.5 }
        side = -1
      } else {
        hi = root
        fHi = f
        if side == 1 { fLo *= 0.5 }
        side = 1
      }
      if hi - lo < 1e-8 { break }
    }
    // Slope of the probability at the root, from the final bracket, for the error of c.
    let (a, b) = (recent[0], recent[1])
    let slope = b.0 != a.0 ? (b.1 - a.1) / (b.0 - a.0) : .nan
    return Quantile(
      value: root, error: slope > 0 ? first.error / slope : first.error,
      probabilityError: first.error, evaluations: first.evaluations)
  }
}
