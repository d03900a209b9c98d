/// Options for `Table.readCSV`.
///
/// The defaults read a file as R's `read.csv(stringsAsFactors = TRUE)` would, except that
/// empty cells are missing in every column (R keeps `""` in text columns).
public struct CSVOptions: Sendable, Equatable {
  /// Columns to make categorical even when every value reads as a number (R's
  /// `factor(x)` after reading): subject or site numbers, visit codes.
  ///
  /// Levels of such a column are its distinct values in numeric order, labelled as R's
  /// `as.character` prints them (`308`, `1.5`, `1e-10`); see `Column.categorical(from:)`.
  /// A listed column that holds text anyway is categorical as usual. Every name must be a
  /// header name, else reading throws `DataError.unknownColumn`.
  public var factorColumns: Set<String>

  /// Creates options.
  /// - Parameter factorColumns: Columns forced categorical; see the property.
  public init(factorColumns: Set<String> = []) {
    self.factorColumns = factorColumns
  }
}
