import DataTable
import Testing

@Suite("Canonical row order")
struct TableSortingTests {
  func table(_ order: [Int]) throws -> Table {
    let ids = ["b", "a", "b", "a", "c"]
    let xs = [2.0, .nan, 1, 3, 1]
    return try Table(
      source: "t.csv",
      columns: [
        Column(
          name: "id",
          codes: order.map { Int32(["a", "b", "c"].firstIndex(of: ids[$0]) ?? -1) },
          levels: ["a", "b", "c"]),
        Column(name: "x", numbers: order.map { xs[$0] }),
      ], lines: order.map { $0 + 2 })
  }

  @Test("any order of the same rows sorts to the same table; rows keep their lines")
  func permutationInvariant() throws {
    let a = try table([0, 1, 2, 3, 4]).canonicallySorted()
    let b = try table([4, 2, 0, 3, 1]).canonicallySorted()
    #expect(try a.column(named: "id").codes == b.column(named: "id").codes)
    let ax = try a.column(named: "x").numbers
    let bx = try b.column(named: "x").numbers
    #expect(ax.count == 5 && bx.count == 5)
    #expect(zip(ax, bx).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
    // Sorted by id (a, a, b, b, c), then x ascending with missing last.
    #expect(try a.column(named: "id").codes == [0, 0, 1, 1, 2])
    #expect(ax.prefix(1) == [3] && ax[1].isNaN && Array(ax.suffix(3)) == [1, 2, 1])
    #expect(a.lines == [5, 3, 4, 2, 6])
    #expect(b.lines == a.lines)
  }
}
