// MARK: - Row selection

extension Table {
  /// The table restricted to the rows where `mask` is `true`, in their original order.
  ///
  /// Columns keep their kind and their levels, including levels no selected row has (the model
  /// frame drops unused levels, as R's `droplevels` would); each row keeps its source line, so
  /// later errors still point at the file.
  /// - Parameter mask: One flag per row (`RowFilter.mask(in:)` makes one).
  /// - Returns: The selected rows.
  /// - Precondition: `mask.count == rowCount`.
  /// - Complexity: O(rows · columns).
  public func selectingRows(_ mask: [Bool]) -> Table {
    precondition(mask.count == rowCount, "One flag per row is required")
    return rows(at: mask.indices.filter { mask[$0] })
  }

  /// The rows sorted by their values, column by column from the first: labels in level order
  /// (byte order), numbers ascending, missing values last.
  ///
  /// Two files with the same rows in different orders give the same sorted table, so what is
  /// computed from it does not depend on the order of the input. Rows keep their source lines.
  /// - Returns: The sorted table.
  /// - Complexity: O(rows · log rows · columns).
  public func canonicallySorted() -> Table {
    let order = (0..<rowCount).sorted { a, b in
      for column in columns {
        switch column.kind {
        case .numeric:
          let x = column.numbers[a]
          let y = column.numbers[b]
          if x == y || (x.isNaN && y.isNaN) { continue }
          if x.isNaN { return false }
          if y.isNaN { return true }
          return x < y
        case .categorical:
          let x = column.codes[a]
          let y = column.codes[b]
          if x == y { continue }
          if x < 0 { return false }
          if y < 0 { return true }
          return x < y
        }
      }
      return a < b
    }
    return rows(at: order)
  }

  /// The rows at `kept` (distinct indices), in that order.
  private func rows(at kept: [Int]) -> Table {
    var newIndex = [Int](repeating: -1, count: rowCount)
    for (new, old) in kept.enumerated() { newIndex[old] = new }
    let columns = self.columns.map { column -> Column in
      switch column.kind {
      case .numeric:
        let numbers = kept.map { column.numbers[$0] }
        var firstNonFinite: (row: Int, text: String)?
        if let first = column.firstNonFinite {
          if newIndex[first.row] >= 0 {
            firstNonFinite = (newIndex[first.row], first.text)
          } else if let row = numbers.firstIndex(where: { $0.isInfinite }) {
            firstNonFinite = (row, numbers[row] > 0 ? "Inf" : "-Inf")
          }
        }
        return Column(name: column.name, numbers: numbers, firstNonFinite: firstNonFinite)
      case .categorical:
        let codes = kept.map { column.codes[$0] }
        var firstNonNumeric: (row: Int, text: String)?
        if let first = column.firstNonNumeric {
          if newIndex[first.row] >= 0 {
            firstNonNumeric = (newIndex[first.row], first.text)
          } else if let row = codes.firstIndex(where: {
            $0 >= 0 && Double(column.levels[Int($0)]) == nil
          }) {
            firstNonNumeric = (row, column.levels[Int(codes[row])])
          }
        }
        return Column(
          name: column.name, codes: codes, levels: column.levels, firstNonNumeric: firstNonNumeric)
      }
    }
    return Table(selected: self, columns: columns, lines: kept.map { lines[$0] })
  }

  /// A table with the source of `table` and the given columns, already known to be valid.
  private init(selected table: Table, columns: [Column], lines: [Int]) {
    self.source = table.source
    self.columns = columns
    self.rowCount = lines.count
    self.lines = lines
  }
}

// MARK: - Renaming

extension Table {
  /// The table with some columns renamed.
  ///
  /// `mapping` maps each new name to the name in the file (`["subject": "patient_id", "pain":
  /// "nrs"]`); other columns keep their names.
  /// - Parameter mapping: New name → current name.
  /// - Returns: The renamed table (same rows, lines and values).
  /// - Throws: `DataError.unknownColumn` (with a suggestion) when a current name is not a
  ///   column; `DataError.duplicateColumn` when a new name is already taken.
  public func renamingColumns(_ mapping: [String: String]) throws -> Table {
    var newName: [String: String] = [:]
    for (new, old) in mapping.sorted(by: { $0.key < $1.key }) {
      _ = try column(named: old)
      newName[old] = new
    }
    let renamed = columns.map { column -> Column in
      guard let name = newName[column.name] else { return column }
      switch column.kind {
      case .numeric:
        return Column(name: name, numbers: column.numbers, firstNonFinite: column.firstNonFinite)
      case .categorical:
        return Column(
          name: name, codes: column.codes, levels: column.levels,
          firstNonNumeric: column.firstNonNumeric)
      }
    }
    return try Table(source: source, columns: renamed, lines: lines)
  }
}
