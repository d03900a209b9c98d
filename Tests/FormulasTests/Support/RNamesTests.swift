import Testing

@testable import Formulas

@Suite("R name helpers")
struct RNamesTests {
  @Test("make.names as R 4.2.2 prints it")
  func makeNamesMatchesR() {
    // make.names(c("`pain score`", "if", "1a", ".1a", "a b", "", "TRUE", "_x", "é"))
    #expect(
      makeNames(["`pain score`", "if", "1a", ".1a", "a b", "", "TRUE", "_x", "é"]) == [
        "X.pain.score.", "if.", "X1a", "X.1a", "a.b", "X", "TRUE.", "X_x", "é",
      ])
  }

  @Test("make.unique skips names already taken")
  func makeUniqueMatchesR() {
    // make.unique(c("a", "a", "a.1", "a"))
    #expect(makeUnique(["a", "a", "a.1", "a"]) == ["a", "a.2", "a.1", "a.3"])
    #expect(makeNames(["Subject", "Subject", "Subject"]) == ["Subject", "Subject.1", "Subject.2"])
    #expect(makeNames(["cask:batch", "batch", "batch"]) == ["cask.batch", "batch", "batch.1"])
  }
}
