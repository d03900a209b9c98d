/// How an optimisation ended: the point, the value, the evaluation count and NLopt's code.
public struct OptimizationSummary: Sendable, Equatable, Codable {
  /// Algorithm name (NLopt's spelling).
  public let algorithm: String
  /// Starting point.
  public let start: [Double]
  /// Best point found.
  public let x: [Double]
  /// Objective at `x`.
  public let f: Double
  /// Number of objective evaluations.
  public let evaluations: Int
  /// NLopt's result code: 1 success, 2 stopval, 3 ftol, 4 xtol, 5 maxeval, 6 maxtime;
  /// negative codes are failures (−4 = round-off limited, usually still a usable optimum).
  public let code: Int

  /// Creates a summary.
  /// - Parameters:
  ///   - algorithm: Algorithm name.
  ///   - start: Starting point.
  ///   - x: Best point.
  ///   - f: Value at `x`.
  ///   - evaluations: Evaluation count.
  ///   - code: NLopt result code.
  public init(
    algorithm: String, start: [Double], x: [Double], f: Double, evaluations: Int, code: Int
  ) {
    self.algorithm = algorithm
    self.start = start
    self.x = x
    self.f = f
    self.evaluations = evaluations
    self.code = code
  }

  /// Whether NLopt reported success (or round-off-limited termination, which for these
  /// smooth objectives stops at a usable optimum; the caller's gradient check decides).
  public var succeeded: Bool { code > 0 || code == -4 }

  /// NLopt's code in words.
  public var message: String {
    switch code {
    case 1: "success"
    case 2: "stopval reached"
    case 3: "ftol reached"
    case 4: "xtol reached"
    case 5: "maximum number of evaluations reached"
    case 6: "maximum time reached"
    case -1: "generic failure"
    case -2: "invalid arguments"
    case -3: "out of memory"
    case -4: "round-off limited"
    case -5: "forced stop"
    default: "code \(code)"
    }
  }
}
