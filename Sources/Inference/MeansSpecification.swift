import Formulas

/// An emmeans specification as `traj fit --emmeans` and a report's `inference.emmeans` take
/// it, parsed: the compared variables and the grouping (`by`) ones, `arm`, `arm | visit`,
/// `arm + dose | visit, site` (a leading `~` is allowed, as in emmeans' `~ arm | visit`).
public struct MeansSpecification: Sendable, Equatable, CustomStringConvertible {
  /// The specification as written.
  public let text: String
  /// The variables whose levels the means compare.
  public let specs: [String]
  /// The variables within whose levels the means are computed.
  public let by: [String]

  /// Parses a specification.
  /// - Parameter text: `a [+ b] [| c, d]`.
  /// - Throws: `InferenceError.invalidSpecification` when no variable is named (or a `|`
  ///   names none after it).
  public init(parsing text: String) throws {
    var body = Substring(text)
    if let tilde = body.firstIndex(of: "~") { body = body[body.index(after: tilde)...] }
    let parts = body.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
    func names(_ s: Substring) -> [String] {
      s.split(whereSeparator: { "+*:, ".contains($0) }).map(String.init)
    }
    let specs = names(parts[0])
    let by = parts.count > 1 ? names(parts[1]) : []
    guard !specs.isEmpty, parts.count == 1 || !by.isEmpty else {
      throw InferenceError.invalidSpecification(
        text: text, reason: "expected 'factor' or 'factor | by-factor' (as emmeans' ~ arm | visit)")
    }
    self.text = text
    self.specs = specs
    self.by = by
  }

  /// The text as written.
  public var description: String { text }

  /// Checks that every variable named is a variable of the formula's fixed effects, so that a
  /// misspelt name fails before any data is read.
  /// - Parameter formula: The model formula.
  /// - Throws: `InferenceError.unknownTerm` naming the first variable the fixed effects do
  ///   not have.
  public func check(against formula: Formula) throws {
    let variables = formula.fixedVariableNames
    for name in specs + by where !variables.contains(name) {
      throw InferenceError.unknownTerm(name: name)
    }
  }
}

/// A contrast among marginal means as written (`trt.vs.ctrl(placebo)`), parsed.
public struct ContrastSpecification: Sendable, Equatable, CustomStringConvertible {
  /// The specification as written.
  public let text: String
  /// The contrasts it asks for.
  public let method: ContrastMethod

  /// Parses a specification (`ContrastMethod(parsing:)`).
  /// - Parameter text: `pairwise`, `revpairwise`, `trt.vs.ctrl`, `trt.vs.ctrl(level)` or
  ///   `custom(w1, w2, …)`.
  /// - Throws: `InferenceError.invalidSpecification`.
  public init(parsing text: String) throws {
    self.text = text
    self.method = try ContrastMethod(parsing: text)
  }

  /// The text as written.
  public var description: String { text }
}

extension MeansSpecification {
  /// Checks a contrast against the levels the means will have, so that a misspelt control
  /// level or a wrong number of custom weights fails before the model is fitted.
  ///
  /// The means of a group are the combinations of the levels of `specs` in `frame`, the first
  /// variable varying fastest (`MarginalMeans.compute`); when a spec variable is numeric (held
  /// at its mean) the check is left to `MarginalMeans.contrasts`.
  /// - Parameters:
  ///   - contrast: The contrast asked for, if any.
  ///   - frame: The model frame the means are computed on.
  /// - Throws: What `MarginalMeans.contrasts` would throw: `InferenceError.unknownTerm` for an
  ///   unknown control level, `InferenceError.invalidSpecification` for custom weights of the
  ///   wrong length.
  public func check(_ contrast: ContrastSpecification?, in frame: ModelFrame) throws {
    guard let contrast else { return }
    let levels = specs.compactMap { frame.factorLevels[$0] }
    guard levels.count == specs.count else { return }
    var names = [[String]()]
    for list in levels {
      names = list.flatMap { level in names.map { $0 + [level] } }
    }
    let labels = names.map { $0.joined(separator: " ") }
    switch contrast.method {
    case .treatmentVersusControl(let control?) where !labels.contains(control):
      throw InferenceError.unknownTerm(name: control)
    case .custom(_, let weights) where weights.count != labels.count:
      throw InferenceError.invalidSpecification(
        text: weights.map { "\($0)" }.joined(separator: ","),
        reason: "custom contrast needs \(labels.count) weights, one per mean")
    default:
      return
    }
  }
}
