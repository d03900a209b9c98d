#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Reading CSV

extension Table {
  /// Reads a CSV file (RFC 4180) with a header row into typed columns.
  ///
  /// Syntax: `,` separates fields; records end at LF or CRLF (the last line end is optional);
  /// fields may be quoted with `"`, and then hold `,`, line ends and `""` (one quote). A UTF-8
  /// byte order mark is skipped. Unquoted fields are trimmed of ASCII spaces and tabs; quoted
  /// fields are kept exactly. Lines that are empty or hold only spaces, tabs or CR are skipped,
  /// and `lines` still gives each row's physical line (a record with a quoted line break counts
  /// all its lines).
  ///
  /// Missing values: an empty field, `NA`, `NaN` or `.`, quoted or not.
  ///
  /// Typing, per column: numeric when every non-missing cell is a number (decimal with optional
  /// sign, point and exponent, as `-1.5e3` or `.5`; also `Inf`, `-Inf`, `infinity` in any case,
  /// stored as ±infinity and reported by `Column.firstNonFinite`); otherwise categorical, with
  /// levels in byte order (R's C-locale order: `"10" < "9" < "B" < "a"`). A categorical column
  /// in which some cells are numbers records its first non-number in `Column.firstNonNumeric`.
  /// Columns named in `options.factorColumns` that read as numeric are made categorical with
  /// `Column.categorical(from:)` (levels in numeric order). Quoting does not affect typing
  /// (`"6.5"` is a number), as in R. Hexadecimal (`0x1A`) is text here, unlike R.
  ///
  /// Limits: a header of more than `options.maximumColumns` fields, or a record spanning more
  /// than `options.maximumRecordBytes` bytes, is an error (so a file that is not a table fails
  /// fast, in memory proportional to the file).
  ///
  /// - Parameters:
  ///   - bytes: The file's contents (UTF-8).
  ///   - source: Name used in messages and `Table.source`, usually the path as given.
  ///   - options: Columns to force categorical.
  /// - Returns: The table; `lines[r]` is the 1-based line where row `r`'s record starts.
  /// - Throws: `DataError.emptyFile`, `.headerOnly`, `.emptyColumnName`, `.duplicateColumn`,
  ///   `.unknownColumn` (a name in `options.factorColumns`), `.raggedRow`,
  ///   `.unterminatedQuote`, `.tooManyColumns`, `.recordTooLong`.
  /// - Complexity: O(bytes + rows · columns); one pass, plus a second over the leading rows of
  ///   any column whose first values are numbers and later ones text.
  public static func readCSV(
    bytes: UnsafeRawBufferPointer, source: String, options: CSVOptions = CSVOptions()
  ) throws -> Table {
    guard let raw = bytes.baseAddress, bytes.count > 0 else {
      throw DataError.emptyFile(source: source)
    }
    let base = raw.assumingMemoryBound(to: UInt8.self)
    var scanner = CSVScanner(base: base, count: bytes.count, source: source)
    guard scanner.skipBlankLines() else { throw DataError.emptyFile(source: source) }
    let names = try scanner.readHeader(
      maximumColumns: options.maximumColumns, maximumBytes: options.maximumRecordBytes)
    try validate(header: names, source: source, options: options)

    let dataStart = scanner.copyWithOwnScratch()
    guard scanner.skipBlankLines() else { throw DataError.headerOnly(source: source) }
    let expectedRows = estimateRows(base: base, count: bytes.count, from: scanner.position)
    var builders = names.indices.map {
      ColumnBuilder(name: names[$0], index: $0, expectedRows: expectedRows)
    }
    var lines: [Int] = []
    lines.reserveCapacity(expectedRows)
    // A block holds at most `blockFields` positions, so a wide file does not make it huge.
    var block = FieldBlock(
      columns: names.count, rowCapacity: max(1, min(blockRows, blockFields / names.count)))
    while true {
      block.firstRow = lines.count
      try scanner.fill(&block, names: names, maximumBytes: options.maximumRecordBytes)
      if block.rows == 0 { break }
      let text = scanner.text
      for column in builders.indices { builders[column].add(block, text: text) }
      lines.append(contentsOf: UnsafeBufferPointer(start: block.lines, count: block.rows))
    }

    try rereadLeadingRows(
      into: &builders, from: dataStart, block: &block, names: names,
      maximumBytes: options.maximumRecordBytes)
    let columns = builders.map { $0.finish(asFactor: options.factorColumns.contains($0.name)) }
    return try Table(source: source, columns: columns, lines: lines)
  }

  /// Records per `FieldBlock`: small enough that a block's positions stay in cache.
  private static let blockRows = 1024
  /// Field positions per `FieldBlock` at most (16 bytes each: 4 MiB).
  private static let blockFields = 262_144

