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

  /// Adjusted p-values of one family, in input order.
  /// - Parameter p: Unadjusted p-values.
  /// - Returns: Adjusted p-values.
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
      let adjusted = adjustment.adjust(estimates.map(\.0.p))
      for (index, row) in rows.enumerated() {
        result.append(
          MarginalContrast(
            label: row.0, group: group, weights: estimates[index].1,
            estimate: estimates[index].0, adjustedP: adjusted[index]))
      }
    }
    return result
  }

  /// emmeans' level label inside a contrast name: parenthesised when it holds an operator.
  private static func label(_ level: String) -> String {
    level.contains(where: { "-+ *:/".contains($0) }) ? "(\(level))" : level
  }
}
