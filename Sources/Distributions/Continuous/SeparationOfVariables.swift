#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Genz's separation-of-variables form of a multivariate normal or t rectangle probability:
/// the reordered, possibly rank-deficient Cholesky factor of `R` with every limit attached to
/// the variable it bounds (Genz & Bretz 2009, §4.1).
///
/// Built once per rectangle; `value(at:scale:)` is the integrand at one point of the unit cube
/// and `integrate(df:accuracy:)` the randomised quasi-Monte Carlo rule.
struct SeparationOfVariables {
  /// One bound `lower ≤ Σ_{l<j} coefficients[l] y_l + diagonal · y_j ≤ upper` on variable j.
  struct Bound {
    var coefficients: [Double]
    var diagonal: Double
    var lower: Double
    var upper: Double
  }

  /// The bounds of each integration variable, in integration order (rank entries).
  private(set) var bounds: [[Bound]] = []
  /// False when a zero-variance row excludes 0: the probability is 0.
  private(set) var feasible = true

  /// `bounds` flattened for the integrand: bound b (of variable `owner`) has its limits,
  /// diagonal, and coefficients at `coefficients[b * rank ..< b * rank + owner]`; the bounds of
  /// variable j are `first[j] ..< first[j + 1]`.
  private var flatLower: [Double] = []
  private var flatUpper: [Double] = []
  private var flatDiagonal: [Double] = []
  private var flatCoefficients: [Double] = []
  private var first: [Int] = [0]

  /// The rank below which a remaining conditional variance counts as zero (relative to 1).
  private static let singularTolerance = 1e-10

  /// Orders and factors `correlation` for the rectangle `[lower, upper]`.
  init(correlation: [[Double]], lower: [Double], upper: [Double]) {
    let m = correlation.count
    var factor = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
    var remaining = Array(0..<m)
    var expectations = [Double]()
    var pivots = [Int]()
    // Rows found singular at step j, with j (their last column is below j).
    var singular = [(row: Int, step: Int)]()
    var step = 0
    while !remaining.isEmpty {
      var best: (index: Int, probability: Double)?
      var kept = [Int]()
      for i in remaining {
        let variance =
          correlation[i][i] - (0..<step).reduce(0) { $0 + factor[i][$1] * factor[i][$1] }
        if variance <= Self.singularTolerance * correlation[i][i] {
          singular.append((i, step))
          continue
        }
        kept.append(i)
        let sd = variance.squareRoot()
        let shift = (0..<step).reduce(0) { $0 + factor[i][$1] * expectations[$1] }
        let p =
          standardNormalLowerTail(Self.standardized(upper[i], shift, sd))
          - standardNormalLowerTail(Self.standardized(lower[i], shift, sd))
        if best == nil || p < (best?.probability ?? .infinity) { best = (i, p) }
      }
      remaining = kept
      guard let pivot = best?.index else { break }
      remaining.removeAll { $0 == pivot }
      let variance =
        correlation[pivot][pivot]
        - (0..<step).reduce(0) { $0 + factor[pivot][$1] * factor[pivot][$1] }
      let diagonal = variance.squareRoot()
      factor[pivot][step] = diagonal
      for i in remaining {
        let inner = (0..<step).reduce(0) { $0 + factor[i][$1] * factor[pivot][$1] }
        factor[i][step] = (correlation[i][pivot] - inner) / diagonal
      }
      let shift = (0..<step).reduce(0) { $0 + factor[pivot][$1] * expectations[$1] }
      expectations.append(
        Self.truncatedMean(
          Self.standardized(lower[pivot], shift, diagonal),
          Self.standardized(upper[pivot], shift, diagonal)))
      pivots.append(pivot)
      step += 1
    }
    bounds = pivots.enumerated().map { j, row in
      [
        Bound(
          coefficients: Array(factor[row][0..<j]), diagonal: factor[row][j], lower: lower[row],
          upper: upper[row])
      ]
    }
    for (row, found) in singular {
      // The last column this row loads on; its later entries are zero by construction.
      var column = found - 1
      while column >= 0 && abs(factor[row][column]) <= 1e-12 { column -= 1 }
      guard column >= 0 else {
        if lower[row] > 0 || upper[row] < 0 { feasible = false }
        continue
      }
      let d = factor[row][column]
      let c = Array(factor[row][0..<column])
      bounds[column].append(
        d > 0
          ? Bound(coefficients: c, diagonal: d, lower: lower[row], upper: upper[row])
          : Bound(coefficients: c.map { -$0 }, diagonal: -d, lower: -upper[row], upper: -lower[row])
      )
    }
    let r = bounds.count
    for (j, list) in bounds.enumerated() {
      for bound in list {
        flatLower.append(bound.lower)
        flatUpper.append(bound.upper)
        flatDiagonal.append(bound.diagonal)
        var row = [Double](repeating: 0, count: r)
        for l in 0..<j { row[l] = bound.coefficients[l] }
        flatCoefficients += row
      }
      first.append(flatLower.count)
    }
  }

