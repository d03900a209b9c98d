import Optimization
import Testing

/// Rosenbrock's function; minimum 0 at (1, 1).
private func rosenbrock(_ x: [Double]) -> Double {
  let a = 1 - x[0]
  let b = x[1] - x[0] * x[0]
  return a * a + 100 * b * b
}

/// Settings tight enough that the stopping rule, not the tolerance, decides the accuracy.
private let tight = BoundedMinimizer(ftolAbs: 1e-14, xtolAbs: 1e-12, xtolRel: 1e-12)

@Suite("Bounded minimizer")
struct BoundedMinimizerTests {
  @Test("BOBYQA takes Rosenbrock from (−1.2, 1) to (1, 1) with a success code")
  func rosenbrockBOBYQA() {
    var calls = 0
    let summary = tight.minimize(
      start: [-1.2, 1], lower: [-5, -5], upper: [5, 5],
      objective: { x in
        calls += 1
        return rosenbrock(x)
      })
    #expect(summary.code > 0 && summary.code != 5, "\(summary.message)")
    #expect(summary.succeeded)
    #expect(abs(summary.x[0] - 1) < 1e-4 && abs(summary.x[1] - 1) < 1e-4, "x = \(summary.x)")
    #expect(summary.f == rosenbrock(summary.x))
    #expect(summary.start == [-1.2, 1])
    #expect(summary.algorithm == BoundedMinimizer.Algorithm.bobyqa.name)
    #expect(summary.evaluations > 0)
    #expect(summary.evaluations == calls)
  }

  @Test(
    "every algorithm minimises a smooth bowl, without bounds too",
    arguments: [BoundedMinimizer.Algorithm.bobyqa, .nelderMead, .cobyla])
  func algorithms(_ algorithm: BoundedMinimizer.Algorithm) {
    var minimizer = tight
    minimizer.algorithm = algorithm
    let summary = minimizer.minimize(
      start: [3, -2, 0.5], lower: Array(repeating: -.infinity, count: 3),
      upper: Array(repeating: .infinity, count: 3),
      objective: { x in
        (x[0] - 0.5) * (x[0] - 0.5) + 2 * (x[1] + 1) * (x[1] + 1) + (x[2] - x[0]) * (x[2] - x[0])
      })
    #expect(summary.succeeded && summary.code != 5, "\(summary.message)")
    #expect(summary.algorithm == algorithm.name)
    #expect(summary.x.count == 3)
    for (value, target) in zip(summary.x, [0.5, -1, 0.5]) {
      #expect(abs(value - target) < 1e-4, "x = \(summary.x)")
    }
  }

  @Test("an active upper bound: (x − 2)² on x ≤ 1 stops on the bound")
  func activeBound() {
    var evaluated = [Double]()
    let summary = tight.minimize(
      start: [0], lower: [-3], upper: [1],
      objective: { x in
        evaluated.append(x[0])
        return (x[0] - 2) * (x[0] - 2)
      })
    #expect(summary.succeeded)
    #expect(abs(summary.x[0] - 1) < 1e-8, "x = \(summary.x)")
    #expect(summary.x[0] <= 1)
    #expect(evaluated.allSatisfy { $0 >= -3 && $0 <= 1 }, "evaluated outside the bounds")
    #expect(summary.f == (summary.x[0] - 2) * (summary.x[0] - 2))
  }

  @Test("the start is clamped into the bounds; the summary keeps the start as given")
  func clampedStart() {
    var first: [Double]?
    let summary = tight.minimize(
      start: [10, -10], lower: [0, 0], upper: [2, 2],
      objective: { x in
        if first == nil { first = x }
        return (x[0] - 1) * (x[0] - 1) + (x[1] - 1) * (x[1] - 1)
      })
    #expect(first == [2, 0])
    #expect(summary.start == [10, -10])
    #expect(abs(summary.x[0] - 1) < 1e-4 && abs(summary.x[1] - 1) < 1e-4)
  }

