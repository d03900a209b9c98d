import LinearAlgebra
import TestSupport
import Testing

@Suite("Matrix")
struct MatrixTests {
  @Test("a new matrix has the requested shape and fill, stored column-major")
  func shapeAndFill() {
    let m = Matrix(rows: 3, columns: 2, repeating: 1.5)
    #expect(m.rows == 3 && m.columns == 2)
    #expect(m.elements == Array(repeating: 1.5, count: 6))
    #expect(Matrix(rows: 0, columns: 4).elements.isEmpty)
    #expect(Matrix(rows: 2, columns: 2).elements == [0, 0, 0, 0])
  }

  @Test("element (i, j) is storage[i + j·rows] for every constructor")
  func columnMajorLayout() {
    let values = (0..<12).map(Double.init)
    let m = Matrix(rows: 3, columns: 4, columnMajor: values)
    let byColumns = Matrix(columns: (0..<4).map { j in (0..<3).map { i in values[i + j * 3] } })
    #expect(m == byColumns)
    for j in 0..<4 {
      #expect(m.column(j) == Array(values[(j * 3)..<((j + 1) * 3)]))
      for i in 0..<3 { #expect(m[i, j] == values[i + j * 3]) }
    }
  }

  @Test("subscript assignment changes one element only")
  func subscriptSet() {
    var m = Matrix(rows: 2, columns: 3)
    m[1, 2] = 7
    #expect(m.elements == [0, 0, 0, 0, 0, 7])
    m[0, 1] = -1
    #expect(m.elements == [0, 0, -1, 0, 0, 7])
  }

  @Test("the identity has ones on the diagonal only")
  func identity() {
    let n = 5
    let m = Matrix.identity(n)
    for i in 0..<n {
      for j in 0..<n { #expect(m[i, j] == (i == j ? 1 : 0)) }
    }
    #expect(Matrix.identity(0).elements.isEmpty)
  }

  @Test("transposing swaps indices and is an involution")
  func transpose() {
    var generator = TestGenerator(state: 11)
    let m = randomMatrix(rows: 4, columns: 7, using: &generator)
    let t = m.transposed
    #expect(t.rows == 7 && t.columns == 4)
    for i in 0..<4 {
      for j in 0..<7 { #expect(t[j, i] == m[i, j]) }
    }
    #expect(t.transposed == m)
  }

  @Test("selecting columns keeps the listed columns in the listed order, repeats allowed")
  func selectingColumns() {
    var generator = TestGenerator(state: 12)
    let m = randomMatrix(rows: 5, columns: 4, using: &generator)
    let indices = [3, 0, 3, 2]
    let s = m.selectingColumns(indices)
    #expect(s.rows == 5 && s.columns == indices.count)
    for (k, j) in indices.enumerated() { #expect(s.column(k) == m.column(j)) }
    #expect(m.selectingColumns([]).columns == 0)
    #expect(m.selectingColumns(Array(0..<4)) == m)
  }

  @Test("equality compares shape as well as elements")
  func equality() {
    let a = Matrix(rows: 2, columns: 3, columnMajor: [1, 2, 3, 4, 5, 6])
    let b = Matrix(rows: 3, columns: 2, columnMajor: [1, 2, 3, 4, 5, 6])
    #expect(a != b)
    var c = a
    #expect(a == c)
    c[0, 0] = 0
    #expect(a != c)
  }
}
