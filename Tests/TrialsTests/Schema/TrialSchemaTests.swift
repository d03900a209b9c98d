import Testing

@testable import Trials

@Suite("Trial schema")
struct TrialSchemaTests {
  @Test("column names are unique and the subject, visit and pain columns are present")
  func columns() {
    let names = TrialSchema.columnNames
    #expect(Set(names).count == names.count)
    for required in ["subject", "arm", "visit", "day", "pain", "baseline_pain"] {
      #expect(names.contains(required))
    }
  }
}
