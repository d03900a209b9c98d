/// A condition on the columns of a table that selects rows, as R's `subset(data, condition)`.
///
/// Parsed from text (`traj fit --where`) by `init(_:)`, evaluated on a table by `mask(in:)`.
/// The grammar, loosest binding first:
///
///     filter     := or
///     or         := and (('|' | '||' | 'or') and)*
///     and        := not (('&' | '&&' | 'and') not)*
///     not        := ('!' | 'not') not | '(' filter ')' | condition
///     condition  := column op value | column 'in' '(' value (',' value)* ')'
///     op         := '==' | '!=' | '<' | '<=' | '>' | '>='
///     column     := name | `back-quoted name`
///     value      := number | name | 'single-quoted' | "double-quoted"
///
/// Names are letters, digits, `_` and `.`, not starting with a digit; `and`, `or`, `not` and
/// `in` are keywords (quote a level, or back-quote a column, spelled like one).
///
/// Meaning (checked against the table when evaluated):
/// - On a numeric column every operator applies and the value must be a number (a quoted
///   number is accepted; any other label is an error).
/// - On a categorical column only `==`, `!=` and `in` apply, and each value must be one of its
///   levels: an unknown level is an error naming the levels and the nearest one, where R
///   would silently compare to FALSE. A number matches the level spelled alike, or else the
///   level with that numeric value (`subject == 308`).
/// - Missing values follow R's three-valued logic: a comparison on a missing value is NA,
///   `NA & FALSE` is FALSE, `NA | TRUE` is TRUE, `!NA` is NA, and only rows where the whole
///   filter is TRUE are selected — so a row whose tested value is missing is not selected, as
///   with R's `subset()`.
public struct RowFilter: Sendable, Equatable, CustomStringConvertible {
  /// The text the filter was parsed from.
  public let text: String
  /// The parsed expression.
  public let expression: Expression

  /// One node of a parsed filter.
  public indirect enum Expression: Sendable, Equatable, CustomStringConvertible {
    /// `column op value`.
    case comparison(Comparison)
    /// `column in (value, …)`: TRUE when the column equals any of the values.
    case membership(Membership)
    /// Negation.
    case not(Expression)
    /// Both must hold.
    case and(Expression, Expression)
    /// Either may hold.
    case or(Expression, Expression)

    /// Fully parenthesised text, showing how the filter was grouped.
    public var description: String {
      switch self {
      case .comparison(let c): "\(c.column.name) \(c.op.rawValue) \(c.value)"
      case .membership(let m):
        "\(m.column.name) in (" + m.values.map(\.description).joined(separator: ", ") + ")"
      case .not(let e): "!(\(e))"
      case .and(let a, let b): "(\(a) & \(b))"
      case .or(let a, let b): "(\(a) | \(b))"
      }
    }
  }

  /// A comparison operator.
  public enum Operator: String, Sendable, Equatable, CaseIterable {
    /// Equal.
    case equal = "=="
    /// Not equal.
    case notEqual = "!="
    /// Less than.
    case less = "<"
    /// Less than or equal.
    case lessOrEqual = "<="
    /// Greater than.
    case greater = ">"
    /// Greater than or equal.
    case greaterOrEqual = ">="

    /// Whether the operator orders values (so needs a numeric column).
    public var isOrdering: Bool { self != .equal && self != .notEqual }
  }

  /// A column named in a filter, with where its name starts in the text.
  public struct ColumnReference: Sendable, Equatable {
    /// The column name.
    public let name: String
    /// 0-based `Character` offset of the name in the filter text.
    public let offset: Int
  }

  /// A value written in a filter.
  public struct Literal: Sendable, Equatable, CustomStringConvertible {
    /// The value as written, without quotes.
    public let text: String
    /// The number it denotes: an unquoted number, or a quoted text that reads as one.
    public let number: Double?
    /// Whether it was written in quotes.
    public let isQuoted: Bool
    /// 0-based `Character` offset of the value (its opening quote, if quoted) in the text.
    public let offset: Int

    /// The value, single-quoted when it was quoted.
    public var description: String { isQuoted ? "'\(text)'" : text }
  }

  /// `column op value`.
  public struct Comparison: Sendable, Equatable {
    /// The column compared.
    public let column: ColumnReference
    /// The operator.
    public let op: Operator
    /// 0-based `Character` offset of the operator.
    public let opOffset: Int
    /// The value compared with.
    public let value: Literal
  }

  /// `column in (values)`.
  public struct Membership: Sendable, Equatable {
    /// The column tested.
    public let column: ColumnReference
    /// The values, at least one.
    public let values: [Literal]
  }

  /// The filter grouped as parsed, fully parenthesised (`(visit >= 1 & arm == placebo)`).
  public var description: String { expression.description }

  /// The column names the filter uses, in order of first appearance.
  public var columnNames: [String] {
    var names = [String]()
    func visit(_ e: Expression) {
      switch e {
      case .comparison(let c): if !names.contains(c.column.name) { names.append(c.column.name) }
      case .membership(let m): if !names.contains(m.column.name) { names.append(m.column.name) }
      case .not(let a): visit(a)
      case .and(let a, let b), .or(let a, let b):
        visit(a)
        visit(b)
      }
    }
    visit(expression)
    return names
  }
}
