import DataTable

/// A formula that cannot be read, or a model frame that cannot be built from a table.
///
/// Every case says where the problem is: a formula offset (rendered with a caret under the
/// formula), a variable name, or a `SourceLocation` (file, line and column).
public enum FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The formula text does not follow the grammar; `offset` is the 0-based `Character` index of
  /// the offending character (`formula.count` for "at the end").
  case syntax(formula: String, offset: Int, message: String)
  /// The formula names a variable that is not a column of the table.
  case unknownVariable(name: String, source: String, suggestion: String?)
  /// The response column holds text although some of its values read as numbers; `at` is the
  /// first cell that does not.
  case responseNotNumeric(at: SourceLocation, text: String)
  /// The response is a categorical variable (a column of labels, or one listed in `factors`).
  case categoricalResponse(name: String, source: String)
  /// The response variable also appears among the fixed-effect terms.
  case responseOnRightHandSide(name: String)
  /// A numeric column used by the model holds an infinite value in a row the model uses.
  case nonFinite(at: SourceLocation, text: String)
  /// Every row has a missing value in at least one variable the model uses.
  case noRowsLeft(source: String, rowsRead: Int, variablesWithMissing: [String])
  /// The formula has no random-effects term `( … | group)`.
  case noRandomEffects(formula: String)
  /// The response takes a single value in the rows used.
  case constantResponse(name: String)
  /// The prior-weights column is categorical.
  case categoricalWeights(name: String, source: String)
  /// A prior weight is zero or negative.
  case nonPositiveWeight(at: SourceLocation, text: String)
  /// A reference level that the variable does not have.
  case unknownLevel(variable: String, level: String, levels: [String], suggestion: String?)
  /// A reference level given for a variable that the model uses as a number.
  case referenceForNumericVariable(name: String)
  /// A factor coded by contrasts has a single level in the rows used.
  case singleLevelFactor(name: String, level: String)
  /// A call `name(…)` whose name is not a covariance structure; `offset` is that of the name.
  case unknownCovarianceStructure(
    name: String, formula: String, offset: Int, suggestion: String?)
  /// More than one covariance term; `offset` is that of the second.
  case multipleCovarianceTerms(formula: String, offset: Int)
  /// The time variable of a covariance term cannot serve as one (`reason` says why).
  case covarianceTimeNotUsable(name: String, reason: String)
  /// Two rows of the same subject at the same visit; `at` is the later row, `firstLine` the
  /// line of the earlier one.
  case duplicateVisit(at: SourceLocation, subject: String, time: String, firstLine: Int)
  /// lme4's `check.nlev.gtr.1`: some grouping factor has fewer than two levels.
  case tooFewGroupingLevels(factors: [String])
  /// lme4's `check.nobs.vs.nlev`: some grouping factor has as many levels as observations.
  case tooManyGroupingLevels(factors: [String])
  /// lme4's `check.nobs.vs.nRE`: a random-effects term has at least as many random effects as
  /// there are observations.
  case tooManyRandomEffects(term: String, observations: Int, randomEffects: Int)

  /// The message; syntax errors span three lines (message, formula, caret).
  public var description: String {
    switch self {
    case .syntax(let formula, let offset, let message):
      return "formula syntax error: \(message)\n" + Self.caretDisplay(formula, offset: offset)
    case .unknownVariable(let name, let source, let suggestion):
      return "\(source): unknown variable '\(name)' (no column has that name)"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    case .responseNotNumeric(let at, let text):
      return "\(at): expected a number, found \"\(text)\""
    case .categoricalResponse(let name, let source):
      return "\(source): the response '\(name)' is categorical; a numeric response is required"
    case .responseOnRightHandSide(let name):
      return "the response '\(name)' also appears on the right-hand side of the formula"
    case .nonFinite(let at, let text):
      return "\(at): non-finite value \"\(text)\""
    case .noRowsLeft(let source, let rowsRead, let variables):
      if rowsRead == 0 { return "\(source): no rows left: the data have no rows" }
      return "\(source): no rows left: each of the \(rowsRead) rows has a missing value in "
        + "at least one of " + variables.map { "'\($0)'" }.joined(separator: ", ")
    case .noRandomEffects(let formula):
      return "no random-effects terms in formula '\(formula)'; add one such as (1 | subject)"
    case .categoricalWeights(let name, let source):
      return "\(source): the column '\(name)' is categorical; weights and offsets are numbers"
    case .nonPositiveWeight(let at, let text):
      return "\(at): a prior weight must be a positive number, found \(text)"
    case .constantResponse(let name):
      return "response '\(name)' is constant"
    case .unknownLevel(let variable, let level, let levels, let suggestion):
      return "variable '\(variable)' has no level '\(level)'"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        + " (levels: " + levels.joined(separator: ", ") + ")"
    case .referenceForNumericVariable(let name):
      return "a reference level is given for '\(name)', which the model uses as a number; "
        + "list it in factors to treat it as categorical"
    case .singleLevelFactor(let name, let level):
      return "variable '\(name)' has a single level (\"\(level)\") in the rows used; "
        + "contrasts can be applied only to factors with 2 or more levels"
    case .unknownCovarianceStructure(let name, let formula, let offset, let suggestion):
      return "unknown covariance structure '\(name)'"
        + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        + " (structures: " + CovarianceStructure.formulaNames.joined(separator: ", ") + ")\n"
        + Self.caretDisplay(formula, offset: offset)
    case .multipleCovarianceTerms(let formula, let offset):
      return "a formula can have at most one covariance term\n"
        + Self.caretDisplay(formula, offset: offset)
    case .covarianceTimeNotUsable(let name, let reason):
      return "variable '\(name)' cannot be the time of the covariance term: \(reason)"
    case .duplicateVisit(let at, let subject, let time, let firstLine):
      return "\(at): subject '\(subject)' has a second row at time '\(time)' (first at line "
        + "\(firstLine)); a covariance term needs at most one row per subject and time"
    case .tooFewGroupingLevels(let factors):
      return "grouping factors must have > 1 sampled level (problems: "
        + factors.joined(separator: ", ") + ")"
    case .tooManyGroupingLevels(let factors):
      return "number of levels of each grouping factor must be < number of observations "
        + "(problems: " + factors.joined(separator: ", ") + ")"
    case .tooManyRandomEffects(let term, let observations, let randomEffects):
      return "number of observations (=\(observations)) <= number of random effects "
        + "(=\(randomEffects)) for term (\(term)); the random-effects parameters and the "
        + "residual variance (or scale parameter) are probably unidentifiable"
    }
  }

  /// The formula on one line, indented by two spaces, and a caret under `offset`.
  private static func caretDisplay(_ formula: String, offset: Int) -> String {
    // Tabs and line breaks would misplace the caret; show them as spaces.
    let line = String(formula.map { $0.isWhitespace ? " " : $0 })
    let column = min(max(offset, 0), line.count)
    return "  " + line + "\n" + String(repeating: " ", count: 2 + column) + "^"
  }
}
