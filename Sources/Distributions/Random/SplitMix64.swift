/// Vigna's SplitMix64 generator: a 64-bit counter advanced by the golden-ratio increment and
/// passed through a bijective mixing function (Steele, Lea & Flood 2014, "Fast splittable
/// pseudorandom number generators", OOPSLA; constants from Vigna's reference `splitmix64.c`).
///
/// Used here only to expand a single `UInt64` seed into the 256-bit state of
/// `Xoshiro256StarStar`, as its authors recommend; every output is a pure function of the
/// seed, identical on every platform.
///
///     state += 0x9e3779b97f4a7c15
///     z = (state ^ (state >> 30)) · 0xbf58476d1ce4e5b9
///     z = (z ^ (z >> 27)) · 0x94d049bb133111eb
///     return z ^ (z >> 31)
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
  /// The counter; the next output mixes `state + 0x9e3779b97f4a7c15`.
  public private(set) var state: UInt64

  /// Creates a generator whose counter starts at `seed`.
  ///
  /// - Parameter seed: Any value, including 0.
  public init(seed: UInt64) { state = seed }

  /// The next 64 pseudorandom bits.
  ///
  /// - Returns: A uniformly distributed `UInt64`.
  public mutating func next() -> UInt64 {
    state &+= 0x9e37_79b9_7f4a_7c15
    var z = state
    z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
    z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
    return z ^ (z >> 31)
  }
}
