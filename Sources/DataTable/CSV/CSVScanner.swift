/// Splits RFC 4180 text into records and fields, byte by byte, keeping physical line numbers.
///
/// Rules (RFC 4180 plus R-like leniency): the separator is `,`; records end at LF or CRLF; a
/// field may be enclosed in `"`, inside which `,`, CR and LF are text and `""` is one quote.
/// Unquoted fields are trimmed of ASCII spaces and tabs (quoted ones are kept exactly, though
/// spaces around the quotes are skipped). Text after a closing quote is kept literally
/// (`"ab"c` reads `abc`). Lines holding only spaces, tabs or CR are skipped wherever they occur.
struct CSVScanner {
  /// How a field ended.
  enum Terminator {
    /// A `,`: another field of the same record follows.
    case separator
    /// A line end: the record is complete.
    case lineEnd
    /// The end of the input.
    case end
  }

  /// The input.
  let base: UnsafePointer<UInt8>
  /// Its length in bytes.
  let count: Int
  /// Source name for messages.
  let source: String
  /// Next byte to read.
  private(set) var position: Int
  /// 1-based line of `position`.
  private(set) var line = 1
  /// Holds the text of fields that are not a contiguous slice of the input (one block's worth).
  private var scratch = ScratchBuffer()

  private static let comma = UInt8(ascii: ",")
  private static let newline = UInt8(ascii: "\n")
  private static let carriageReturn = UInt8(ascii: "\r")
  private static let quote = UInt8(ascii: "\"")
  private static let space = UInt8(ascii: " ")
  private static let tab = UInt8(ascii: "\t")

  /// A scanner at the start of `base[0..<count]`, after a UTF-8 byte order mark if present.
  /// - Parameters:
  ///   - base: The bytes.
  ///   - count: Their number.
  ///   - source: Source name for messages.
  init(base: UnsafePointer<UInt8>, count: Int, source: String) {
    self.base = base
    self.count = count
    self.source = source
    let hasBOM = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF
    self.position = hasBOM ? 3 : 0
  }

  /// A scanner at the same place with its own scratch buffer (for a second pass).
  /// - Returns: The copy.
  func copyWithOwnScratch() -> CSVScanner {
    var copy = self
    copy.scratch = ScratchBuffer()
    return copy
  }

  /// Moves past blank lines.
  /// - Returns: Whether a non-blank line follows (false at the end of the input).
  mutating func skipBlankLines() -> Bool {
    while true {
      var i = position
      while i < count
        && (base[i] == Self.space || base[i] == Self.tab || base[i] == Self.carriageReturn)
      {
        i += 1
      }
      if i == count {
        position = count
        return false
      }
      guard base[i] == Self.newline else { return true }
      line += 1
      position = i + 1
    }
  }