  /// The rank of the correlation matrix: the number of integration variables.
  var rank: Int { first.count - 1 }

  /// `(limit − shift)/sd`, keeping infinite limits infinite.
  private static func standardized(_ limit: Double, _ shift: Double, _ sd: Double) -> Double {
    limit.isInfinite ? limit : (limit - shift) / sd
  }

  /// `E[Z | a ≤ Z ≤ b]` for a standard normal Z.
  private static func truncatedMean(_ a: Double, _ b: Double) -> Double {
    let mass = standardNormalLowerTail(b) - standardNormalLowerTail(a)
    func phi(_ x: Double) -> Double {
      x.isInfinite ? 0 : exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    }
    if mass > 1e-300 { return (phi(a) - phi(b)) / mass }
    if a.isFinite && b.isFinite { return 0.5 * (a + b) }
    return a.isFinite ? a : (b.isFinite ? b : 0)
  }

  /// The interval `[lo, hi]` of variable j given the earlier `y` and the t scale `s`.
  @inline(__always)
  private func interval(_ j: Int, _ y: [Double], _ s: Double) -> (Double, Double) {
    var lo = -Double.infinity
    var hi = Double.infinity
    let r = bounds.count
    for b in first[j]..<first[j + 1] {
      var dot = 0.0
      let offset = b * r
      for l in 0..<j { dot += flatCoefficients[offset + l] * y[l] }
      let lower = flatLower[b]
      let upper = flatUpper[b]
      if lower.isFinite { lo = max(lo, (lower * s - dot) / flatDiagonal[b]) }
      if upper.isFinite { hi = min(hi, (upper * s - dot) / flatDiagonal[b]) }
    }
    return (lo, hi)
  }

  /// `Φ(x) = erfc(−x/√2)/2` from the C library: faster than Cody's rational functions, and
  /// accurate in relative terms in the lower tail, which is what the differences `e − d` need.
  @inline(__always)
  private static func phi(_ x: Double) -> Double {
    0.5 * SpecialFunctions.erfc(-x * 0.707_106_781_186_547_524_4)
  }

  /// The integrand at the cube point `x` (or its mirror `1 − x`): coordinate `first` onwards
  /// drive the normal variables, and `s` is the t scale.
  private func value(
    at x: [Double], mirrored: Bool, first: Int, scale s: Double, y: inout [Double]
  ) -> Double {
    var f = 1.0
    var next = first
    for j in 0..<rank {
      let (lo, hi) = interval(j, y, s)
      if lo >= hi { return 0 }
      let d = Self.phi(lo)
      let e = Self.phi(hi)
      f *= e - d
      if f <= 0 { return 0 }
      if j + 1 < rank {
        let w = mirrored ? 1 - x[next] : x[next]
        let p = min(max(d + w * (e - d), 1e-300), 1 - 0x1p-53)
        y[j] = standardNormalQuantile(lower: p)
        next += 1
      }
    }
    return f
  }