  @Test("a small evaluation budget stops with code 5, which still counts as succeeded")
  func maxEvaluations() {
    var minimizer = tight
    minimizer.maxEvaluations = 12
    var calls = 0
    let summary = minimizer.minimize(
      start: [-1.2, 1], lower: [-5, -5], upper: [5, 5],
      objective: { x in
        calls += 1
        return rosenbrock(x)
      })
    #expect(summary.code == 5)
    #expect(summary.message == "maximum number of evaluations reached")
    // Documented: every positive NLopt code (5 included) is `succeeded`; callers that need a
    // converged optimum check `code != 5` as well (LinearMixedModel.fit does).
    #expect(summary.succeeded)
    #expect(calls == summary.evaluations)
    #expect(calls <= minimizer.maxEvaluations)
    #expect(summary.f <= rosenbrock([-1.2, 1]))
  }

  @Test("a NaN objective is treated as +∞: the search avoids that region")
  func nanIsInfinity() {
    // NaN left of 0.5; the minimum at x = 1 lies in the defined region.
    let summary = tight.minimize(
      start: [2], lower: [0], upper: [3],
      objective: { x in x[0] < 0.5 ? .nan : (x[0] - 1) * (x[0] - 1) })
    #expect(summary.succeeded, "\(summary.message)")
    #expect(abs(summary.x[0] - 1) < 1e-6, "x = \(summary.x)")
    #expect(summary.f.isFinite)
  }

  @Test("an objective that is NaN everywhere reports f = +∞, never NaN")
  func nanEverywhere() {
    var minimizer = tight
    minimizer.maxEvaluations = 50
    let summary = minimizer.minimize(
      start: [0.3, 0.3], lower: [0, 0], upper: [1, 1], objective: { _ in .nan })
    #expect(!summary.f.isNaN)
    #expect(summary.f == .infinity)
  }

  @Test("with no parameters the objective is evaluated once")
  func noParameters() {
    var calls = 0
    let summary = tight.minimize(
      start: [], lower: [], upper: [],
      objective: { x in
        calls += 1
        #expect(x.isEmpty)
        return 4.25
      })
    #expect(calls == 1)
    #expect(summary.evaluations == 1)
    #expect(summary.f == 4.25)
    #expect(summary.x.isEmpty)
    #expect(summary.succeeded)
  }

  @Test("the defaults are lme4's nloptwrap settings for lmer")
  func defaults() {
    let minimizer = BoundedMinimizer()
    #expect(minimizer.algorithm == .bobyqa)
    #expect(minimizer.algorithm.name == "NLOPT_LN_BOBYQA")
    #expect(minimizer.ftolAbs == 1e-8 && minimizer.xtolAbs == 1e-8)
    #expect(minimizer.xtolRel == 1e-4 && minimizer.ftolRel == 0)
    #expect(minimizer.maxEvaluations == 100_000)
  }

  @Test("BOBYQA's workspace is Powell's (npt+5)(npt+n) + 3n(n+5)/2 doubles with npt = 2n+1")
  func workspace() {
    // n = 2: npt = 5, (10)(7) + 3·2·7/2 = 91 doubles.
    #expect(BoundedMinimizer.workspaceBytes(dimension: 2) == 91 * 8)
    // n = 20,100 (us over 200 visits): about 3.03e9 doubles, past Int32.max.
    let doubles = BoundedMinimizer.workspaceBytes(dimension: 20_100) / 8
    #expect(doubles == 3_030_627_756)
    #expect(doubles > Double(Int32.max))
    #expect(BoundedMinimizer.workspaceBytes(dimension: 3, algorithm: .nelderMead) == 16 * 8)
  }

  @Test("a dimension whose BOBYQA workspace overflows NLopt's int returns 'out of memory'")
  func overflowingDimension() {
    // 17,000 variables: (34,006)(51,001) + 3·17,000·17,005/2 > Int32.max, so NLopt 2.7 would
    // size its array with a wrapped int and crash; the shim refuses before any evaluation.
    var calls = 0
    let n = 17_000
    let summary = BoundedMinimizer().minimize(
      start: [Double](repeating: 0, count: n), lower: [Double](repeating: -1, count: n),
      upper: [Double](repeating: 1, count: n),
      objective: { _ in
        calls += 1
        return 0
      })
    #expect(summary.code == -3, "\(summary.message)")
    #expect(summary.message == "out of memory")
    #expect(!summary.succeeded)
    #expect(calls == 0 && summary.evaluations == 0)
  }
}
