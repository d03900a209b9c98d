/// Text for a terminal: what a data file put in a level or column name must not move the
/// cursor, recolour the screen or hide characters.
///
/// Every control character except the line feed, and every Unicode format character that
/// reorders or hides text (bidirectional embeddings, overrides and isolates, the zero-width
/// space, invisible operators, the byte-order mark; not the joiners that scripts and emoji
/// need), becomes one visible character: C0 controls and DEL their
/// Unicode *control pictures* (NUL `␀`, ESC `␛`, TAB `␉`, DEL `␡`), everything else `�`. A
/// character is replaced by one character, so the tables the summaries align stay aligned
/// (a control character is always a grapheme cluster of its own). Files (JSON, CSV, reports)
/// keep the exact strings; only what is printed is changed.
public enum TerminalText {
  /// `text` with its invisible and cursor-moving characters replaced (see the type).
  /// - Parameter text: Text about to be printed.
  /// - Returns: The same text when it has nothing to replace (the usual case, no copy made
  ///   beyond a scan); otherwise the replaced text.
  public static func visible(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsReplacement) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      out.append(needsReplacement(scalar) ? replacement(for: scalar) : scalar)
    }
    return String(out)
  }

  private static func needsReplacement(_ scalar: Unicode.Scalar) -> Bool {
    let v = scalar.value
    if v == 0x0A { return false }
    if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
    switch v {
    case 0x200B, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF:
      return true
    default:
      return false
    }
  }

  private static func replacement(for scalar: Unicode.Scalar) -> Unicode.Scalar {
    let v = scalar.value
    if v < 0x20 { return Unicode.Scalar(0x2400 + v) ?? "\u{FFFD}" }
    if v == 0x7F { return "\u{2421}" }
    return "\u{FFFD}"
  }
}
