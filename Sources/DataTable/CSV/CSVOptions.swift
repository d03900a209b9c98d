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

  /// Most columns a header may have (default 100,000); more is `DataError.tooManyColumns`.
  ///
  /// Bounds the work and memory spent on a file that is not the table it claims to be (a
  /// wrong separator, binary data, a file with millions of columns), before any column is
  /// built.
  public var maximumColumns: Int

  /// Most bytes one record may span (default 4 MiB, 4,194,304); a longer one is
  /// `DataError.recordTooLong`, reported at its first line.
  public var maximumRecordBytes: Int

  /// The default `maximumColumns`.
  public static let defaultMaximumColumns = 100_000
  /// The default `maximumRecordBytes` (4 MiB).
  public static let defaultMaximumRecordBytes = 4 << 20

  /// Creates options.
  /// - Parameters:
  ///   - factorColumns: Columns forced categorical; see the property.
  ///   - maximumColumns: Most columns a header may have.
  ///   - maximumRecordBytes: Most bytes one record may span.
  public init(
    factorColumns: Set<String> = [], maximumColumns: Int = CSVOptions.defaultMaximumColumns,
    maximumRecordBytes: Int = CSVOptions.defaultMaximumRecordBytes
  ) {
    self.factorColumns = factorColumns
    self.maximumColumns = maximumColumns
    self.maximumRecordBytes = maximumRecordBytes
  }
}
