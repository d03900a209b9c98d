/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for test values.
///
/// ReportsTests depends only on Reports and TestSupport, so the
/// Distributions module's generators are not available here.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform deviate on [−1, 1).
  mutating func symmetricUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-52 - 1
  }
}
