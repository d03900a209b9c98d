import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014) with Box–Muller normals: a small seeded generator for
/// simulated data sets.
///
/// MixedModelsTests does not depend on the Distributions module (whose `Xoshiro256StarStar`
/// would otherwise be the project's generator), so this local one keeps the simulations
/// reproducible without it.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  private var spare: Double?

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform deviate on the open interval (0, 1).
  mutating func openUniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// A standard normal deviate (Box–Muller; the second of each pair is kept for the next call).
  mutating func normal() -> Double {
    if let spare {
      self.spare = nil
      return spare
    }
    let radius = (-2 * log(openUniform())).squareRoot()
    let angle = 2 * Double.pi * openUniform()
    spare = radius * sin(angle)
    return radius * cos(angle)
  }
}
