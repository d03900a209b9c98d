/// A linear axis scale with "nice" round tick marks (1, 2, 2.5 or 5 times a power of ten),
/// as a reader would draw them by hand.
///
/// The domain is widened to whole tick steps around the data, so the data never touch the
/// frame; a degenerate range (one value) is widened around it.
public struct NiceScale: Sendable, Equatable {
  /// The lower end of the axis (the first tick).
  public let lower: Double
  /// The upper end of the axis (the last tick).
  public let upper: Double
  /// The distance between ticks.
  public let step: Double
  /// Decimals needed to write every tick without rounding it.
  public let decimals: Int

  /// A scale covering `values` with about `ticks` tick marks.
  /// - Parameters:
  ///   - values: Data values; non-finite ones are ignored. With none, the axis is 0…1.
  ///   - ticks: Target number of ticks (at least 2).
  ///   - includeZero: Widen the range to include 0 (for bars and effect sizes).
  public init<S: Sequence>(covering values: S, ticks: Int = 5, includeZero: Bool = false)
  where S.Element == Double {
    var low = Double.infinity
    var high = -Double.infinity
    for v in values where v.isFinite {
      low = min(low, v)
      high = max(high, v)
    }
    if !low.isFinite {
      low = 0
      high = 1
    }
    if includeZero {
      low = min(low, 0)
      high = max(high, 0)
    }
    if high - low <= 1e-12 * max(1, abs(low)) {
      let pad = low == 0 ? 1 : abs(low) * 0.1
      low -= pad
      high += pad
    }
    let step = NiceScale.niceStep((high - low) / Double(max(ticks - 1, 1)))
    self.step = step
    self.lower = (low / step).rounded(.down) * step
    self.upper = (high / step).rounded(.up) * step
    self.decimals = NiceScale.decimals(of: step)
  }

  /// The tick values from `lower` to `upper`.
  public var ticks: [Double] {
    let count = Int(((upper - lower) / step).rounded()) + 1
    return (0..<count).map { lower + Double($0) * step }
  }

  /// The tick labels, written with `decimals` decimals (`-0` written `0`).
  public var labels: [String] { ticks.map { SVGNumber.fixed($0, decimals: decimals) } }

  /// Maps a value to a position in `range` (lower end of the domain → `range.lowerBound`).
  /// - Parameters:
  ///   - value: A data value.
  ///   - from: Position of `lower`.
  ///   - to: Position of `upper`.
  /// - Returns: The position.
  public func position(of value: Double, from: Double, to: Double) -> Double {
    from + (value - lower) / (upper - lower) * (to - from)
  }

  /// The nice number at or above `raw`: 1, 2, 2.5, 5 or 10 times a power of ten.
  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let exponent = (raw.log10Floor)
    let base = pow10(exponent)
    let fraction = raw / base
    let nice: Double =
      fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10
    return nice * base
  }

  /// Decimals needed to write multiples of `step` exactly (0.25 → 2, 5 → 0).
  static func decimals(of step: Double) -> Int {
    for d in 0...12 {
      let scaled = step * pow10(d)
      if abs(scaled - scaled.rounded()) < 1e-9 * max(1, scaled) { return d }
    }
    return 12
  }

  /// 10^k for integer k, exact for the magnitudes axes use.
  static func pow10(_ k: Int) -> Double {
    var result = 1.0
    if k >= 0 {
      for _ in 0..<k { result *= 10 }
    } else {
      for _ in 0..<(-k) { result /= 10 }
    }
    return result
  }
}

extension Double {
  /// ⌊log₁₀ x⌋ for x > 0, found by scaling (no libm call, so the same on every platform).
  fileprivate var log10Floor: Int {
    var k = 0
    var x = self
    while x >= 10 {
      x /= 10
      k += 1
    }
    while x < 1 {
      x *= 10
      k -= 1
    }
    return k
  }
}
