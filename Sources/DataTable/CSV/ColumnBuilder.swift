/// Accumulates one CSV column while the file is read, inferring its type on the way.
///
/// A column starts numeric. The first non-missing cell that is not a number turns it
/// categorical for good; from then on cells are interned as level text. Numbers read before the
/// switch cannot be turned back into their text, so those rows are read again in a second pass
/// (`rescanRows`), which only happens for columns whose first non-missing cells are numbers.
struct ColumnBuilder {
  /// Header name.
  let name: String
  /// Position in the header.
  let index: Int
  /// Whether a non-numeric cell has been seen.
  private(set) var isCategorical = false
  /// Values while numeric (`.nan` = missing).
  private var numbers: [Double] = []
  /// First infinite value while numeric.
  private var firstNonFinite: (row: Int, text: String)?
  /// Codes once categorical (`-1` = missing).
  private var codes: [Int32] = []
  /// Level texts once categorical.
  private var interner = LevelInterner()
  /// Rows `0..<rescanRows` held numbers before the switch and must be re-read as text.
  private(set) var rescanRows = 0

  /// Creates an empty builder.
  /// - Parameters:
  ///   - name: Header name.
  ///   - index: Position in the header.
  ///   - expectedRows: Capacity to reserve.
  init(name: String, index: Int, expectedRows: Int) {
    self.name = name
    self.index = index
    numbers.reserveCapacity(expectedRows)
  }

  /// Whether the cell text is a missing-value token: empty, `NA`, `NaN` or `.`.
  @inline(__always)
  static func isMissing(_ start: UnsafePointer<UInt8>, length: Int) -> Bool {
    switch length {
    case 0: return true
    case 1: return start[0] == UInt8(ascii: ".")
    case 2: return start[0] == UInt8(ascii: "N") && start[1] == UInt8(ascii: "A")
    case 3:
      return start[0] == UInt8(ascii: "N") && start[1] == UInt8(ascii: "a")
        && start[2] == UInt8(ascii: "N")
    default: return false
    }
  }

  /// Adds this column's cells of `block` (blocks arrive in row order).
  /// - Parameters:
  ///   - block: The records.
  ///   - text: Resolves the block's field positions.
  @inline(__always)
  mutating func add(_ block: borrowing FieldBlock, text: FieldText) {
    var row = 0
    if !isCategorical {
      row = addNumbers(block, text: text)
      if row == block.rows { return }
    }
    let stride = block.columns
    var slot = row * stride + index
    let count = block.rows - row
    let firstRow = block.firstRow + row
    let offsets = block.offsets
    let lengths = block.lengths
    withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { levels in
      for k in 0..<count {
        let start = text.pointer(offsets[slot])
        let length = lengths[slot]
        levels[k] =
          Self.isMissing(start, length: length)
          ? -1 : interner.intern(start, length: length, row: firstRow + k)
        slot += stride
      }
      codes.append(contentsOf: levels)
    }
  }

  /// Adds cells as numbers until one is not.
  /// - Returns: The block row at which the column turned categorical, or `block.rows`.
  @inline(__always)
  private mutating func addNumbers(_ block: borrowing FieldBlock, text: FieldText) -> Int {
    let stride = block.columns
    var slot = index
    let rows = block.rows
    let firstRow = block.firstRow
    let offsets = block.offsets
    let lengths = block.lengths
    let stop: Int = withUnsafeTemporaryAllocation(of: Double.self, capacity: rows) { values in
      var row = 0
      while row < rows {
        let start = text.pointer(offsets[slot])
        let length = lengths[slot]
        if let value = NumberParser.parse(start, count: length) {
          values[row] = value
          if !value.isFinite && firstNonFinite == nil {
            let cell = UnsafeBufferPointer(start: start, count: length)
            firstNonFinite = (firstRow + row, String(decoding: cell, as: UTF8.self))
          }
        } else if Self.isMissing(start, length: length) {
          values[row] = .nan
        } else {
          break
        }
        row += 1
        slot += stride
      }
      numbers.append(contentsOf: UnsafeBufferPointer(rebasing: values[0..<row]))
      return row
    }
    if stop < rows { switchToCategorical(at: firstRow + stop) }
    return stop
  }

  /// Drops the numbers read so far; rows holding one are marked for a second pass.
  private mutating func switchToCategorical(at row: Int) {
    isCategorical = true
    if numbers.contains(where: { !$0.isNaN }) { rescanRows = row }
    codes.reserveCapacity(numbers.capacity)
    codes.append(contentsOf: repeatElement(-1, count: row))
    numbers = []
    firstNonFinite = nil
  }

  /// Second pass: interns this column's cells of `block` for rows below `rescanRows`
  /// (missing cells stay `-1`).
  /// - Parameters:
  ///   - block: Records from the start of the data.
  ///   - text: Resolves the block's field positions.
  mutating func reread(_ block: borrowing FieldBlock, text: FieldText) {
    for row in 0..<min(block.rows, rescanRows - block.firstRow) {
      let slot = row * block.columns + index
      let start = text.pointer(block.offsets[slot])
      let length = block.lengths[slot]
      guard !Self.isMissing(start, length: length) else { continue }
      let level = interner.intern(start, length: length, row: block.firstRow + row)
      interner.noteOccurrence(of: level, row: block.firstRow + row)
      codes[block.firstRow + row] = level
    }
  }

  /// The finished column.
  /// - Parameter asFactor: Whether a numeric result is to be made categorical
  ///   (`CSVOptions.factorColumns`).
  /// - Returns: The column, levels sorted.
  func finish(asFactor: Bool) -> Column {
    guard isCategorical else {
      let column = Column(name: name, numbers: numbers, firstNonFinite: firstNonFinite)
      return asFactor ? Column.categorical(from: column) : column
    }
    // Some level is not a number (that is what made the column categorical), so levels go in
    // byte order; numeric order is for `factorColumns`, via `Column.categorical(from:)`.
    let count = interner.count
    let values = interner.values
    let order = (0..<count).sorted { interner.bytesPrecede($0, $1) }
    // Different bytes can make equal `String`s (invalid UTF-8 repaired to U+FFFD; canonically
    // equivalent spellings); those share the first level in byte order.
    var rank = [Int32](repeating: 0, count: count)
    var labels: [String] = []
    labels.reserveCapacity(count)
    var seen: [String: Int32] = [:]
    for oldIndex in order {
      let label = interner.labels[oldIndex]
      if !interner.allASCII, let existing = seen[label] {
        rank[oldIndex] = existing
        continue
      }
      rank[oldIndex] = Int32(labels.count)
      if !interner.allASCII { seen[label] = Int32(labels.count) }
      labels.append(label)
    }
    let remapped = codes.map { $0 < 0 ? $0 : rank[Int($0)] }

    var firstNonNumeric: (row: Int, text: String)?
    if values.contains(where: { $0 != nil }) {
      for level in 0..<count where values[level] == nil {
        let row = interner.firstRows[level]
        if firstNonNumeric.map({ row < $0.row }) ?? true {
          firstNonNumeric = (row, interner.labels[level])
        }
      }
    }
    return Column(name: name, codes: remapped, levels: labels, firstNonNumeric: firstNonNumeric)
  }
}
