import LinearAlgebra
import TestSupport
import Testing

/// The matrix with columns `columns` (each of length `rows`) of `source`, with `extra`
/// inserted at `position`.
private func inserting(_ extra: [Double], at position: Int, into source: Matrix) -> Matrix {
  var columns = (0..<source.columns).map { source.column($0) }
  columns.insert(extra, at: position)
  return Matrix(columns: columns)
}

@Suite("Pivoted QR (R's dqrdc2 rank decisions)")
struct PivotedQRTests {
  @Test("a full-rank matrix keeps every column, in order", arguments: [(10, 1), (20, 4), (6, 6)])
  func fullRank(shape: (Int, Int)) {
    var generator = TestGenerator(state: UInt64(shape.0 * 100 + shape.1))
    let x = randomMatrix(rows: shape.0, columns: shape.1, using: &generator)
    let qr = PivotedQR(x)
    #expect(qr.rank == shape.1)
    #expect(qr.pivots == Array(0..<shape.1))
    #expect(qr.keptColumns == Array(0..<shape.1))
    #expect(qr.droppedColumns.isEmpty)
  }

  @Test("a column equal to 2× an earlier one: the later one is dropped, in either order")
  func scaledDuplicate() {
    var generator = TestGenerator(state: 1)
    let base = randomMatrix(rows: 12, columns: 3, using: &generator)
    // Column 3 = 2 × column 1: the multiple comes later.
    let later = inserting(base.column(1).map { 2 * $0 }, at: 3, into: base)
    let qrLater = PivotedQR(later)
    #expect(qrLater.rank == 3)
    #expect(qrLater.droppedColumns == [3])
    #expect(qrLater.keptColumns == [0, 1, 2])
    // The same two columns the other way round: column 1 = 2 × column 3, and still the later
    // column (3) is dropped.
    var columns = (0..<4).map { later.column($0) }
    columns.swapAt(1, 3)
    let qrEarlier = PivotedQR(Matrix(columns: columns))
    #expect(qrEarlier.rank == 3)
    #expect(qrEarlier.droppedColumns == [3])
    #expect(qrEarlier.keptColumns == [0, 1, 2])
  }

  @Test("an all-zero column is dropped wherever it is")
  func zeroColumn() {
    var generator = TestGenerator(state: 2)
    let base = randomMatrix(rows: 9, columns: 3, using: &generator)
    for position in 0...3 {
      let x = inserting(Array(repeating: 0, count: 9), at: position, into: base)
      let qr = PivotedQR(x)
      #expect(qr.rank == 3)
      #expect(qr.droppedColumns == [position])
    }
  }

  @Test("indicator columns that sum to the intercept: the last indicator is dropped")
  func dummyTrap() {
    let n = 12
    let group = (0..<n).map { $0 % 3 }
    var generator = TestGenerator(state: 3)
    let covariate = (0..<n).map { _ in generator.symmetricUniform() }
    let x = Matrix(columns: [
      Array(repeating: 1, count: n), covariate,
      group.map { $0 == 0 ? 1 : 0 }, group.map { $0 == 1 ? 1 : 0 }, group.map { $0 == 2 ? 1 : 0 },
    ])
    let qr = PivotedQR(x)
    #expect(qr.rank == 4)
    #expect(qr.droppedColumns == [4])
  }

  @Test("a sum of two earlier columns is dropped; several dependencies are all found")
  func linearCombinations() {
    var generator = TestGenerator(state: 4)
    let a = randomMatrix(rows: 15, columns: 3, using: &generator)
    let c0 = a.column(0)
    let c1 = a.column(1)
    let c2 = a.column(2)
    let x = Matrix(columns: [
      c0, c1, zip(c0, c1).map { $0 + $1 }, c2, zip(c1, c2).map { 3 * $0 - $1 / 2 },
    ])
    let qr = PivotedQR(x)
    #expect(qr.rank == 3)
    #expect(qr.droppedColumns == [2, 4])
    #expect(qr.keptColumns == [0, 1, 3])
    // The kept columns are of full rank on their own.
    #expect(PivotedQR(x.selectingColumns(qr.keptColumns)).rank == 3)
  }

  @Test("fewer rows than columns: rank n, the trailing columns dropped")
  func wide() {
    var generator = TestGenerator(state: 5)
    let x = randomMatrix(rows: 3, columns: 5, using: &generator)
    let qr = PivotedQR(x)
    #expect(qr.rank == 3)
    #expect(qr.keptColumns == [0, 1, 2])
    #expect(qr.droppedColumns == [3, 4])
  }

  @Test("pivots are always a permutation; kept and dropped partition the columns")
  func pivotsArePermutation() {
    var generator = TestGenerator(state: 6)
    for trial in 0..<20 {
      let rows = 2 + trial % 7
      var columns = (0..<(1 + trial % 6)).map { _ in
        (0..<rows).map { _ in generator.symmetricUniform() }
      }
      if columns.count > 1 { columns[columns.count - 1] = columns[0] }
      let qr = PivotedQR(Matrix(columns: columns))
      #expect(qr.pivots.sorted() == Array(0..<columns.count))
      #expect((qr.keptColumns + qr.droppedColumns).sorted() == Array(0..<columns.count))
      #expect(qr.keptColumns.count == qr.rank)
      #expect(qr.rank <= min(rows, columns.count))
    }
  }

  @Test("the input matrix is not modified and the result does not depend on column scale")
  func scaleInvariance() {
    var generator = TestGenerator(state: 7)
    let base = randomMatrix(rows: 10, columns: 3, using: &generator)
    let x = inserting(zip(base.column(0), base.column(2)).map { $0 - $1 }, at: 3, into: base)
    let copy = x
    let qr = PivotedQR(x)
    #expect(x == copy)
    var scaled = (0..<4).map { x.column($0) }
    scaled[1] = scaled[1].map { $0 * 1e6 }
    scaled[3] = scaled[3].map { $0 * 1e-6 }
    let qrScaled = PivotedQR(Matrix(columns: scaled))
    #expect(qr.droppedColumns == [3])
    #expect(qrScaled.droppedColumns == qr.droppedColumns)
  }
}
