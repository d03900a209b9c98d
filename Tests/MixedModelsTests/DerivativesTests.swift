import Foundation
import TestSupport
import Testing

@testable import MixedModels

private typealias Quadratic = QuadraticFunction

private func positiveDefinite(_ n: Int, shift: Double, seed: UInt64) -> [Double] {
  QuadraticFunction.positiveDefinite(n, shift: shift, seed: seed)
}

@Suite("lme4's convergence checks on finite-difference derivatives")
struct DerivativesTests {
  @Test("no concern at the minimum of a well-conditioned convex quadratic")
  func noConcernAtMinimum() {
    let n = 3
    let center = [0.4, 1.1, -0.3]
    let quadratic = Quadratic(
      center: center, slope: Array(repeating: 0, count: n),
      hessian: positiveDefinite(n, shift: 1, seed: 10), constant: 100)
    let derivatives = Derivatives(of: quadratic.value, at: center, value: quadratic.value(center))
    #expect(derivatives.convergenceConcerns().isEmpty)
  }

  @Test("a large gradient is flagged, naming the worst component")
  func largeGradient() {
    let n = 3
    let quadratic = Quadratic(
      center: [0, 0, 0], slope: [0.001, 0.5, -0.001],
      hessian: positiveDefinite(n, shift: 1, seed: 11), constant: 0)
    let x = [0.0, 0.0, 0.0]
    let concerns = Derivatives(of: quadratic.value, at: x, value: quadratic.value(x))
      .convergenceConcerns()
    let gradientConcerns = concerns.compactMap { concern -> (Double, Int)? in
      if case .gradient(let maximum, _, let component) = concern { return (maximum, component) }
      return nil
    }
    #expect(gradientConcerns.count == 1)
    #expect((gradientConcerns.first?.0 ?? 0) > 2e-3)
    #expect(gradientConcerns.first?.1 == 2)
    #expect(!concerns.contains { $0.code == "convergence_hessian" })
  }

  @Test("a negative-definite Hessian is flagged with its number of negative eigenvalues")
  func negativeDefinite() {
    for n in 1...3 {
      let positive = positiveDefinite(n, shift: 1, seed: UInt64(20 + n))
      let quadratic = Quadratic(
        center: Array(repeating: 0, count: n), slope: Array(repeating: 0, count: n),
        hessian: positive.map { -$0 }, constant: 0)
      let x = [Double](repeating: 0, count: n)
      let concerns = Derivatives(of: quadratic.value, at: x, value: 0).convergenceConcerns()
      #expect(concerns.contains(.negativeHessian(count: n)), "\(concerns)")
    }
  }

  @Test("a saddle point is flagged with one negative eigenvalue")
  func saddle() {
    let quadratic = Quadratic(
      center: [0, 0], slope: [0, 0], hessian: [2, 0, 0, -1], constant: 0)
    let concerns = Derivatives(of: quadratic.value, at: [0, 0], value: 0).convergenceConcerns()
    #expect(concerns.contains(.negativeHessian(count: 1)), "\(concerns)")
  }

  @Test("an unscalable gradient gets lme4's message, never 'max|grad| = nan'")
  func unscalableGradient() {
    let quadratic = Quadratic(
      center: [0, 0], slope: [0, 0], hessian: [2, 0, 0, -1], constant: 0)
    let concerns = Derivatives(of: quadratic.value, at: [0, 0], value: 0).convergenceConcerns()
    let gradient = concerns.first {
      if case .gradient = $0 { true } else { false }
    }
    let message = gradient?.message ?? ""
    #expect(message.hasPrefix("unable to evaluate scaled gradient"), "\(concerns)")
    #expect(!concerns.map(\.message).joined().contains("nan"), "\(concerns)")
  }

  @Test("a Hessian eigenvalue below 1e-6 at a minimum is flagged as numerically singular")
  func numericallySingular() {
    let quadratic = Quadratic(
      center: [0, 0], slope: [0, 0], hessian: [1, 0, 0, 1e-9], constant: 0)
    let concerns = Derivatives(of: quadratic.value, at: [0, 0], value: 0).convergenceConcerns()
    #expect(concerns.contains { $0.code == "singular_hessian" }, "\(concerns)")
    #expect(!concerns.contains { $0.code == "convergence_hessian" })
  }

  @Test("lme4's eigenvalue-ratio and very-large-eigenvalue checks fire separately")
  func eigenvalueChecks() {
    let ratio = Quadratic(center: [0, 0], slope: [0, 0], hessian: [1e3, 0, 0, 1e-5], constant: 0)
    let ratioConcerns = Derivatives(of: ratio.value, at: [0, 0], value: 0).convergenceConcerns()
    #expect(ratioConcerns.contains { $0.code == "large_eigenvalue_ratio" }, "\(ratioConcerns)")
    #expect(!ratioConcerns.contains { $0.code == "very_large_eigenvalue" })
    let large = Quadratic(center: [0, 0], slope: [0, 0], hessian: [2e6, 0, 0, 10], constant: 0)
    let largeConcerns = Derivatives(of: large.value, at: [0, 0], value: 0).convergenceConcerns()
    #expect(largeConcerns.contains { $0.code == "very_large_eigenvalue" }, "\(largeConcerns)")
    #expect(!largeConcerns.contains { $0.code == "large_eigenvalue_ratio" })
  }

  @Test("no parameters: no derivatives and no concerns")
  func empty() {
    let derivatives = Derivatives(of: { _ in 1 }, at: [], value: 1)
    #expect(derivatives.gradient.isEmpty && derivatives.hessian.isEmpty)
    #expect(derivatives.convergenceConcerns().isEmpty)
  }
}