  /// Second pass for columns that turned categorical after some numbers: re-reads their
  /// leading rows as text (see `ColumnBuilder`).
  private static func rereadLeadingRows(
    into builders: inout [ColumnBuilder], from dataStart: CSVScanner,
    block: inout FieldBlock, names: [String], maximumBytes: Int
  ) throws {
    let rescanRows = builders.map(\.rescanRows).max() ?? 0
    var scanner = dataStart
    var done = 0
    while done < rescanRows {
      block.firstRow = done
      try scanner.fill(
        &block, names: names, maximumBytes: maximumBytes, rowLimit: rescanRows - done)
      if block.rows == 0 { break }
      let text = scanner.text
      for column in builders.indices where builders[column].rescanRows > done {
        builders[column].reread(block, text: text)
      }
      done += block.rows
    }
  }

  /// Reads CSV from a byte array; see `readCSV(bytes:source:options:)` for the rules.
  /// - Parameters:
  ///   - bytes: The file's contents (UTF-8).
  ///   - source: Name used in messages.
  ///   - options: Columns to force categorical.
  /// - Returns: The table.
  /// - Throws: As `readCSV(bytes:source:options:)` with a raw buffer.
  public static func readCSV(
    bytes: [UInt8], source: String, options: CSVOptions = CSVOptions()
  ) throws -> Table {
    try bytes.withUnsafeBytes { try readCSV(bytes: $0, source: source, options: options) }
  }

  /// Reads CSV from text in memory (tests, generated data); see
  /// `readCSV(bytes:source:options:)` for the rules.
  /// - Parameters:
  ///   - text: The CSV text.
  ///   - source: Name used in messages.
  ///   - options: Columns to force categorical.
  /// - Returns: The table.
  /// - Throws: As `readCSV(bytes:source:options:)`.
  public static func readCSV(
    text: String, source: String, options: CSVOptions = CSVOptions()
  ) throws -> Table {
    var text = text
    return try text.withUTF8 {
      try readCSV(bytes: UnsafeRawBufferPointer($0), source: source, options: options)
    }
  }

  /// Reads a CSV file from disk; see `readCSV(bytes:source:options:)` for the rules.
  /// - Parameters:
  ///   - path: File path; also the source name in messages.
  ///   - options: Columns to force categorical.
  /// - Returns: The table.
  /// - Throws: `DataError.unreadable` with the system's reason (missing file, no permission,
  ///   a directory), or any error of `readCSV(bytes:source:options:)`.
  public static func readCSV(path: String, options: CSVOptions = CSVOptions()) throws -> Table {
    let bytes = try readFile(path: path)
    return try readCSV(bytes: bytes, source: path, options: options)
  }

  // MARK: - Helpers

  /// Checks header names (non-empty, unique) and that forced factor columns exist.
  private static func validate(header names: [String], source: String, options: CSVOptions) throws {
    var seen = Set<String>()
    for (index, name) in names.enumerated() {
      if name.isEmpty { throw DataError.emptyColumnName(source: source, position: index + 1) }
      if !seen.insert(name).inserted { throw DataError.duplicateColumn(name: name, source: source) }
    }
    for name in options.factorColumns.sorted() where !seen.contains(name) {
      throw DataError.unknownColumn(
        name: name, source: source, suggestion: nearestName(to: name, among: names))
    }
  }

  /// A guess at the number of data rows from the line length of the first 64 KiB.
  private static func estimateRows(base: UnsafePointer<UInt8>, count: Int, from start: Int) -> Int {
    let sampleEnd = min(count, start + 65_536)
    var newlines = 0
    for i in start..<sampleEnd where base[i] == UInt8(ascii: "\n") { newlines += 1 }
    guard newlines > 0, sampleEnd > start else { return 16 }
    return Int(Double(count - start) / Double(sampleEnd - start) * Double(newlines) * 1.05) + 16
  }

  /// The whole contents of the file at `path`.
  private static func readFile(path: String) throws -> [UInt8] {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { throw unreadable(path) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw unreadable(path) }
    // Read straight into uninitialised array storage sized from fstat (one allocation, no
    // zero-filling); files that report no size (pipes) or grow while read take more rounds.
    var result: [UInt8] = []
    var capacity = max(Int(info.st_size), 0) + 1
    while true {
      var failure: Int32 = 0
      var reachedEnd = false
      let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
        var filled = 0
        guard let base = buffer.baseAddress else { return }
        while filled < capacity {
          let got = read(descriptor, base + filled, capacity - filled)
          if got < 0 {
            if errno == EINTR { continue }
            failure = errno
            break
          }
          if got == 0 {
            reachedEnd = true
            break
          }
          filled += got
        }
        initialized = filled
      }
      if failure != 0 { throw DataError.unreadable(source: path, reason: reason(failure)) }
      if result.isEmpty { result = chunk } else { result.append(contentsOf: chunk) }
      if reachedEnd { return result }
      capacity = max(capacity, 1 << 20)
    }
  }

  /// `DataError.unreadable` for the current `errno`.
  private static func unreadable(_ path: String) -> DataError {
    DataError.unreadable(source: path, reason: reason(errno))
  }

  /// The system's text for an error number.
  private static func reason(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "error \(code)" }
    return String(cString: text)
  }
}
