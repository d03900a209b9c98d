import DataTable
import Testing

@Suite("Row selection")
struct TableRowsTests {
  @Test("keeps the selected rows in order, their source lines, and every level")
  func selectsRows() throws {
    let text = "id,arm,y\n1,a,1.5\n2,b,NA\n3,c,Inf\n4,a,2\n"
    let table = try Table.readCSV(text: text, source: "t.csv")
    let selected = table.selectingRows([false, true, false, true])
    #expect(selected.rowCount == 2)
    #expect(selected.source == "t.csv")
    #expect(selected.lines == [3, 5])
    #expect(selected.columnNames == ["id", "arm", "y"])
    let arm = try selected.column(named: "arm")
    #expect(arm.levels == ["a", "b", "c"])
    #expect(arm.codes == [1, 0])
    let y = try selected.column(named: "y")
    #expect(y.numbers[0].isNaN && y.numbers[1] == 2)
    // The infinite value was not selected, so no non-finite cell remains.
    #expect(y.firstNonFinite == nil)
    #expect(try table.column(named: "y").firstNonFinite?.row == 2)
    #expect(table.selectingRows([false, false, true, true]).columns[2].firstNonFinite?.row == 0)
  }

  @Test("selecting no rows gives an empty table with the same columns")
  func selectsNothing() throws {
    let table = try Table.readCSV(text: "a,b\n1,x\n", source: "t.csv")
    let empty = table.selectingRows([false])
    #expect(empty.rowCount == 0 && empty.columnNames == ["a", "b"] && empty.lines.isEmpty)
  }
}
