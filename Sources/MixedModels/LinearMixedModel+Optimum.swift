import LinearAlgebra
import Optimization

// Beyond lme4: the optimum itself. lme4's settings (xtol_rel 1e-4) stop BOBYQA where its steps
// become small, which on a flat or ridge-like surface is short of the minimum (Orthodont's REML
// criterion 5.6e-6 above it, standard errors 2.8e-4 off) and depends on the path, so on the
// rounding of every evaluation. From lme4's stopping point, Newton steps on finite-difference
// derivatives converge quadratically to the minimum; where they cannot (a Hessian that is not
// positive definite, a step that does not descend), BOBYQA restarts with tight tolerances first.
// MixedModels.jl converges this far by default; where lme4's stopping point is already the
// optimum, the steps only confirm it and nothing printed changes.

extension LinearMixedModel {
  /// The optimum reached from a point near it, with the derivatives lme4's checks need there.
  struct Optimum {
    /// θ̂.
    let theta: [Double]
    /// The criterion at θ̂.
    let value: Double
    /// Gradient and Hessian at θ̂ (lme4's `deriv12`; the Hessian may be that of a point less
    /// than its step 1e-4 away).
    let derivatives: Derivatives
    /// Criterion evaluations of the search (derivative checks excluded).
    let evaluations: Int
    /// NLopt's code when BOBYQA was restarted, nil otherwise.
    let code: Int?
  }

  /// Converges from `theta` (lme4's stopping point after its boundary checks) to the optimum.
  ///
  /// Newton steps (`newtonSteps`) first; if they do not reach a point whose Newton decrement
  /// is below 1e-12 of the criterion, BOBYQA is restarted with tolerances near the criterion's
  /// rounding (`restartTightly`) and Newton steps follow. A template diagonal then left inside
  /// the singular band where its bound is as good (such as 2e-9, whose square moves nothing)
  /// is put on the bound, as lme4 reports it.
  func convergeToOptimum(
    theta start: [Double], value: Double, lower: [Double], upper: [Double],
    objective f: ([Double]) -> Double
  ) -> Optimum {
    var theta = start
    var best = value
    var evaluations = 0
    var code: Int?
    var derivatives = Derivatives(of: f, at: theta, value: best)
    var newton = newtonSteps(
      theta: theta, value: best, hessian: derivatives.hessian, lower: lower, objective: f)
    evaluations += newton.evaluations
    if !newton.converged {
      let restart = restartTightly(
        from: newton.value <= best ? newton.theta : theta, value: min(newton.value, best),
        lower: lower, upper: upper, objective: f)
      evaluations += restart.evaluations
      code = restart.code
      theta = restart.x
      best = restart.f
      derivatives = Derivatives(of: f, at: theta, value: best)
      newton = newtonSteps(
        theta: theta, value: best, hessian: derivatives.hessian, lower: lower, objective: f)
      evaluations += newton.evaluations
    }
    var moved = newton.theta != theta
    theta = newton.theta
    best = newton.value
    let onBoundary = snapToBounds(theta, value: best, tolerance: 1e-14 * abs(best), objective: f)
    if onBoundary.changed {
      theta = onBoundary.theta
      best = f(theta)
      moved = true
    }
    if moved {
      // lme4's checks need the derivatives here. The Hessian is kept when θ moved by less than
      // its finite-difference step (1e-4), taken anew otherwise.
      if zip(theta, derivatives.point).allSatisfy({ abs($0 - $1) < 1e-4 }) {
        derivatives = Derivatives(
          gradient: FiniteDifferences.centralGradient(of: f, at: theta),
          hessian: derivatives.hessian,
          point: theta)
      } else {
        derivatives = Derivatives(of: f, at: theta, value: best)
      }
    }
    return Optimum(
      theta: theta, value: best, derivatives: derivatives, evaluations: evaluations, code: code)
  }

