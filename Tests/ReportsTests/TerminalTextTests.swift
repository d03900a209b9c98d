import Reports
import Testing

@Suite("Terminal text: control and reordering characters made visible")
struct TerminalTextTests {
  @Test("C0 controls and DEL become their control pictures; line feeds stay")
  func controlPictures() {
    #expect(TerminalText.visible("a\u{0}\u{0}b") == "a\u{2400}\u{2400}b")
    #expect(TerminalText.visible("red\u{1B}[31m") == "red\u{241B}[31m")
    #expect(TerminalText.visible("x\ty\u{7F}") == "x\u{2409}y\u{2421}")
    #expect(TerminalText.visible("line one\nline two\n") == "line one\nline two\n")
    #expect(TerminalText.visible("bell\u{7}") == "bell\u{2407}")
  }

  @Test("C1 controls, bidirectional overrides and isolates, zero-width space and BOM become �")
  func formatCharacters() {
    for scalar: Unicode.Scalar in [
      "\u{85}", "\u{9B}", "\u{202E}", "\u{202A}", "\u{2066}", "\u{2069}", "\u{200B}", "\u{FEFF}",
      "\u{2062}",
    ] {
      #expect(TerminalText.visible("a\(scalar)b") == "a\u{FFFD}b", "U+\(scalar.value)")
    }
  }

  @Test("ordinary UTF-8 is untouched, joiners included")
  func ordinaryText() {
    for text in [
      "Schmerz Δ", "疼痛评分", "ألم", "👩‍⚕️ arm", "क्‍ष", "plain ASCII, with (brackets) & signs",
    ] {
      #expect(TerminalText.visible(text) == text)
    }
  }

  @Test("one character in, one character out: aligned tables stay aligned")
  func widthPreserved() {
    let cells = ["a\u{0}\u{0}b", "c\u{1B}[1m", "\u{202E}dlrow", "x\ty"]
    for cell in cells {
      #expect(TerminalText.visible(cell).count == cell.count, "\(cell.unicodeScalars.map(\.value))")
    }
  }
}
