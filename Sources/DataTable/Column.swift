/// One typed column of a `Table`.
///
/// A column is either numeric (values as `Double`, `.nan` marking a missing value) or
/// categorical (an `Int32` code per row into `levels`, `-1` marking a missing value).
/// Levels are sorted: numerically when every level reads as a number, otherwise in
/// byte (Unicode scalar) order, which is R's order under `LC_COLLATE=C`.
public struct Column: Sendable {
  /// How the values of a column are stored.
  public enum Kind: Sendable, Equatable {
    /// Real numbers (`numbers`).
    case numeric
    /// Labels from a finite set (`codes` into `levels`).
    case categorical
  }

  /// The header name.
  public let name: String
  /// Numeric or categorical.
  public let kind: Kind
  /// Numeric values (`.nan` = missing); empty for categorical columns.
  public let numbers: [Double]
  /// Level codes (`-1` = missing); empty for numeric columns.
  public let codes: [Int32]
  /// Sorted level labels; empty for numeric columns.
  public let levels: [String]
  /// The first value that is not a number, in a categorical column where some values are.
  ///
  /// Set for a column inferred as categorical although some of its values read as numbers
  /// (row index and raw text). Lets "expected a number" errors name the offending cell.
  public let firstNonNumeric: (row: Int, text: String)?
  /// For a numeric column: the first row holding an infinite value (`Inf`, `-Inf`), if any.
  public let firstNonFinite: (row: Int, text: String)?

  /// A numeric column.
  /// - Parameters:
  ///   - name: Header name.
  ///   - numbers: Values, `.nan` for missing.
  ///   - firstNonFinite: The first infinite cell, if any.
  public init(name: String, numbers: [Double], firstNonFinite: (row: Int, text: String)? = nil) {
    self.name = name
    self.kind = .numeric
    self.numbers = numbers
    self.codes = []
    self.levels = []
    self.firstNonNumeric = nil
    self.firstNonFinite = firstNonFinite
  }

  /// A categorical column.
  /// - Parameters:
  ///   - name: Header name.
  ///   - codes: Level index per row, `-1` for missing.
  ///   - levels: Level labels, in the order codes refer to.
  ///   - firstNonNumeric: See the property of that name.
  public init(
    name: String, codes: [Int32], levels: [String],
    firstNonNumeric: (row: Int, text: String)? = nil
  ) {
    self.name = name
    self.kind = .categorical
    self.numbers = []
    self.codes = codes
    self.levels = levels
    self.firstNonNumeric = firstNonNumeric
    self.firstNonFinite = nil
  }

  /// Number of rows.
  public var count: Int { kind == .numeric ? numbers.count : codes.count }

  /// Whether row `i` holds a missing value.
  /// - Parameter i: Row index.
  /// - Returns: `true` for `NA`, empty, `NaN` or `.` cells.
  public func isMissing(_ i: Int) -> Bool {
    kind == .numeric ? numbers[i].isNaN : codes[i] < 0
  }
}
