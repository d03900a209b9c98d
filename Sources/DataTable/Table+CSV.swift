extension Table {
  /// The table as CSV bytes, in the conventions of the bundled datasets.
  ///
  /// A header row, then one line per row, fields separated by commas and lines ended by `\n`.
  /// Header names are written plain unless they hold a comma, quote or line break; labels are
  /// double-quoted (a quote inside doubled, RFC 4180); numbers are not, and are written as R's
  /// `write.csv` writes them: 15 significant digits with trailing zeros dropped (`7`, `-1`,
  /// `0.142857142857143`, `1` for 8.2 − 7.2), so a value computed from data recorded to one
  /// decimal reads as a person would write it. Missing values of either kind are `NA`.
  /// - Returns: UTF-8 bytes.
  public func csvBytes() -> [UInt8] {
    var out = [UInt8]()
    out.reserveCapacity(rowCount * columns.count * 6 + 64)
    for (j, column) in columns.enumerated() {
      if j > 0 { out.append(UInt8(ascii: ",")) }
      if column.name.utf8.contains(where: { [0x22, 0x2C, 0x0A, 0x0D].contains($0) }) {
        Self.appendQuoted(column.name, to: &out)
      } else {
        out.append(contentsOf: column.name.utf8)
      }
    }
    out.append(UInt8(ascii: "\n"))
    for row in 0..<rowCount {
      for (j, column) in columns.enumerated() {
        if j > 0 { out.append(UInt8(ascii: ",")) }
        switch column.kind {
        case .numeric:
          Self.appendNumber(column.numbers[row], to: &out)
        case .categorical:
          let code = column.codes[row]
          if code < 0 {
            out.append(contentsOf: "NA".utf8)
          } else {
            Self.appendQuoted(column.levels[Int(code)], to: &out)
          }
        }
      }
      out.append(UInt8(ascii: "\n"))
    }
    return out
  }

  private static func appendNumber(_ x: Double, to out: inout [UInt8]) {
    if x.isNaN {
      out.append(contentsOf: "NA".utf8)
    } else if x.isInfinite {
      out.append(contentsOf: (x > 0 ? "Inf" : "-Inf").utf8)
    } else {
      out.append(contentsOf: RNumberFormat.label(x).utf8)
    }
  }

  private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\"") { out.append(byte) }
      out.append(byte)
    }
    out.append(UInt8(ascii: "\""))
  }
}
