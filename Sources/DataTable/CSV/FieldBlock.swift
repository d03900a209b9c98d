/// The fields of up to `rowCapacity` consecutive records, as positions in the input.
///
/// The scanner fills a block record by record; the column builders then read it column by
/// column, in tight loops per column type. Positions are byte offsets into the input, or, for
/// fields that needed unescaping, `~offset` (negative) into the scanner's scratch buffer.
/// Owns its storage (non-copyable, freed in `deinit`).
struct FieldBlock: ~Copyable {
  /// Fields per record.
  let columns: Int
  /// Records the block can hold.
  let rowCapacity: Int
  /// Records held.
  var rows = 0
  /// Index of the block's first record among all data rows.
  var firstRow = 0
  /// Field position, `row * columns + column`.
  let offsets: UnsafeMutablePointer<Int>
  /// Field length in bytes, `row * columns + column`.
  let lengths: UnsafeMutablePointer<Int>
  /// 1-based line where each record starts.
  let lines: UnsafeMutablePointer<Int>

  /// An empty block.
  /// - Parameters:
  ///   - columns: Fields per record.
  ///   - rowCapacity: Records per block.
  init(columns: Int, rowCapacity: Int) {
    self.columns = columns
    self.rowCapacity = rowCapacity
    offsets = .allocate(capacity: columns * rowCapacity)
    lengths = .allocate(capacity: columns * rowCapacity)
    lines = .allocate(capacity: rowCapacity)
  }

  deinit {
    offsets.deallocate()
    lengths.deallocate()
    lines.deallocate()
  }
}

/// Turns field positions of a `FieldBlock` into pointers.
struct FieldText {
  /// The input.
  let base: UnsafePointer<UInt8>
  /// The scanner's scratch storage (valid until the scanner reads on).
  let scratch: UnsafePointer<UInt8>

  /// The first byte of the field at `offset`.
  @inline(__always)
  func pointer(_ offset: Int) -> UnsafePointer<UInt8> {
    offset >= 0 ? base + offset : scratch + ~offset
  }
}
