#if canImport(Darwin)
  import Darwin
#elseif canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Finds `v` in `(lower, upper)` with `g(v) = 0` for an increasing `g`, by Newton's method in
/// `log v` safeguarded by bisection (in `log v`) whenever a step leaves the current bracket.
///
/// The inverses of the incomplete beta and gamma functions use it with `g` the log-ratio of the
/// computed tail probability to the target, so that in the power-law tails (`P ≈ C v^a`) the
/// iteration is nearly linear and converges from far away, and in the body it is ordinary
/// Newton. Updates are applied multiplicatively to `v` itself (never through a stored `log v`),
/// so results as small as 10⁻³⁰⁰ keep full relative precision.
///
/// - Parameters:
///   - initial: Starting point inside `(lower, upper)`.
///   - lower: Lower end of the bracket, `≥ 0`.
///   - upper: Upper end of the bracket (may be `+∞`).
///   - evaluate: Returns `g(v)` and `dg/d(log v)` (> 0).
/// - Returns: The root, to about 1e-15 relative, or the best iterate after 300 steps.
func solveIncreasingInLogSpace(
  initial: Double, lower: Double, upper: Double,
  evaluate: (Double) -> (value: Double, slope: Double)
) -> Double {
  var v = initial
  var lo = lower
  var hi = upper
  for _ in 0..<300 {
    let (g, slope) = evaluate(v)
    if g == 0 { return v }
    if g.isNaN { return v }
    if g > 0 { hi = v } else { lo = v }
    var step = g / slope
    if !step.isFinite { step = g > 0 ? 1 : -1 }
    step = max(-50, min(50, step))
    var next = v * exp(-step)
    if !(next > lo && next < hi) {
      if lo > 0 && hi.isFinite {
        next = lo.squareRoot() * hi.squareRoot()
      } else if lo > 0 {
        next = lo * 16
      } else {
        next = hi / 16
      }
    }
    if abs(next - v) <= 1e-15 * v { return next }
    if lo > 0 && hi.isFinite && hi - lo <= 1e-15 * lo { return next }
    v = next
  }
  return v
}