  /// The probability for `ν = df` by the randomised Richtmyer rule.
  func integrate(df: Double, scale chi: ChiScale?, accuracy: MultivariateT.Accuracy)
    -> MultivariateT.Probability
  {
    guard feasible, rank > 0 else {
      return .init(value: feasible ? 1 : 0, error: 0, evaluations: 0, reachedTarget: true)
    }
    if rank == 1 {
      // One variable: lo ≤ Z ≤ hi with Z standard normal, and T = Z/s is Student's t.
      let (lo, hi) = interval(0, [], 1)
      let value: Double
      if lo >= hi {
        value = 0
      } else if df.isInfinite {
        value = max(0, standardNormalLowerTail(hi) - standardNormalLowerTail(lo))
      } else {
        let t = StudentT(df: df)
        value = hi <= 0 ? max(0, t.cdf(hi) - t.cdf(lo)) : max(0, t.ccdf(lo) - t.ccdf(hi))
      }
      return .init(value: value, error: 0, evaluations: 0, reachedTarget: true)
    }
    let dimensions = rank - 1 + (chi == nil ? 0 : 1)
    let generators = QuasiRandomRule.richtmyer(dimensions)
    let shifts = QuasiRandomRule.shifts(count: QuasiRandomRule.shiftCount, dimensions: dimensions)
    var sums = [Double](repeating: 0, count: shifts.count)
    var points = 0
    var block = 128
    var x = [Double](repeating: 0, count: dimensions)
    let flatShifts = shifts.flatMap { $0 }
    var y = [Double](repeating: 0, count: rank)
    let perPoint = 2 * shifts.count
    let firstCoordinate = chi == nil ? 0 : 1
    while true {
      for k in points..<(points + block) {
        let kk = Double(k + 1)
        for i in 0..<shifts.count {
          for d in 0..<dimensions {
            let t = kk * generators[d] + flatShifts[i * dimensions + d]
            x[d] = abs(2 * (t - t.rounded(.down)) - 1)
          }
          let s = chi?.scale(x[0]) ?? 1
          let sMirrored = chi?.scale(1 - x[0]) ?? 1
          let pair =
            value(at: x, mirrored: false, first: firstCoordinate, scale: s, y: &y)
            + value(at: x, mirrored: true, first: firstCoordinate, scale: sMirrored, y: &y)
          sums[i] += 0.5 * pair
        }
      }
      points += block
      let means = sums.map { $0 / Double(points) }
      let mean = means.reduce(0, +) / Double(means.count)
      let variance =
        means.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        / Double(means.count * (means.count - 1))
      let error = 3.5 * variance.squareRoot()
      let evaluations = points * perPoint
      let reached = error <= accuracy.absoluteError
      if reached || 2 * evaluations > accuracy.maxEvaluations {
        return .init(
          value: min(1, max(0, mean)), error: error, evaluations: evaluations,
          reachedTarget: reached)
      }
      block = points
    }
  }
}

/// The Richtmyer generators and the fixed random shifts of the quasi-Monte Carlo rule.
enum QuasiRandomRule {
  /// Shifts per rule: the error estimate is their standard error.
  static let shiftCount = 12
  /// The fixed seed of the shifts, so results are reproducible bit for bit.
  static let seed: UInt64 = 0x5EED_0F_1992

  /// Fractional parts of `√p` for the first `count` primes.
  static func richtmyer(_ count: Int) -> [Double] {
    var primes = [Int]()
    var candidate = 2
    while primes.count < count {
      if primes.allSatisfy({ candidate % $0 != 0 }) { primes.append(candidate) }
      candidate += 1
    }
    return primes.map { p in
      let root = Double(p).squareRoot()
      return root - root.rounded(.down)
    }
  }

  /// `count` uniform shift vectors of `dimensions` coordinates from the fixed seed.
  static func shifts(count: Int, dimensions: Int) -> [[Double]] {
    var generator = Xoshiro256StarStar(seed: seed)
    return (0..<count).map { _ in (0..<dimensions).map { _ in generator.uniform() } }
  }
}
