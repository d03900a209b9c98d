/// A dense, column-major matrix of `Double`.
///
/// The storage layout is the one BLAS and LAPACK use: element `(i, j)` lives at
/// `storage[i + j * rows]`. `Matrix` is a value type; mutation copies on write.
///
/// Invariant: `storage.count == rows * columns`.
public struct Matrix: Sendable, Equatable {
  /// Number of rows.
  public let rows: Int
  /// Number of columns.
  public let columns: Int
  /// Column-major elements; `package` so that higher layers can hand it to kernels.
  package var storage: [Double]

  /// A `rows × columns` matrix filled with `value`.
  /// - Parameters:
  ///   - rows: Number of rows (≥ 0).
  ///   - columns: Number of columns (≥ 0).
  ///   - value: The fill value.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.storage = Array(repeating: value, count: rows * columns)
  }

  /// A matrix over existing column-major elements.
  /// - Parameters:
  ///   - rows: Number of rows.
  ///   - columns: Number of columns.
  ///   - columnMajor: Exactly `rows * columns` elements, column after column.
  public init(rows: Int, columns: Int, columnMajor: [Double]) {
    precondition(columnMajor.count == rows * columns, "Matrix storage does not match dimensions")
    self.rows = rows
    self.columns = columns
    self.storage = columnMajor
  }

  /// A matrix whose columns are the given arrays (all of equal length).
  /// - Parameter columns: The columns, left to right.
  public init(columns: [[Double]]) {
    let rows = columns.first?.count ?? 0
    precondition(columns.allSatisfy { $0.count == rows }, "Columns differ in length")
    self.rows = rows
    self.columns = columns.count
    self.storage = columns.flatMap { $0 }
  }

  /// The `n × n` identity matrix.
  /// - Parameter n: The order.
  /// - Returns: The identity.
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.storage[i + i * n] = 1 }
    return m
  }

  /// Element `(row, column)`.
  public subscript(row: Int, column: Int) -> Double {
    get {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Index out of range")
      return storage[row + column * rows]
    }
    set {
      precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Index out of range")
      storage[row + column * rows] = newValue
    }
  }

  /// Column `j` as an array.
  /// - Parameter j: Column index.
  /// - Returns: A copy of the column.
  public func column(_ j: Int) -> [Double] {
    precondition(j >= 0 && j < columns, "Column index out of range")
    return Array(storage[(j * rows)..<((j + 1) * rows)])
  }

  /// The column-major elements.
  public var elements: [Double] { storage }

  /// The transpose.
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for j in 0..<columns {
      for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] }
    }
    return t
  }

  /// The matrix with row i multiplied by `scale[i]`.
  /// - Parameter scale: One factor per row.
  /// - Returns: `diag(scale) · self`.
  public func scalingRows(by scale: [Double]) -> Matrix {
    precondition(scale.count == rows, "scalingRows: one factor per row")
    var m = self
    for j in 0..<columns {
      for i in 0..<rows { m.storage[i + j * rows] *= scale[i] }
    }
    return m
  }

  /// The matrix made of the listed columns, in that order.
  /// - Parameter indices: Column indices to keep.
  /// - Returns: A `rows × indices.count` matrix.
  public func selectingColumns(_ indices: [Int]) -> Matrix {
    var out = [Double]()
    out.reserveCapacity(rows * indices.count)
    for j in indices { out.append(contentsOf: storage[(j * rows)..<((j + 1) * rows)]) }
    return Matrix(rows: rows, columns: indices.count, columnMajor: out)
  }
}
