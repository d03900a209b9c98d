import LinearAlgebra

extension ModelFrame {
  /// X, its column names and assignments, after dropping linearly dependent columns.
  static func fixedDesign(formula: Formula, data: ModelData) throws -> (
    matrix: Matrix, names: [String], dropped: [String], assign: [Int], notes: [FrameNote]
  ) {
    let n = data.rowsUsed.count
    let builder = try ModelMatrixBuilder(
      terms: formula.fixedTerms, intercept: formula.hasIntercept, rowCount: n,
      values: data.predictorValues)
    let p = builder.columnCount
    // Each column is written straight into X: the model matrix exists once (45 MB at 800,000
    // rows × 7 columns).
    var full = Matrix(rows: n, columns: p)
    full.storage.withUnsafeMutableBufferPointer { x in
      guard let base = x.baseAddress else { return }
      for j in 0..<p { builder.write(column: j, to: base + j * n, stride: 1) }
    }
    guard p > 0 else { return (full, [], [], [], []) }
    // lme4's chkRank.drop.cols: a pivoted QR at tolerance 1e-7; the later of collinear columns
    // are the ones dropped.
    let dropped = PivotedQR(full, tolerance: 1e-7).droppedColumns
    guard !dropped.isEmpty else { return (full, builder.names, [], builder.assign, []) }
    let droppedSet = Set(dropped)
    let kept = (0..<p).filter { !droppedSet.contains($0) }
    let note = FrameNote.rankDeficient(droppedCount: dropped.count)
    return (
      full.selectingColumns(kept), kept.map { builder.names[$0] },
      dropped.map { builder.names[$0] }, kept.map { builder.assign[$0] }, [note]
    )
  }
}
