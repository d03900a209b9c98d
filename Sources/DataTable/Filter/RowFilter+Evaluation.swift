// MARK: - Evaluation

extension RowFilter {
  /// Which rows of `table` the filter selects.
  ///
  /// A row is selected only where the filter is TRUE; a comparison on a missing value is NA
  /// (R's three-valued logic), so such rows are not selected unless another condition
  /// decides the result (`NA | TRUE`).
  /// - Parameter table: The table to select from.
  /// - Returns: One flag per row, `true` when selected.
  /// - Throws: `DataError.filterUnknownColumn` (with a suggestion),
  ///   `.filterUnknownLevel` (naming the levels and the nearest one), `.filterNotANumber`
  ///   or `.filterOrderingCategorical`, each pointing at the place in the filter text.
  /// - Complexity: O(rows · conditions).
  public func mask(in table: Table) throws(DataError) -> [Bool] {
    try evaluate(expression, in: table).map { $0 == .true }
  }

  /// R's logical values: TRUE, FALSE and NA.
  private enum Truth: UInt8 {
    case `false` = 0
    case `true` = 1
    case missing = 2

    static prefix func ! (a: Truth) -> Truth {
      switch a {
      case .true: .false
      case .false: .true
      case .missing: .missing
      }
    }

    static func && (a: Truth, b: Truth) -> Truth {
      if a == .false || b == .false { return .false }
      return a == .true && b == .true ? .true : .missing
    }

    static func || (a: Truth, b: Truth) -> Truth {
      if a == .true || b == .true { return .true }
      return a == .false && b == .false ? .false : .missing
    }
  }

  private func evaluate(_ e: Expression, in table: Table) throws(DataError) -> [Truth] {
    switch e {
    case .comparison(let c):
      return try compare(c, in: table)
    case .membership(let m):
      return try member(m, in: table)
    case .not(let a):
      return try evaluate(a, in: table).map { !$0 }
    case .and(let a, let b):
      let left = try evaluate(a, in: table)
      let right = try evaluate(b, in: table)
      return zip(left, right).map { $0 && $1 }
    case .or(let a, let b):
      let left = try evaluate(a, in: table)
      let right = try evaluate(b, in: table)
      return zip(left, right).map { $0 || $1 }
    }
  }

  private func column(_ reference: ColumnReference, in table: Table) throws(DataError) -> Column {
    if let column = table.columns.first(where: { $0.name == reference.name }) { return column }
    throw .filterUnknownColumn(
      name: reference.name, source: table.source,
      suggestion: nearestName(to: reference.name, among: table.columnNames), expression: text,
      offset: reference.offset)
  }

  private func compare(_ c: Comparison, in table: Table) throws(DataError) -> [Truth] {
    let column = try column(c.column, in: table)
    switch column.kind {
    case .numeric:
      return try compare(c, numbers: column.numbers, column: column)
    case .categorical:
      // Levels that are all numbers (a visit number read as a factor) order as numbers.
      let levelValues = column.levels.map { Double($0) }
      if c.op.isOrdering, !levelValues.isEmpty, levelValues.allSatisfy({ $0?.isFinite == true }) {
        let numbers = column.codes.map { $0 < 0 ? Double.nan : levelValues[Int($0)] ?? .nan }
        return try compare(c, numbers: numbers, column: column)
      }
      guard !c.op.isOrdering else {
        throw .filterOrderingCategorical(
          column: column.name, op: c.op.rawValue, expression: text, offset: c.opOffset)
      }
      let code = try level(c.value, of: column)
      let equal = c.op == .equal
      return column.codes.map { $0 < 0 ? .missing : (($0 == code) == equal ? .true : .false) }
    }
  }

  private func compare(
    _ c: Comparison, numbers: [Double], column: Column
  ) throws(DataError) -> [Truth] {
    let value = try number(c.value, for: column)
    let test: (Double) -> Bool =
      switch c.op {
      case .equal: { $0 == value }
      case .notEqual: { $0 != value }
      case .less: { $0 < value }
      case .lessOrEqual: { $0 <= value }
      case .greater: { $0 > value }
      case .greaterOrEqual: { $0 >= value }
      }
    return numbers.map { $0.isNaN ? .missing : (test($0) ? .true : .false) }
  }

  private func member(_ m: Membership, in table: Table) throws(DataError) -> [Truth] {
    let column = try column(m.column, in: table)
    switch column.kind {
    case .numeric:
      var values = Set<Double>()
      for literal in m.values { values.insert(try number(literal, for: column)) }
      return column.numbers.map { $0.isNaN ? .missing : (values.contains($0) ? .true : .false) }
    case .categorical:
      var wanted = [Bool](repeating: false, count: column.levels.count)
      for literal in m.values { wanted[Int(try level(literal, of: column))] = true }
      return column.codes.map { $0 < 0 ? .missing : (wanted[Int($0)] ? .true : .false) }
    }
  }

  private func number(_ literal: Literal, for column: Column) throws(DataError) -> Double {
    guard let value = literal.number else {
      throw .filterNotANumber(
        column: column.name, text: literal.text, expression: text, offset: literal.offset)
    }
    return value
  }

  /// The code of the level `literal` names: the level spelled alike, else (for a number) the
  /// level with that numeric value.
  private func level(_ literal: Literal, of column: Column) throws(DataError) -> Int32 {
    if let index = column.levels.firstIndex(of: literal.text) { return Int32(index) }
    if let value = literal.number,
      let index = column.levels.firstIndex(where: { Double($0) == value })
    {
      return Int32(index)
    }
    throw .filterUnknownLevel(
      column: column.name, level: literal.text, levels: column.levels,
      suggestion: nearestName(to: literal.text, among: column.levels), expression: text,
      offset: literal.offset)
  }
}
