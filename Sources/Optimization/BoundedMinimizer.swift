import CNLopt

/// Bounded derivative-free minimisation through NLopt (BOBYQA by default), the optimiser lme4
/// (`nloptwrap`) and MixedModels.jl use for the profiled deviance.
///
/// The objective is called synchronously on the caller's thread, so it may capture and mutate
/// a workspace.
public struct BoundedMinimizer: Sendable {
  /// The NLopt algorithm.
  public enum Algorithm: Int32, Sendable, Codable {
    /// Powell's BOBYQA (quadratic models, bound constraints).
    case bobyqa = 0
    /// Nelder–Mead simplex with bounds.
    case nelderMead = 1
    /// COBYLA (linear approximations).
    case cobyla = 2

    /// NLopt's name for the algorithm.
    public var name: String {
      switch self {
      case .bobyqa: "NLOPT_LN_BOBYQA"
      case .nelderMead: "NLOPT_LN_NELDERMEAD"
      case .cobyla: "NLOPT_LN_COBYLA"
      }
    }
  }

  /// Algorithm to use.
  public var algorithm: Algorithm
  /// Stop when an evaluation changes f by less than this (absolute); 0 = unset.
  public var ftolAbs: Double
  /// Stop when f changes by less than this fraction; 0 = unset.
  public var ftolRel: Double
  /// Stop when every coordinate moves by less than this; 0 = unset.
  public var xtolAbs: Double
  /// Stop when x moves by less than this fraction; 0 = unset.
  public var xtolRel: Double
  /// Maximum number of evaluations.
  public var maxEvaluations: Int
  /// Per-coordinate initial step (BOBYQA's initial trust-region radius follows it); nil for
  /// NLopt's default, derived from the starting point and the bounds.
  public var initialStep: [Double]?

  /// Settings; the defaults are what lme4's `nloptwrap` passes for `lmer` (BOBYQA,
  /// `xtol_abs = 1e-8`, `ftol_abs = 1e-8`, `maxeval = 1e5`) plus nloptr's own defaults that
  /// apply underneath (`xtol_rel = 1e-4`, `ftol_rel` unset).
  /// - Parameters:
  ///   - algorithm: NLopt algorithm.
  ///   - ftolAbs: Absolute tolerance on f.
  ///   - ftolRel: Relative tolerance on f.
  ///   - xtolAbs: Absolute tolerance on each coordinate.
  ///   - xtolRel: Relative tolerance on x.
  ///   - maxEvaluations: Evaluation budget.
  ///   - initialStep: Per-coordinate initial step, or nil for NLopt's default.
  public init(
    algorithm: Algorithm = .bobyqa, ftolAbs: Double = 1e-8, ftolRel: Double = 0,
    xtolAbs: Double = 1e-8, xtolRel: Double = 1e-4, maxEvaluations: Int = 100_000,
    initialStep: [Double]? = nil
  ) {
    self.algorithm = algorithm
    self.ftolAbs = ftolAbs
    self.ftolRel = ftolRel
    self.xtolAbs = xtolAbs
    self.xtolRel = xtolRel
    self.maxEvaluations = maxEvaluations
    self.initialStep = initialStep
  }

  /// Bytes of working memory the search over `dimension` variables allocates, before any
  /// evaluation of the objective.
  ///
  /// BOBYQA keeps npt = 2n+1 interpolation points and its quadratic model in one array of
  ///
  ///     (npt + 5)(npt + n) + 3n(n + 5)/2 ≈ 7.5 n²  doubles
  ///
  /// (Powell 2009, DAMTP 2009/NA06, the length of W; NLopt's `bobyqa.c`). Nelder–Mead keeps
  /// the simplex, (n+1)² doubles; COBYLA its simplex and the 2n bound constraints' values,
  /// about n(3n + 2·2n + 11) doubles. Computed in floating point, so it cannot overflow.
  /// - Parameters:
  ///   - dimension: Number of variables n.
  ///   - algorithm: The algorithm.
  /// - Returns: The workspace in bytes.
  /// - Complexity: O(1).
  public static func workspaceBytes(dimension: Int, algorithm: Algorithm = .bobyqa) -> Double {
    let n = Double(max(dimension, 0))
    let doubles: Double
    switch algorithm {
    case .bobyqa:
      let npt = 2 * n + 1
      doubles = (npt + 5) * (npt + n) + 3 * n * (n + 5) / 2
    case .nelderMead:
      doubles = (n + 1) * (n + 1)
    case .cobyla:
      doubles = n * (3 * n + 4 * n + 11)
    }
    return doubles * Double(MemoryLayout<Double>.size)
  }

  /// Minimises `objective` over `lower ≤ x ≤ upper` from `start`.
  /// - Parameters:
  ///   - start: Starting point (clamped into the bounds).
  ///   - lower: Lower bounds (`-.infinity` for none).
  ///   - upper: Upper bounds (`.infinity` for none).
  ///   - objective: f(x); may return `.infinity` where undefined.
  /// - Returns: The best point found and how the search ended; NLopt's "out of memory" (code
  ///   −3) without any evaluation when BOBYQA's workspace for `start.count` variables would
  ///   overflow NLopt's `int` arithmetic (n above about 16,900), which would otherwise crash.
  public func minimize(
    start: [Double], lower: [Double], upper: [Double], objective: ([Double]) -> Double
  ) -> OptimizationSummary {
    let n = start.count
    precondition(lower.count == n && upper.count == n, "minimize: bounds length")
    precondition(initialStep.map { $0.count == n } ?? true, "minimize: initial step length")
    var x = zip(start, zip(lower, upper)).map { min(max($0, $1.0), $1.1) }
    if n == 0 {
      let f = objective([])
      return OptimizationSummary(
        algorithm: algorithm.name, start: start, x: [], f: f, evaluations: 1, code: 1)
    }
    return withoutActuallyEscaping(objective) { escapable in
      let box = ObjectiveBox(escapable, dimension: n)
      let context = Unmanaged.passUnretained(box).toOpaque()
      var fmin = 0.0
      var evaluations: Int32 = 0
      let code = (initialStep ?? []).withUnsafeBufferPointer { step in
        var settings = trj_nlopt_settings(
          algorithm: algorithm.rawValue, ftol_rel: ftolRel, ftol_abs: ftolAbs, xtol_rel: xtolRel,
          xtol_abs: xtolAbs, maxeval: Int32(clamping: maxEvaluations),
          initial_step: initialStep == nil ? nil : step.baseAddress)
        return withExtendedLifetime(box) {
          trj_nlopt_minimize(
            Int32(n), &x, lower, upper,
            { n, xp, ctx in
              guard let ctx, let xp else { return .infinity }
              let box = Unmanaged<ObjectiveBox>.fromOpaque(ctx).takeUnretainedValue()
              return box.call(xp, Int(n))
            }, context, &settings, &fmin, &evaluations)
        }
      }
      return OptimizationSummary(
        algorithm: algorithm.name, start: start, x: x, f: fmin,
        evaluations: Int(evaluations), code: Int(code))
    }
  }
}

/// Carries the Swift closure through NLopt's `void *` context.
private final class ObjectiveBox {
  let objective: ([Double]) -> Double
  var buffer: [Double]

  init(_ objective: @escaping ([Double]) -> Double, dimension: Int) {
    self.objective = objective
    self.buffer = Array(repeating: 0, count: dimension)
  }

  func call(_ x: UnsafePointer<Double>, _ n: Int) -> Double {
    for i in 0..<n { buffer[i] = x[i] }
    let f = objective(buffer)
    return f.isNaN ? .infinity : f
  }
}
