import Foundation
import Optimization
import TestSupport
import Testing

/// f(x, y, z) = exp(x)·sin(y) + x·z² (smooth, not polynomial), with its exact derivatives.
private enum Smooth {
  static func value(_ v: [Double]) -> Double { exp(v[0]) * sin(v[1]) + v[0] * v[2] * v[2] }

  static func gradient(_ v: [Double]) -> [Double] {
    [exp(v[0]) * sin(v[1]) + v[2] * v[2], exp(v[0]) * cos(v[1]), 2 * v[0] * v[2]]
  }

  /// Row-major 3 × 3.
  static func hessian(_ v: [Double]) -> [Double] {
    let (x, y, z) = (v[0], v[1], v[2])
    return [
      exp(x) * sin(y), exp(x) * cos(y), 2 * z,
      exp(x) * cos(y), -exp(x) * sin(y), 0,
      2 * z, 0, 2 * x,
    ]
  }
}

private func quadratic(_ n: Int) -> QuadraticFunction {
  QuadraticFunction(
    center: (0..<n).map { 0.3 * Double($0) - 0.2 }, slope: (0..<n).map { Double($0) - 1.5 },
    hessian: QuadraticFunction.positiveDefinite(n, shift: 1, seed: UInt64(n)), constant: 7)
}

@Suite("Finite-difference schemes")
struct FiniteDifferencesTests {
  @Test("on a quadratic, lme4's central gradient and Hessian are the analytic ones")
  func centralOnQuadratic() {
    for n in 1...4 {
      let f = quadratic(n)
      let x = (0..<n).map { 0.5 + 0.25 * Double($0) }
      let (gradient, hessian) = FiniteDifferences.centralGradientAndHessian(
        of: f.value, at: x, value: f.value(x))
      expectClose(gradient, f.gradient(x), .finiteDifferenceOnQuadratic, "gradient n=\(n)")
      expectClose(hessian, f.hessian, .finiteDifferenceOnQuadratic, "Hessian n=\(n)")
      expectClose(
        FiniteDifferences.centralGradient(of: f.value, at: x), f.gradient(x),
        .finiteDifferenceOnQuadratic, "gradient alone n=\(n)")
    }
  }

  @Test("lme4's scheme makes 2k² evaluations, the forward Hessian 2k + k(k−1)/2")
  func evaluationCounts() {
    for k in 0...5 {
      var central = 0
      var forward = 0
      let x = [Double](repeating: 0.5, count: k)
      _ = FiniteDifferences.centralGradientAndHessian(
        of: { _ in
          central += 1
          return 0
        }, at: x, value: 0)
      _ = FiniteDifferences.centralGradientAndForwardHessian(
        of: { _ in
          forward += 1
          return 0
        }, at: x, value: 0)
      #expect(central == 2 * k * k)
      #expect(central == FiniteDifferences.centralGradientAndHessianEvaluations(k))
      #expect(forward == 2 * k + k * (k - 1) / 2)
    }
  }

  @Test("the central gradient with forward off-diagonal Hessian is exact on a quadratic")
  func forwardOnQuadratic() {
    for n in 1...4 {
      let f = quadratic(n)
      let x = (0..<n).map { 0.5 - 0.25 * Double($0) }
      let (gradient, hessian) = FiniteDifferences.centralGradientAndForwardHessian(
        of: f.value, at: x, value: f.value(x))
      expectClose(gradient, f.gradient(x), .finiteDifferenceOnQuadratic, "gradient n=\(n)")
      expectClose(hessian, f.hessian, .finiteDifferenceOnQuadratic, "Hessian n=\(n)")
    }
  }

  @Test("the forward off-diagonal Hessian is first-order accurate on a smooth function")
  func forwardOnSmooth() {
    let x = [0.3, 0.7, -0.4]
    let (gradient, hessian) = FiniteDifferences.centralGradientAndForwardHessian(
      of: Smooth.value, at: x, value: Smooth.value(x))
    expectClose(gradient, Smooth.gradient(x), .forwardDifferenceHessian, "gradient")
    expectClose(hessian, Smooth.hessian(x), .forwardDifferenceHessian, "Hessian")
  }

  @Test("numDeriv's Richardson Hessian and Jacobian are accurate to ~1e-8 on a smooth function")
  func richardsonOnSmooth() {
    let x = [0.3, 0.7, -0.4]
    let hessian = FiniteDifferences.richardsonHessian(of: Smooth.value, at: x)
    expectClose(hessian, Smooth.hessian(x), .richardsonOnSmooth, "Hessian")
    // The Jacobian of the gradient is the Hessian; columns are ∂∇f/∂x_j.
    let jacobian = FiniteDifferences.richardsonJacobian(of: Smooth.gradient, at: x)
    expectClose(jacobian.flatMap { $0 }, Smooth.hessian(x), .richardsonOnSmooth, "Jacobian")
  }

  @Test("Richardson steps near zero use the absolute step, so a zero coordinate is handled")
  func richardsonAtZero() {
    let x = [0.0, 0.0, 0.0]
    let hessian = FiniteDifferences.richardsonHessian(of: Smooth.value, at: x)
    expectClose(hessian, Smooth.hessian(x), .richardsonOnSmooth, "Hessian at 0")
    #expect(hessian.allSatisfy { $0.isFinite })
  }

  @Test("Richardson's Hessian is symmetric to the bit and makes 1 + 2rk + r·k(k−1) evaluations")
  func richardsonLayout() {
    var calls = 0
    let x = [0.3, 0.7, -0.4]
    let hessian = FiniteDifferences.richardsonHessian(
      of: {
        calls += 1
        return Smooth.value($0)
      }, at: x)
    #expect(calls == 1 + 2 * 4 * 3 + 4 * 3 * 2)
    for i in 0..<3 {
      for j in 0..<3 { #expect(hessian[i * 3 + j] == hessian[j * 3 + i]) }
    }
  }

  @Test("the five-point difference is exact on a quartic and O(h⁴) on a smooth function")
  func fivePoint() {
    var shifts = [Double]()
    let quartic = FiniteDifferences.fivePointDerivative(
      of: { s in
        shifts.append(s)
        let x = 0.7 + s
        return x * x * x * x - 2 * x * x * x + x
      }, step: 1e-3)
    #expect(shifts == [1e-3, -1e-3, 2e-3, -2e-3])
    // f′(0.7) = 4·0.343 − 6·0.49 + 1; the stencil cancels every term up to x⁴.
    expectClose(quartic, 4 * 0.343 - 6 * 0.49 + 1, .richardsonOnSmooth, "quartic")
    let smooth = FiniteDifferences.fivePointDerivative(of: { exp(0.3 + $0) }, step: 1e-3)
    expectClose(smooth, exp(0.3), .richardsonOnSmooth, "exp")
  }

  @Test("no parameters: empty derivatives")
  func empty() {
    let (gradient, hessian) = FiniteDifferences.centralGradientAndHessian(
      of: { _ in 1 }, at: [], value: 1)
    #expect(gradient.isEmpty && hessian.isEmpty)
    #expect(FiniteDifferences.richardsonHessian(of: { _ in 1 }, at: []).isEmpty)
    #expect(FiniteDifferences.richardsonJacobian(of: { _ in [1] }, at: []).isEmpty)
  }
}
