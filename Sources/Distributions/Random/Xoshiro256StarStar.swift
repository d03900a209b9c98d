/// The xoshiro256** pseudorandom generator (Blackman & Vigna 2021, "Scrambled linear
/// pseudorandom number generators", ACM TOMS 47(4)): 256 bits of state, period 2²⁵⁶ − 1,
/// passes BigCrush and PractRand, and is the generator behind Julia's default and NumPy's
/// `SFC`-era peers.
///
/// Every simulation in Trajectory (data sets with known truth, power by simulation, parametric
/// bootstrap) draws from this type, so that a seed reproduces a run bit for bit on every
/// platform: the integer stream uses only wrapping integer arithmetic, and `uniform()` is an
/// exact function of it. (Variates that go through `log`, `sqrt` or `exp` — `normal()`,
/// `gamma(shape:scale:)` and the like — consume the stream identically everywhere, but their
/// last bit can depend on the platform's libm.)
///
///     result = rotl(s₁ · 5, 7) · 9
///     t = s₁ << 17;  s₂ ^= s₀;  s₃ ^= s₁;  s₁ ^= s₂;  s₀ ^= s₃;  s₂ ^= t;  s₃ = rotl(s₃, 45)
///
/// A seed is expanded to the four state words by four successive `SplitMix64` outputs, as the
/// authors recommend. Independent streams for parallel replicates come from `jump()`, which
/// advances the state by 2¹²⁸ steps.
///
/// Invariant: the state is never all zero. The type also caches the second normal deviate of
/// each polar-method pair (see `normal()`), which is part of its value.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Hashable {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// The four state words `[s₀, s₁, s₂, s₃]`, for example to save and later restore a stream with
  /// `init(state:)`.
  public var state: [UInt64] { [s0, s1, s2, s3] }
  /// The unused second deviate of the last polar-method pair, if any.
  var spareNormal: Double?

  /// Creates a generator seeded from one 64-bit value via `SplitMix64`.
  ///
  /// - Parameter seed: Any value, including 0.
  public init(seed: UInt64) {
    var mixer = SplitMix64(seed: seed)
    s0 = mixer.next()
    s1 = mixer.next()
    s2 = mixer.next()
    s3 = mixer.next()
  }

  /// Creates a generator from an explicit state (for example one saved from `state`).
  ///
  /// - Parameter state: Four words, not all zero.
  /// - Precondition: `state.count == 4` and some word is non-zero.
  public init(state: [UInt64]) {
    precondition(state.count == 4, "xoshiro256** state has four words")
    precondition(state.contains { $0 != 0 }, "xoshiro256** state must not be all zero")
    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
  }

  /// The next 64 pseudorandom bits.
  ///
  /// - Returns: A uniformly distributed `UInt64`.
  public mutating func next() -> UInt64 {
    let result = rotateLeft(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotateLeft(s3, 45)
    return result
  }

  /// Advances the state by 2¹²⁸ steps.
  ///
  /// Advances the state by 2¹²⁸ calls to `next()` (the authors' `jump`), giving a stream that
  /// does not overlap the current one for any practical length. Use one jump per parallel
  /// replicate: `var r = base; for _ in 0..<k { r.jump() }`.
  ///
  /// - Complexity: 256 calls to `next()`.
  public mutating func jump() {
    let polynomial: [UInt64] = [
      0x180e_c6d3_3cfd_0aba, 0xd5a6_1266_f0c9_392c, 0xa958_2618_e03f_c9aa, 0x39ab_dc45_29b1_661c,
    ]
    var (t0, t1, t2, t3): (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    for word in polynomial {
      for bit in 0..<64 {
        if word & (1 << UInt64(bit)) != 0 {
          t0 ^= s0
          t1 ^= s1
          t2 ^= s2
          t3 ^= s3
        }
        _ = next()
      }
    }
    (s0, s1, s2, s3) = (t0, t1, t2, t3)
    spareNormal = nil
  }
}

/// `x` rotated left by `k` bits.
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
  (x << k) | (x >> (64 - k))
}
