import Foundation
import TestSupport
import Testing

@Suite("JSONValue: required members")
struct JSONValueRequiredTests {
  static func value() throws -> JSONValue {
    try JSONValue.parse(
      Data(
        #"""
        {"x": 1.5, "s": "a", "b": true, "n": null, "xs": [1, 2], "one": 3, "holes": [1, null],
         "ss": ["a", "b"], "o": {"k": 1},
         "ref": {"arm": "placebo"}, "empty": []}
        """#.utf8))
  }

  @Test("present members are read")
  func present() throws {
    let v = try Self.value()
    #expect(try v.number("x") == 1.5)
    #expect(try v.text("s") == "a")
    #expect(try v.flag("b"))
    #expect(try v.member("n") == .null)
    #expect(try v.numbers("xs") == [1, 2])
    #expect(try v.numbers("one") == [3])
    #expect(try v.texts("ss") == ["a", "b"])
    #expect(try v.elements("xs").count == 2)
    #expect(try v.members("o")["k"] == .number(1))
    #expect(try v.member("o").number("k") == 1)
    #expect(try v.textMembers("ref") == ["arm": "placebo"])
    #expect(try v.textMembers("empty").isEmpty)
  }

  @Test("a missing member records an issue naming it, and throws")
  func missing() throws {
    let v = try Self.value()
    for read in [
      { _ = try v.number("df") }, { _ = try v.text("df") }, { _ = try v.flag("df") },
      { _ = try v.numbers("df") }, { _ = try v.texts("df") }, { _ = try v.elements("df") },
      { _ = try v.members("df") }, { _ = try v.member("df") }, { _ = try v.textMembers("df") },
    ] as [() throws -> Void] {
      try withKnownIssue {
        try read()
      } matching: { issue in
        issue.comments.contains { $0.rawValue.contains(#"missing member "df""#) }
      }
    }
  }

  @Test("a member of another kind, a null or a null element records an issue, and throws")
  func wrongKind() throws {
    let v = try Self.value()
    withKnownIssue { _ = try v.number("s") }
    withKnownIssue { _ = try v.number("n") }
    withKnownIssue { _ = try v.text("x") }
    withKnownIssue { _ = try v.flag("x") }
    withKnownIssue { _ = try v.elements("n") }
    withKnownIssue { _ = try v.numbers("holes") }
    withKnownIssue { _ = try v.texts("xs") }
    withKnownIssue { _ = try v.members("xs") }
    withKnownIssue { _ = try v.textMembers("o") }
    withKnownIssue { _ = try v.textMembers("xs") }
    withKnownIssue { _ = try JSONValue.number(1).member("x") }
  }
}