  /// Reads the header record.
  /// - Parameters:
  ///   - maximumColumns: Most fields accepted.
  ///   - maximumBytes: Most bytes the record may span.
  /// - Returns: Field texts, in order.
  /// - Throws: `DataError.unterminatedQuote`, `.tooManyColumns`, `.recordTooLong`.
  mutating func readHeader(maximumColumns: Int, maximumBytes: Int) throws -> [String] {
    var names: [String] = []
    scratch.removeAll()
    let recordStart = position
    while true {
      let (offset, length, terminator) = try nextField(column: -1, names: [])
      guard position - recordStart <= maximumBytes else {
        throw DataError.recordTooLong(
          at: SourceLocation(source: source, line: 1), limit: maximumBytes)
      }
      guard names.count < maximumColumns else {
        throw DataError.tooManyColumns(source: source, limit: maximumColumns)
      }
      let start = text.pointer(offset)
      names.append(
        String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self))
      if terminator != .separator { return names }
    }
  }

  /// Reads the next records into `block` (emptied first), up to its capacity or `rowLimit`.
  /// - Parameters:
  ///   - block: Receives field positions; its `firstRow` must be set by the caller.
  ///   - names: Header names (their count is the expected number of fields).
  ///   - maximumBytes: Most bytes one record may span.
  ///   - rowLimit: Read at most this many records.
  /// - Throws: `DataError.raggedRow`, `DataError.unterminatedQuote`, `.recordTooLong`.
  mutating func fill(
    _ block: inout FieldBlock, names: [String], maximumBytes: Int, rowLimit: Int = .max
  ) throws {
    let expected = names.count
    let limit = min(block.rowCapacity, rowLimit)
    scratch.removeAll()
    block.rows = 0
    while block.rows < limit && skipBlankLines() {
      let recordLine = line
      let recordStart = position
      let slot = block.rows * expected
      var column = 0
      while true {
        let (offset, length, terminator) = try nextField(column: column, names: names)
        if column < expected {
          block.offsets[slot + column] = offset
          block.lengths[slot + column] = length
        }
        column += 1
        if terminator != .separator { break }
      }
      guard position - recordStart <= maximumBytes else {
        throw DataError.recordTooLong(
          at: SourceLocation(source: source, line: recordLine), limit: maximumBytes)
      }
      guard column == expected else {
        throw DataError.raggedRow(
          at: SourceLocation(source: source, line: recordLine), expected: expected, found: column)
      }
      block.lines[block.rows] = recordLine
      block.rows += 1
    }
  }

  /// Resolves field positions of the current block to pointers.
  var text: FieldText { FieldText(base: base, scratch: UnsafePointer(scratch.pointer)) }

  /// Reads one field and its terminator.
  /// - Parameters:
  ///   - column: Position of the field in its record (names it in the unterminated-quote
  ///     message).
  ///   - names: Header names (empty while reading the header).
  /// - Returns: The text's position (see `FieldBlock`), its length, and how the field ended.
  /// - Throws: `DataError.unterminatedQuote`.
  @inline(__always)
  mutating func nextField(
    column: Int, names: [String]
  ) throws -> (Int, Int, Terminator) {
    var i = position
    while i < count && (base[i] == Self.space || base[i] == Self.tab) { i += 1 }
    if i < count && base[i] == Self.quote {
      position = i
      return try quotedField(column: column, names: names)
    }
    let (end, terminator) = unquotedRun(start: i, from: i)
    return (i, end - i, terminator)
  }

  /// Scans unquoted text from `i` to the next separator or line end, moves past it, and trims.
  /// - Parameters:
  ///   - start: Where the field's text starts (trimming stops there).
  ///   - i: Where to start looking for the separator.
  /// - Returns: The end of the trimmed text and how the field ended.
  @inline(__always)
  private mutating func unquotedRun(start: Int, from i: Int) -> (Int, Terminator) {
    var i = i
    while i < count {
      let byte = base[i]
      if byte == Self.comma || byte == Self.newline { break }
      i += 1
    }
    var end = i
    let terminator: Terminator
    if i == count {
      terminator = .end
      position = count
    } else if base[i] == Self.comma {
      terminator = .separator
      position = i + 1
    } else {
      terminator = .lineEnd
      line += 1
      position = i + 1
    }
    if terminator != .separator && end > start && base[end - 1] == Self.carriageReturn { end -= 1 }
    while end > start && (base[end - 1] == Self.space || base[end - 1] == Self.tab) { end -= 1 }
    return (end, terminator)
  }

  /// Reads a field that starts with `"` at `position`.
  private mutating func quotedField(
    column: Int, names: [String]
  ) throws -> (Int, Int, Terminator) {
    let openingLine = line
    var i = position + 1
    var runStart = i
    var escaped = false
    let scratchStart = scratch.count
    while true {
      while i < count && base[i] != Self.quote {
        if base[i] == Self.newline { line += 1 }
        i += 1
      }
      guard i < count else {
        throw DataError.unterminatedQuote(
          at: SourceLocation(
            source: source, line: openingLine,
            column: names.indices.contains(column) ? names[column] : nil))
      }
      if i + 1 < count && base[i + 1] == Self.quote {
        escaped = true
        scratch.append(base + runStart, count: i + 1 - runStart)
        i += 2
        runStart = i
        continue
      }
      break
    }
    let contentEnd = i
    i += 1
    var j = i
    while j < count && (base[j] == Self.space || base[j] == Self.tab) { j += 1 }
    let terminator: Terminator
    if j == count || (base[j] == Self.carriageReturn && j + 1 == count) {
      terminator = .end
      position = count
    } else if base[j] == Self.comma {
      terminator = .separator
      position = j + 1
    } else if base[j] == Self.newline {
      terminator = .lineEnd
      line += 1
      position = j + 1
    } else if base[j] == Self.carriageReturn && base[j + 1] == Self.newline {
      terminator = .lineEnd
      line += 1
      position = j + 2
    } else {
      // Text after the closing quote: keep it, up to the field's end, as unquoted text.
      scratch.append(base + runStart, count: contentEnd - runStart)
      let (end, restTerminator) = unquotedRun(start: i, from: i)
      scratch.append(base + i, count: end - i)
      return (~scratchStart, scratch.count - scratchStart, restTerminator)
    }
    guard escaped else { return (runStart, contentEnd - runStart, terminator) }
    scratch.append(base + runStart, count: contentEnd - runStart)
    return (~scratchStart, scratch.count - scratchStart, terminator)
  }
}

/// A growable byte buffer with a stable pointer between appends, for unescaped field text.
final class ScratchBuffer {
  /// Start of the storage.
  private(set) var pointer: UnsafeMutablePointer<UInt8>
  /// Bytes in use.
  private(set) var count = 0
  /// Bytes allocated.
  private var capacity: Int

  /// An empty buffer.
  init() {
    capacity = 256
    pointer = .allocate(capacity: capacity)
  }

  deinit { pointer.deallocate() }

  /// Empties the buffer (keeps the storage; invalidates earlier offsets).
  func removeAll() { count = 0 }

  /// Appends `length` bytes from `start`.
  /// - Parameters:
  ///   - start: Source bytes (must not point into this buffer).
  ///   - length: How many.
  func append(_ start: UnsafePointer<UInt8>, count length: Int) {
    if count + length > capacity {
      let newCapacity = max(capacity * 2, count + length)
      let newPointer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
      newPointer.update(from: pointer, count: count)
      pointer.deallocate()
      pointer = newPointer
      capacity = newCapacity
    }
    (pointer + count).update(from: start, count: length)
    count += length
  }
}
