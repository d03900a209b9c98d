import Foundation

/// SplitMix64 (Steele, Lea & Flood 2014) with uniform and Box–Muller normal deviates: the one
/// small seeded generator the test suites share for reproducible cases and simulated data.
///
/// Named apart from the Distributions module's generators so that suites importing both see
/// no ambiguity; the project's own simulations use `Xoshiro256StarStar`.
public struct TestGenerator: RandomNumberGenerator {
  /// The generator's whole state.
  public var state: UInt64
  private var spare: Double?

  /// A generator whose state is `state`.
  /// - Parameter state: The initial state.
  public init(state: UInt64) { self.state = state }

  /// A generator seeded with `seed` (the same as `init(state:)`).
  /// - Parameter seed: The seed.
  public init(seed: UInt64) { self.state = seed }

  /// The next 64 random bits.
  /// - Returns: A uniformly distributed `UInt64`.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform deviate on [−1, 1).
  /// - Returns: The deviate.
  public mutating func symmetricUniform() -> Double {
    Double(next() >> 11) * 0x1.0p-52 - 1
  }

  /// A uniform deviate on the open interval (0, 1).
  /// - Returns: The deviate.
  public mutating func openUniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// A standard normal deviate (Box–Muller; the second of each pair is kept for the next call).
  /// - Returns: The deviate.
  public mutating func normal() -> Double {
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
