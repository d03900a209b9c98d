import DataTable

/// A numeric column (`nil` = missing).
func numeric(_ name: String, _ values: [Double?]) -> Column {
  Column(name: name, numbers: values.map { $0 ?? .nan })
}

/// A categorical column from labels (`nil` = missing), levels in byte order as DataTable sorts.
func categorical(_ name: String, _ labels: [String?]) -> Column {
  let levels = Set(labels.compactMap { $0 }).sorted {
    Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
  }
  let codes = labels.map { label in
    label.flatMap { levels.firstIndex(of: $0) }.map(Int32.init) ?? -1
  }
  return Column(name: name, codes: codes, levels: levels)
}

/// Three subjects (numeric ids 308, 309, 310) seen on days 0…3: 12 rows.
func sleepTable(extra: [Column] = []) throws -> Table {
  let subjects: [Double?] = [308, 309, 310].flatMap { Array(repeating: $0, count: 4) }
  let days: [Double?] = (0..<12).map { Double($0 % 4) }
  let reaction: [Double?] = (0..<12).map { (i: Int) -> Double? in
    let day = Double(i % 4)
    let noise = Double((i * 7) % 5)
    return 250 + 10 * day + noise
  }
  return try Table(
    source: "sleep.csv",
    columns: [numeric("Reaction", reaction), numeric("Days", days), numeric("Subject", subjects)]
      + extra)
}
