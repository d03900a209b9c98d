import DataTable
import Testing

@Suite("Missing-value accounting")
struct TableMissingTests {
  /// Five rows with missing values scattered over four columns.
  private func fixture() throws -> Table {
    let text = "subject,week,pain,arm\nS1,0,5,a\nS1,1,NA,a\nS2,NA,NA,\nS2,1,4,b\nS3,.,3,b\n"
    return try Table.readCSV(text: text, source: "data.csv")
  }

  @Test("counts rows with a missing value in any named column, and cells per column")
  func summary() throws {
    let table = try fixture()
    let summary = try table.missingSummary(in: ["pain", "week", "subject"])
    #expect(summary.rowCount == 5)
    #expect(summary.rowsWithMissing == 3)
    #expect(summary.completeRows == 2)
    #expect(summary.perColumn == ["pain": 2, "week": 2, "subject": 0])
    #expect(try table.missingSummary(in: ["arm"]).rowsWithMissing == 1)
    #expect(try table.missingSummary(in: []).rowsWithMissing == 0)
  }

  @Test("complete cases flag rows with every named value present")
  func completeCases() throws {
    let table = try fixture()
    #expect(try table.completeCases(in: ["week", "pain"]) == [true, false, false, true, false])
    #expect(try table.completeCases(in: ["arm"]) == [true, true, false, true, true])
  }

  @Test("an unknown name is an error with a suggestion")
  func unknownName() throws {
    let table = try fixture()
    #expect(throws: DataError.unknownColumn(name: "pian", source: "data.csv", suggestion: "pain")) {
      try table.missingSummary(in: ["pian"])
    }
  }
}
