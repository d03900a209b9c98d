/// One random-effects term of a formula after lme4's expansions, such as `1 + Days | Subject`.
///
/// `Formula` expands `(x || g)` into `(1 | g) + (0 + x | g)` (lme4's `expandDoubleVerts`) and a
/// nested grouping `(1 | a/b)` into `(1 | b:a) + (1 | a)` (lme4's `expandSlash`), so each value
/// here is one `|` term with a single grouping factor. `ModelFrame` turns it into a
/// `RandomTerm` by evaluating the terms and the grouping factor on the data.
public struct RandomTermSpecification: Sendable, Equatable {
  /// Whether the random effects include an intercept (`(x | g)` does, `(0 + x | g)` does not).
  public let hasIntercept: Bool
  /// The terms left of the bar, in R's order, excluding the intercept.
  public let terms: [Term]
  /// Variables whose interaction is the grouping factor, slowest-varying first
  /// (`["cask", "batch"]` for `cask:batch`).
  public let groupingVariables: [String]
  /// The grouping factor as lme4 names it (`Subject`, `cask:batch`, `c:(b:a)`).
  public let groupingName: String
  /// The term as lme4 deparses it (`1 + Days | Subject`, `0 + Days | Subject`); lme4 uses this
  /// text in its messages about the term.
  public let text: String
  /// 0-based `Character` offset in the formula of the term this one was expanded from.
  public let offset: Int

  /// Creates a specification.
  /// - Parameters:
  ///   - hasIntercept: Whether an intercept is among the random effects.
  ///   - terms: Terms left of the bar, in R's order.
  ///   - groupingVariables: Variables of the grouping factor, slowest first.
  ///   - groupingName: lme4's name for the grouping factor.
  ///   - text: The deparsed term.
  ///   - offset: Where the term starts in the formula.
  public init(
    hasIntercept: Bool, terms: [Term], groupingVariables: [String], groupingName: String,
    text: String, offset: Int
  ) {
    self.hasIntercept = hasIntercept
    self.terms = terms
    self.groupingVariables = groupingVariables
    self.groupingName = groupingName
    self.text = text
    self.offset = offset
  }
}
