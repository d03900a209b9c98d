import Analysis
import DataTable
import Testing

/// Stacking the data files of a report spec (`DataFiles`).
@Suite("DataFiles: stacking CSV files")
struct DataFilesTests {
  func table(_ text: String, _ source: String) throws -> Table {
    try Table.readCSV(text: text, source: source)
  }

  @Test("rows one file after the other, columns in the first file's order, levels merged")
  func stacks() throws {
    let a = try table("id,site,y\n1,b,2.5\n2,a,NA\n", "a.csv")
    let b = try table("y,id,site\n4,3,c\n5,4,10\n", "b.csv")
    let stacked = try DataFiles.stack([a, b])
    #expect(stacked.columnNames == ["id", "site", "y"])
    #expect(stacked.rowCount == 4)
    #expect(stacked.source == "a.csv, b.csv")
    #expect(stacked.lines == [2, 3, 2, 3])
    let id = try stacked.column(named: "id")
    #expect(id.kind == .numeric && id.numbers == [1, 2, 3, 4])
    let y = try stacked.column(named: "y")
    #expect(y.numbers[0] == 2.5 && y.numbers[1].isNaN && y.numbers[2] == 4)
    // Labels in byte order; "10" is a label here as in a single file holding it with letters.
    let site = try stacked.column(named: "site")
    #expect(site.kind == .categorical && site.levels == ["10", "a", "b", "c"])
    #expect(site.codes.map { site.levels[Int($0)] } == ["b", "a", "c", "10"])
    #expect(site.firstNonNumeric?.text == "b")
  }

  @Test("a numeric column in one file and labels in another: categorical, numbers labelled")
  func mixedKinds() throws {
    let a = try table("id,arm\n1,2\n2,3\n", "a.csv")
    let b = try table("id,arm\n3,placebo\n", "b.csv")
    let arm = try DataFiles.stack([a, b]).column(named: "arm")
    #expect(arm.kind == .categorical)
    #expect(arm.codes.map { arm.levels[Int($0)] } == ["2", "3", "placebo"])
    // Only numbers: sorted numerically, as the CSV reader sorts them.
    let c = try table("id,visit\n1,10\n", "c.csv")
    let d = try table("id,visit\n2,9\n", "d.csv")
    let e = try table("id,visit\n3,x\n", "e.csv")
    let visit = try DataFiles.stack([c, d]).column(named: "visit")
    #expect(visit.kind == .numeric && visit.numbers == [10, 9])
    let labelled = try DataFiles.stack([c, d, e]).column(named: "visit")
    #expect(labelled.levels == ["10", "9", "x"])
  }

  @Test("neither the order of the rows nor their split into files changes the sorted table")
  func orderFree() throws {
    let whole = try table("id,g,y\n1,a,3\n2,b,1\n3,a,2\n4,c,5\n", "all.csv")
    let a = try table("id,g,y\n3,a,2\n1,a,3\n", "a.csv")
    let b = try table("g,y,id\nc,5,4\nb,1,2\n", "b.csv")
    let first = try table("id,g,y\n3,a,2\n", "first.csv")
    let c = try table("id,y,g\n4,5,c\n2,1,b\n", "c.csv")
    let d = try table("y,id,g\n3,1,a\n", "d.csv")
    let one = whole.canonicallySorted()
    // The first file's column order is the table's (the rows are sorted on it): the same here.
    for tables in [[a, b], [first, d, c]] {
      let stacked = try DataFiles.stack(tables).canonicallySorted()
      // Same values row by row (the column order is the first file's).
      for name in ["id", "y"] {
        #expect(try stacked.column(named: name).numbers == one.column(named: name).numbers)
      }
      let g = try stacked.column(named: "g")
      let expected = try one.column(named: "g")
      #expect(g.codes.map { g.levels[Int($0)] } == expected.codes.map { expected.levels[Int($0)] })
    }
  }

  @Test("a missing or extra column names the file and the column")
  func mismatch() throws {
    let a = try table("id,site,y\n1,b,2\n", "a.csv")
    let missing = try table("id,y\n2,3\n", "b.csv")
    let extra = try table("id,site,y,z\n2,a,3,4\n", "c.csv")
    #expect(throws: DataFilesError.self) { try DataFiles.stack([a, missing]) }
    do {
      _ = try DataFiles.stack([a, missing])
    } catch {
      #expect("\(error)".hasPrefix("b.csv: no column 'site', which a.csv has"))
    }
    do {
      _ = try DataFiles.stack([a, extra])
    } catch {
      #expect("\(error)".hasPrefix("c.csv: column 'z' is not in a.csv"))
    }
  }
}
