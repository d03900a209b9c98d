/// A test, estimate or contrast that cannot be computed from the model as asked.
public enum InferenceError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The linear function is not estimable: it puts weight on a coefficient that was dropped as
  /// aliased (rank-deficient X), so its value depends on an arbitrary choice.
  case nonEstimable(contrast: String, aliased: [String])
  /// A term, factor or level that the model does not have.
  case unknownTerm(name: String)
  /// A specification (emmeans, contrast, adjustment) that cannot be read.
  case invalidSpecification(text: String, reason: String)
  /// The method cannot be used for this model (for example Kenward–Roger with crossed random
  /// factors, whose marginal covariance does not split into small independent blocks).
  case unsupported(method: String, reason: String)
  /// A numerical step failed (a covariance matrix that is not positive definite).
  case numerical(reason: String)

  /// The message.
  public var description: String {
    switch self {
    case .nonEstimable(let contrast, let aliased):
      return "\(contrast) is not estimable: it involves the aliased (dropped) coefficient"
        + (aliased.count == 1 ? " " : "s ") + aliased.map { "'\($0)'" }.joined(separator: ", ")
    case .unknownTerm(let name):
      return "unknown term or factor '\(name)'"
    case .invalidSpecification(let text, let reason):
      return "cannot read '\(text)': \(reason)"
    case .unsupported(let method, let reason):
      return "\(method) is not available for this model: \(reason)"
    case .numerical(let reason):
      return "numerical failure: \(reason)"
    }
  }
}
