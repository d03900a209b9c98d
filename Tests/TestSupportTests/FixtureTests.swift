import TestSupport
import Testing

@Suite("Fixture")
struct FixtureTests {
  @Test("every fixture of a folder is listed, sorted")
  func listed() throws {
    let names = Fixture.all(in: "lmer")
    #expect(names.count > 1)
    #expect(names == names.sorted())
    #expect(names.allSatisfy { $0.hasPrefix("lmer/") })
    _ = try Fixture.load(names[0])
  }

  @Test("a missing folder gives one name that fails to load, not an empty list")
  func missingFolder() {
    let names = Fixture.all(in: "no-such-folder")
    #expect(names.count == 1)
    #expect(throws: (any Error).self) { try Fixture.load(names[0]) }
  }
}
