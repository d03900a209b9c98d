extension Matrix {
  /// `A v` with each row's sum taken left to right, `Σ_c A[i, c] v[c]` for c = 0, 1, …: no BLAS,
  /// whose kernels round by CPU, so the result is the same bytes on every machine.
  /// - Parameter v: One value per column.
  /// - Returns: One value per row.
  public func rowSums(times v: [Double]) -> [Double] {
    precondition(v.count == columns, "rowSums(times:): \(v.count) values for \(columns) columns")
    var result = [Double](repeating: 0, count: rows)
    for i in 0..<rows {
      var s = 0.0
      for c in 0..<columns { s += storage[i + c * rows] * v[c] }
      result[i] = s
    }
    return result
  }
}
