import LinearAlgebra

extension ModelFrame {
  /// X, its column names and assignments, after dropping linearly dependent columns.
  static func fixedDesign(formula: Formula, data: ModelData) throws -> (
    matrix: Matrix, names: [String], dropped: [String], assign: [Int], notes: [String]
  ) {
    let n = data.rowsUsed.count
    var builder = try ModelMatrixBuilder(
      terms: formula.fixedTerms, intercept: formula.hasIntercept, rowCount: n,
      values: data.predictorValues)
    let p = builder.columns.count
    // Move the columns into X one at a time, releasing each as it is copied: reserved but
    // untouched pages are not resident, so X never exists twice (45 MB at 800,000 rows × 7).
    var storage = [Double]()
    storage.reserveCapacity(n * p)
    for j in 0..<p {
      storage.append(contentsOf: builder.columns[j])
      builder.columns[j] = []
    }
    let full = Matrix(rows: n, columns: p, columnMajor: storage)
    storage = []
    guard p > 0 else { return (full, [], [], [], []) }
    // lme4's chkRank.drop.cols: a pivoted QR at tolerance 1e-7; the later of collinear columns
    // are the ones dropped.
    let dropped = try PivotedQR(full, tolerance: 1e-7).droppedColumns
    guard !dropped.isEmpty else { return (full, builder.names, [], builder.assign, []) }
    let droppedSet = Set(dropped)
    let kept = (0..<p).filter { !droppedSet.contains($0) }
    let note =
      dropped.count == 1
      ? "fixed-effect model matrix is rank deficient so dropping 1 column / coefficient"
      : "fixed-effect model matrix is rank deficient so dropping \(dropped.count) columns / "
        + "coefficients"
    return (
      full.selectingColumns(kept), kept.map { builder.names[$0] },
      dropped.map { builder.names[$0] }, kept.map { builder.assign[$0] }, [note]
    )
  }
}
