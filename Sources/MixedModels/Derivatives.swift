import LinearAlgebra
import Optimization

/// Finite-difference gradient and Hessian of the objective at the optimum, and the
/// convergence checks lme4 draws from them.
///
/// The derivatives come from `FiniteDifferences` (by default lme4's `deriv12`, step δ = 1e-4);
/// the checks mirror lme4's `checkConv`/`checkHess`:
/// the scaled gradient `R⁻¹ g` with `H = RᵀR`, compared elementwise with |g| and the smaller
/// taken, must stay below 0.002; the Hessian must have no eigenvalue below −1e-6, none of
/// magnitude below 1e-6, and a smallest/largest ratio of at least 1e-6.
struct Derivatives: Sendable {
  let gradient: [Double]
  /// Row-major n×n.
  let hessian: [Double]
  /// Where the gradient was taken.
  let point: [Double]

  /// lme4's `deriv12` at `x` (`FiniteDifferences.centralGradientAndHessian`).
  /// - Parameters:
  ///   - f: The objective.
  ///   - x: Where to differentiate.
  ///   - fx: `f(x)`.
  ///   - delta: The step.
  init(of f: ([Double]) -> Double, at x: [Double], value fx: Double, delta: Double = 1e-4) {
    let (gradient, hessian) = FiniteDifferences.centralGradientAndHessian(
      of: f, at: x, value: fx, step: delta)
    self.gradient = gradient
    self.hessian = hessian
    self.point = x
  }

  /// Derivatives already computed (a gradient refreshed at a point where the Hessian was kept).
  /// - Parameters:
  ///   - gradient: The gradient.
  ///   - hessian: The Hessian, row-major.
  ///   - point: Where the gradient was taken.
  init(gradient: [Double], hessian: [Double], point: [Double]) {
    precondition(hessian.count == gradient.count * gradient.count, "Derivatives: shapes")
    precondition(point.count == gradient.count, "Derivatives: point")
    self.gradient = gradient
    self.hessian = hessian
    self.point = point
  }

  /// Number of objective evaluations `init` used: 2 per coordinate and 4 per pair.
  var evaluations: Int {
    FiniteDifferences.centralGradientAndHessianEvaluations(gradient.count)
  }

  /// The Newton step `H⁻¹g` (to be subtracted), or nil when the Hessian is not positive
  /// definite or the step is not finite.
  func newtonStep() -> [Double]? {
    let n = gradient.count
    guard n > 0 else { return nil }
    var h = Matrix(rows: n, columns: n, columnMajor: hessian)
    do { try h.choleskyLowerInPlace() } catch { return nil }
    var v = Matrix(rows: n, columns: 1, columnMajor: gradient)
    v.solveLeftLower(h)
    v.solveLeftLower(h, transpose: true)
    return v.elements.allSatisfy(\.isFinite) ? v.elements : nil
  }

  /// lme4's gradient and Hessian checks (`check.conv.grad` tol 0.002, `check.conv.hess` tol 1e-6).
  /// - Parameters:
  ///   - gradientTolerance: Largest scaled gradient component accepted.
  ///   - hessianTolerance: Eigenvalues of the Hessian below this count as zero or negative.
  ///   - remedy: What the Hessian warnings advise simplifying (the model family's).
  /// - Returns: The concerns, in lme4's order (gradient, then Hessian).
  func convergenceConcerns(
    gradientTolerance: Double = 2e-3, hessianTolerance: Double = 1e-6,
    remedy: FitWarning.Remedy = .randomEffects
  ) -> [FitWarning] {
    let n = gradient.count
    if n == 0 { return [] }
    var concerns = [FitWarning]()
    var hessianMatrix = Matrix(rows: n, columns: n, columnMajor: hessian)
    let eigenvalues = (try? hessianMatrix.symmetricEigenvalues()) ?? []
    // Scaled gradient: solve(chol(H), g) in R is R⁻¹g with H = RᵀR, i.e. Lᵀ x = g with L = Rᵀ.
    var scaled: [Double]?
    do {
      try hessianMatrix.choleskyLowerInPlace()
      var v = Matrix(rows: n, columns: 1, columnMajor: gradient)
      v.solveLeftLower(hessianMatrix, transpose: true)
      scaled = v.elements.contains { !$0.isFinite } ? nil : v.elements
    } catch {
      scaled = nil
    }
    if let scaled {
      let mins = zip(scaled, gradient).map { min(abs($0), abs($1)) }
      if let worst = mins.indices.max(by: { mins[$0] < mins[$1] }), mins[worst] > gradientTolerance
      {
        concerns.append(
          .gradient(maximum: mins[worst], tolerance: gradientTolerance, component: worst + 1))
      }
    } else {
      concerns.append(.gradient(maximum: .nan, tolerance: gradientTolerance, component: 0))
    }
    if let smallest = eigenvalues.first, let largest = eigenvalues.last {
      let negative = eigenvalues.filter { $0 < -hessianTolerance }.count
      if negative > 0 {
        concerns.append(.negativeHessian(count: negative, remedy: remedy))
      } else if eigenvalues.contains(where: { abs($0) < hessianTolerance }) || scaled == nil {
        concerns.append(.singularHessian(remedy: remedy))
      } else {
        if largest * hessianTolerance > 1 {
          concerns.append(.veryLargeEigenvalue(largest: largest))
        }
        if smallest / largest < hessianTolerance {
          concerns.append(.largeEigenvalueRatio(ratio: smallest / largest))
        }
      }
    }
    return concerns
  }
}
