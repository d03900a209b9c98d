/// f(x) = c + gᵀ(x − x₀) + ½ (x − x₀)ᵀ H (x − x₀): gradient g + H(x − x₀) and Hessian H exactly,
/// the test function of finite-difference schemes (no truncation error beyond second order)
/// and of convergence checks.
public struct QuadraticFunction: Sendable {
  /// x₀.
  public let center: [Double]
  /// g, the gradient at x₀.
  public let slope: [Double]
  /// H, row-major and symmetric.
  public let hessian: [Double]
  /// c = f(x₀).
  public let constant: Double

  /// Creates the function.
  /// - Parameters:
  ///   - center: x₀.
  ///   - slope: g.
  ///   - hessian: H, row-major, symmetric.
  ///   - constant: f(x₀).
  public init(center: [Double], slope: [Double], hessian: [Double], constant: Double) {
    precondition(slope.count == center.count && hessian.count == center.count * center.count)
    self.center = center
    self.slope = slope
    self.hessian = hessian
    self.constant = constant
  }

  /// The number of variables.
  public var dimension: Int { center.count }

  /// f(x).
  /// - Parameter x: The point.
  /// - Returns: The value.
  public func value(_ x: [Double]) -> Double {
    let d = zip(x, center).map { $0 - $1 }
    var f = constant
    for i in 0..<dimension {
      f += slope[i] * d[i]
      for j in 0..<dimension { f += 0.5 * d[i] * hessian[i * dimension + j] * d[j] }
    }
    return f
  }

  /// ∇f(x).
  /// - Parameter x: The point.
  /// - Returns: The gradient.
  public func gradient(_ x: [Double]) -> [Double] {
    let d = zip(x, center).map { $0 - $1 }
    return (0..<dimension).map { i in
      slope[i] + (0..<dimension).reduce(0.0) { $0 + hessian[i * dimension + $1] * d[$1] }
    }
  }

  /// H = B Bᵀ + s·I for a B drawn from `TestGenerator(seed:)` (positive definite for s > 0).
  /// - Parameters:
  ///   - n: The order.
  ///   - shift: s.
  ///   - seed: The generator's seed.
  /// - Returns: H, row-major.
  public static func positiveDefinite(_ n: Int, shift: Double, seed: UInt64) -> [Double] {
    var generator = TestGenerator(seed: seed)
    let b = (0..<(n * n)).map { _ in generator.normal() }
    var h = [Double](repeating: 0, count: n * n)
    for i in 0..<n {
      for j in 0..<n {
        h[i * n + j] = (0..<n).reduce(0.0) { $0 + b[i * n + $1] * b[j * n + $1] }
      }
      h[i * n + i] += shift
    }
    return h
  }
}
