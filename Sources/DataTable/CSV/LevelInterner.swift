#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Maps the byte text of categorical cells to level indices in first-seen order, without
/// making a `String` per cell.
///
/// Keys live back to back in one byte arena; an open-addressing table (linear probing, power-of-
/// two size, at most half full) holds level indices. A one-entry cache catches the common run of
/// equal values (all visits of one subject, one site). A `String` is made once per new level.
struct LevelInterner {
  /// Level texts, concatenated.
  private var arena: [UInt8] = []
  /// `arena[starts[k]..<starts[k + 1]]` is level `k`; `starts.count == count + 1`.
  private var starts: [Int] = [0]
  /// Hash of each level, for growing the table.
  private var hashes: [UInt64] = []
  /// Slot → level index, or -1 when empty.
  private var slots: [Int32] = Array(repeating: -1, count: 64)
  /// The level returned last.
  private var lastLevel: Int32 = -1

  /// Labels in first-seen order.
  private(set) var labels: [String] = []
  /// First row at which each level occurs.
  private(set) var firstRows: [Int] = []
  /// Each level's value when its text reads as a number (`NumberParser`), else nil.
  private(set) var values: [Double?] = []

  /// Whether every level is ASCII (so distinct bytes give distinct `String`s).
  private(set) var allASCII = true

  /// Number of levels.
  var count: Int { labels.count }

  /// The level index of the text `start..<start+length`, adding a level when it is new.
  /// - Parameters:
  ///   - start: First byte of the cell text.
  ///   - length: Its length in bytes.
  ///   - row: Row of the cell (recorded for new levels; see `noteOccurrence` for earlier rows).
  /// - Returns: The level index.
  @inline(__always)
  mutating func intern(_ start: UnsafePointer<UInt8>, length: Int, row: Int) -> Int32 {
    if lastLevel >= 0 && equals(Int(lastLevel), start, length) { return lastLevel }
    let hash = Self.hash(start, length)
    let mask = slots.count - 1
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let level = slots[slot]
      if level < 0 { break }
      if hashes[Int(level)] == hash && equals(Int(level), start, length) {
        lastLevel = level
        return level
      }
      slot = (slot + 1) & mask
    }
    let level = Int32(labels.count)
    slots[slot] = level
    append(start, length: length, hash: hash, row: row)
    if labels.count * 2 > slots.count { grow() }
    lastLevel = level
    return level
  }

  /// Lowers the first row of `level` to `row` if `row` comes before it (rows read out of order).
  /// - Parameters:
  ///   - level: A level index.
  ///   - row: A row holding it.
  mutating func noteOccurrence(of level: Int32, row: Int) {
    if row < firstRows[Int(level)] { firstRows[Int(level)] = row }
  }

  /// Records a new level's bytes and derived facts.
  private mutating func append(
    _ start: UnsafePointer<UInt8>, length: Int, hash: UInt64, row: Int
  ) {
    let bytes = UnsafeBufferPointer(start: start, count: length)
    arena.append(contentsOf: bytes)
    starts.append(arena.count)
    hashes.append(hash)
    labels.append(String(decoding: bytes, as: UTF8.self))
    if allASCII && bytes.contains(where: { $0 >= 0x80 }) { allASCII = false }
    firstRows.append(row)
    values.append(NumberParser.parse(start, count: length))
  }

  /// Whether level `level` has exactly the bytes `start..<start+length`.
  @inline(__always)
  private func equals(_ level: Int, _ start: UnsafePointer<UInt8>, _ length: Int) -> Bool {
    let from = starts[level]
    guard starts[level + 1] - from == length else { return false }
    return arena.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return length == 0 }
      return Self.bytesEqual(UnsafeRawPointer(base + from), UnsafeRawPointer(start), length)
    }
  }

  /// Whether two byte ranges of length `length` are equal (inline; cells are short).
  @inline(__always)
  private static func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ length: Int)
    -> Bool
  {
    var i = 0
    while i + 8 <= length {
      if a.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        != b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      {
        return false
      }
      i += 8
    }
    while i < length {
      if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) {
        return false
      }
      i += 1
    }
    return true
  }

  /// Doubles the slot table and reinserts every level.
  private mutating func grow() {
    var newSlots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = newSlots.count - 1
    for level in 0..<labels.count {
      var slot = Int(truncatingIfNeeded: hashes[level]) & mask
      while newSlots[slot] >= 0 { slot = (slot + 1) & mask }
      newSlots[slot] = Int32(level)
    }
    slots = newSlots
  }

  /// Compares level texts bytewise (UTF-8 order = Unicode scalar order = R's C-locale order).
  /// - Parameters:
  ///   - a: A level index.
  ///   - b: Another level index.
  /// - Returns: Whether level `a` sorts before level `b`.
  func bytesPrecede(_ a: Int, _ b: Int) -> Bool {
    let (a0, a1, b0, b1) = (starts[a], starts[a + 1], starts[b], starts[b + 1])
    let common = min(a1 - a0, b1 - b0)
    let order: Int32 = arena.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress, common > 0 else { return 0 }
      return memcmp(base + a0, base + b0, common)
    }
    return order != 0 ? order < 0 : a1 - a0 < b1 - b0
  }

  /// A 64-bit hash of a byte string, eight bytes at a time.
  @inline(__always)
  private static func hash(_ start: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: length)
    let raw = UnsafeRawPointer(start)
    var i = 0
    while i + 8 <= length {
      let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
      h ^= h >> 31
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < length {
      tail |= UInt64(start[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    h ^= h >> 29
    return h
  }
}
