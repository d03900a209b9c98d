import Distributions
import Foundation

/// A family of contrasts among estimated marginal means (emmeans' `contrast` methods).
public enum ContrastMethod: Sendable, Equatable {
  /// Every pair `a − b`, a before b in level order (emmeans `pairwise`).
  case pairwise
  /// Every pair `b − a`, listed as emmeans' `revpairwise`: `l₂ − l₁`, `l₃ − l₁`, `l₃ − l₂`, …
  case revpairwise
  /// Each level minus the control (emmeans `trt.vs.ctrl`); nil control = first level.
  case treatmentVersusControl(control: String?)
  /// User coefficients over the levels of the means in each group.
  case custom(name: String, coefficients: [Double])

  /// Reads `pairwise`, `revpairwise`, `trt.vs.ctrl`, `trt.vs.ctrl(placebo)` or
  /// `custom(1, -0.5, -0.5)`.
  /// - Parameter text: The specification.
  /// - Throws: `InferenceError.invalidSpecification`.
  public init(parsing text: String) throws {
    let s = text.trimmingCharacters(in: .whitespaces)
    func argument(of prefix: String) -> String? {
      guard s.hasPrefix(prefix + "("), s.hasSuffix(")") else { return nil }
      return String(s.dropFirst(prefix.count + 1).dropLast())
        .trimmingCharacters(in: .whitespaces)
    }
    switch s {
    case "pairwise": self = .pairwise
    case "revpairwise": self = .revpairwise
    case "trt.vs.ctrl": self = .treatmentVersusControl(control: nil)
    default:
      if let control = argument(of: "trt.vs.ctrl"), !control.isEmpty {
        self = .treatmentVersusControl(control: control)
      } else if let list = argument(of: "custom") {
        let numbers = list.split(whereSeparator: { $0 == "," || $0 == " " }).map { Double($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else {
          throw InferenceError.invalidSpecification(
            text: text, reason: "custom(...) takes numbers separated by commas")
        }
        self = .custom(name: "custom", coefficients: numbers.compactMap { $0 })
      } else {
        throw InferenceError.invalidSpecification(
          text: text,
          reason: "expected pairwise, revpairwise, trt.vs.ctrl, trt.vs.ctrl(level) or custom(...)")
      }
    }
  }
}

/// How p-values of a family are adjusted for multiplicity.
public enum PValueAdjustment: String, Sendable, CaseIterable {
  /// No adjustment.
  case none
  /// Bonferroni: `min(1, m p)`.
  case bonferroni
  /// Holm's step-down Bonferroni.
  case holm
  /// Single-step adjustment by the joint multivariate t of the family's t statistics
  /// (emmeans' `mvt`); see `SingleStepAdjustment`.
  case mvt
  /// Dunnett's test: the same computation as `mvt`, under the name it has for
  /// treatment-versus-control families.
  case dunnett

  /// Whether the adjustment needs the family's joint distribution (`mvt`, `dunnett`) rather
  /// than its p-values alone.
  public var isSingleStep: Bool { self == .mvt || self == .dunnett }

  /// The critical value of 95%-style limits adjusted as emmeans' `confint` adjusts them.
  ///
  /// `none`: the t quantile; `bonferroni` and `holm` (which has no interval of its own,
  /// emmeans substitutes Bonferroni): `t_ν⁻¹(1 − (1 − level)/(2m))`; the single-step
  /// methods: the multivariate t equicoordinate quantile. A family of one is not adjusted.
  /// - Parameters:
  ///   - df: The df of each member of the family.
  ///   - correlation: The correlation matrix of the family (used by `mvt` and `dunnett`).
  ///   - level: The (simultaneous) coverage.
  /// - Returns: One critical value per member.
  public func criticalValues(df: [Double], correlation: [[Double]], level: Double = 0.95)
    -> [Double]
  {
    let m = Double(df.count)
    switch self {
    case .none:
      return df.map { $0 > 0 ? StudentT(df: $0).quantile(upperTail: (1 - level) / 2) : .nan }
    case .bonferroni, .holm:
      return df.map {
        $0 > 0 ? StudentT(df: $0).quantile(upperTail: (1 - level) / (2 * m)) : .nan
      }
    case .mvt, .dunnett:
      return SingleStepAdjustment.criticalValues(df: df, correlation: correlation, level: level)
    }
  }

  /// Adjusted p-values of one family, in input order.
  /// - Parameter p: Unadjusted p-values.
  /// - Returns: Adjusted p-values.
  /// - Precondition: Not a single-step method (those need the t statistics and their
  ///   correlation: `SingleStepAdjustment.adjustedPValues(t:df:correlation:accuracy:)`).
  public func adjust(_ p: [Double]) -> [Double] {
    let m = Double(p.count)
    switch self {
    case .none:
      return p
    case .bonferroni:
      return p.map { min(1, $0 * m) }
    case .holm:
      let order = p.indices.sorted { p[$0] < p[$1] }
      var adjusted = [Double](repeating: 0, count: p.count)
      var running = 0.0
      for (rank, i) in order.enumerated() {
        running = max(running, min(1, (m - Double(rank)) * p[i]))
        adjusted[i] = running
      }
      return adjusted
    case .mvt, .dunnett:
      preconditionFailure("\(rawValue) needs the t statistics and their correlation")
    }
  }
}

/// One contrast among marginal means, with its test and adjusted p-value.
public struct MarginalContrast: Sendable, Equatable {
  /// `ketamine - placebo`.
  public let label: String
  /// Labels of the `by` variables of the group (empty without `by`).
  public let group: [String]
  /// Weights on the coefficients.
  public let weights: [Double]
  /// Estimate, SE and df.
  public let estimate: ContrastEstimate
  /// The p-value adjusted within its group.
  public let adjustedP: Double
  /// The critical value of the adjusted 95% limits (see
  /// `PValueAdjustment.criticalValues(df:correlation:level:)`).
  public let adjustedCriticalValue: Double

  /// The 95% limits adjusted within the group: `estimate ∓ c · SE`, simultaneous for `mvt`
  /// and `dunnett`, Bonferroni for `bonferroni` and `holm`, unadjusted for `none`.
  public var adjustedInterval: (lower: Double, upper: Double) {
    let half = adjustedCriticalValue * estimate.standardError
    return (estimate.estimate - half, estimate.estimate + half)
  }
}

extension MarginalMeans {
  /// Contrasts among `means` within each `by` group, adjusted within each group.
  /// - Parameters:
  ///   - means: Marginal means from `compute` (one spec variable).
  ///   - method: The contrasts.
  ///   - adjustment: Multiplicity adjustment within each group.
  ///   - inference: The tests of the fit.
  /// - Returns: Contrasts, group by group.
  /// - Throws: `InferenceError.unknownTerm` for an unknown control level;
  ///   `InferenceError.invalidSpecification` for custom weights of the wrong length.
  public static func contrasts(
    _ means: [MarginalMean], method: ContrastMethod, adjustment: PValueAdjustment,
    inference: MixedModelInference
  ) throws -> [MarginalContrast] {
    var groups = [[String]]()
    var members = [[MarginalMean]]()
    for mean in means {
      if let k = groups.firstIndex(of: mean.group) {
        members[k].append(mean)
      } else {
        groups.append(mean.group)
        members.append([mean])
      }
    }
    var result = [MarginalContrast]()
    for (group, list) in zip(groups, members) {
      let names = list.map { $0.levels.prefix($0.specCount).map(\.level).joined(separator: " ") }
      var rows = [(String, [Double])]()
      let k = list.count
      func coefficients(_ plus: Int, _ minus: Int) -> [Double] {
        var c = [Double](repeating: 0, count: k)
        c[plus] += 1
        c[minus] -= 1
        return c
      }
      switch method {
      case .pairwise:
        for i in 0..<k {
          for j in (i + 1)..<max(i + 1, k) {
            rows.append(("\(label(names[i])) - \(label(names[j]))", coefficients(i, j)))
          }
        }
      case .revpairwise:
        for j in 0..<k {
          for i in 0..<j {
            rows.append(("\(label(names[j])) - \(label(names[i]))", coefficients(j, i)))
          }
        }
      case .treatmentVersusControl(let control):
        let c = control.map { names.firstIndex(of: $0) } ?? 0
        guard let c else { throw InferenceError.unknownTerm(name: control ?? "") }
        for i in 0..<k where i != c {
          rows.append(("\(label(names[i])) - \(label(names[c]))", coefficients(i, c)))
        }
      case .custom(let name, let weights):
        guard weights.count == k else {
          throw InferenceError.invalidSpecification(
            text: weights.map { "\($0)" }.joined(separator: ","),
            reason: "custom contrast needs \(k) weights, one per mean")
        }
        rows.append((name, weights))
      }
      let estimates = rows.map { _, c -> (ContrastEstimate, [Double]) in
        let p = inference.coefficients.count
        let l = (0..<p).map { j in list.indices.reduce(0) { $0 + c[$1] * list[$1].weights[j] } }
        return (inference.estimate(l), l)
      }
      let tests = estimates.map(\.0)
      let correlation = adjustment.isSingleStep ? inference.correlation(estimates.map(\.1)) : []
      let adjusted =
        adjustment.isSingleStep
        ? SingleStepAdjustment.adjustedPValues(
          t: tests.map(\.t), df: tests.map(\.df), correlation: correlation)
        : adjustment.adjust(tests.map(\.p))
      let critical = adjustment.criticalValues(df: tests.map(\.df), correlation: correlation)
      for (index, row) in rows.enumerated() {
        result.append(
          MarginalContrast(
            label: row.0, group: group, weights: estimates[index].1,
            estimate: estimates[index].0, adjustedP: adjusted[index],
            adjustedCriticalValue: critical[index]))
      }
    }
    return result
  }

  /// emmeans' level label inside a contrast name: parenthesised when it holds an operator.
  private static func label(_ level: String) -> String {
    level.contains(where: { "-+ *:/".contains($0) }) ? "(\(level))" : level
  }
}
