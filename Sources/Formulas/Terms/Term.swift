/// One model term: a main effect (`week`) or an interaction (`week:arm`).
///
/// Terms come out of `Formula`'s expansion of the operators. `variables` are in R's label order:
/// the order in which the variables first appear in the formula (so `y ~ a + b:a` has the term
/// `a:b`), which is also the order in which `ModelFrame` multiplies their columns.
///
/// Invariant: `variables` is non-empty and has no repeats.
public struct Term: Sendable, Hashable, CustomStringConvertible {
  /// The variables of the term, in label order.
  public let variables: [String]

  /// Creates a term from variables already in label order.
  /// - Parameter variables: Distinct variable names.
  public init(variables: [String]) {
    precondition(!variables.isEmpty, "A term has at least one variable")
    self.variables = variables
  }

  /// The term label as R's `terms()` prints it: `week`, `week:arm`, `` `pain score` ``.
  public var label: String { variables.map(deparsedName).joined(separator: ":") }

  /// The number of variables: 1 for a main effect, 2 for a two-way interaction, and so on.
  public var order: Int { variables.count }

  /// The label.
  public var description: String { label }
}