  /// Newton steps θ ← θ − t·H⁻¹g on the coordinates of θ off their bounds, with `hessian`
  /// (row-major, all coordinates) kept from the start and the gradient by
  /// Richardson-extrapolated central differences (`FiniteDifferences.fivePointDerivative`,
  /// truncation O(h⁴); steps of 1e-3 of each
  /// coordinate, at most 40 % of its distance to the bound): accurate to ~1e-9, so that on
  /// a ridge (Orthodont with uncentred age: Hessian eigenvalues 2.4 and 4,200) θ lands within
  /// ~1e-9 of the minimum along it, where BOBYQA's last steps stop 1e-5 away.
  ///
  /// A step is halved (up to three times) until it stays within the bounds and does not raise
  /// the criterion. Stops when the Newton decrement ½gᵀH⁻¹g is below 1e-15 of the criterion
  /// (nothing left to gain), after a step that cannot be taken, or after four steps.
  /// - Returns: The point reached, its criterion, the evaluations, and whether the last
  ///   decrement was below 1e-12 of the criterion (at the optimum up to rounding).
  private func newtonSteps(
    theta start: [Double], value: Double, hessian: [Double], lower: [Double],
    objective f: ([Double]) -> Double
  ) -> (theta: [Double], value: Double, evaluations: Int, converged: Bool) {
    let n = start.count
    var theta = start
    var best = value
    var evaluations = 0
    let free = (0..<n).filter { theta[$0] > lower[$0] }
    let m = free.count
    if m == 0 { return (theta, best, 0, true) }
    var h = Matrix(rows: m, columns: m)
    for (a, i) in free.enumerated() {
      for (b, j) in free.enumerated() { h[a, b] = hessian[i * n + j] }
    }
    do { try h.choleskyLowerInPlace() } catch { return (theta, best, 0, false) }
    for _ in 0..<4 {
      var gradient = [Double](repeating: 0, count: m)
      for (a, j) in free.enumerated() {
        let step = min(1e-3 * max(abs(theta[j]), 0.1), 0.4 * (theta[j] - lower[j]))
        gradient[a] = FiniteDifferences.fivePointDerivative(
          of: { shift in
            var t = theta
            t[j] += shift
            return f(t)
          }, step: step)
        evaluations += 4
      }
      var direction = Matrix(rows: m, columns: 1, columnMajor: gradient)
      direction.solveLeftLower(h)
      direction.solveLeftLower(h, transpose: true)
      let decrement = 0.5 * zip(direction.elements, gradient).reduce(0) { $0 + $1.0 * $1.1 }
      guard decrement.isFinite else { return (theta, best, evaluations, false) }
      if decrement <= 1e-15 * abs(best) { return (theta, best, evaluations, true) }
      var taken = false
      var t = 1.0
      for _ in 0..<4 {
        var candidate = theta
        for (a, j) in free.enumerated() { candidate[j] -= t * direction.elements[a] }
        if free.allSatisfy({ candidate[$0] >= lower[$0] }) {
          let candidateValue = f(candidate)
          evaluations += 1
          if candidateValue <= best {
            theta = candidate
            best = candidateValue
            taken = true
            break
          }
        }
        t /= 2
      }
      if !taken { return (theta, best, evaluations, decrement <= 1e-12 * abs(best)) }
    }
    return (theta, best, evaluations, false)
  }

  /// BOBYQA restarted from `start` with tight tolerances, as long as each run gains.
  ///
  /// MixedModels.jl's stopping rule (f relative 1e-12; θ relative and absolute 1e-10) and a
  /// local first trust region (steps of 1e-3 of each coordinate), again as long as a restart
  /// lowers the criterion by more than that rule (at most four runs). Evaluations of every run are counted; the code is the last run's.
  private func restartTightly(
    from start: [Double], value: Double, lower: [Double], upper: [Double],
    objective f: ([Double]) -> Double
  ) -> OptimizationSummary {
    let ftolRel = 1e-12
    var x = start
    var best = value
    var evaluations = 0
    var code = 1
    for _ in 0..<4 {
      let tight = BoundedMinimizer(
        ftolAbs: 0, ftolRel: ftolRel, xtolAbs: 1e-10, xtolRel: 1e-10,
        initialStep: x.map { max(1e-3 * abs($0), 1e-4) })
      let run = tight.minimize(start: x, lower: lower, upper: upper, objective: f)
      evaluations += run.evaluations
      code = run.code
      guard run.f < best else { break }
      let gain = best - run.f
      x = run.x
      best = run.f
      if gain <= ftolRel * abs(best) { break }
    }
    return OptimizationSummary(
      algorithm: BoundedMinimizer.Algorithm.bobyqa.name, start: start, x: x, f: best,
      evaluations: evaluations, code: code)
  }
}
