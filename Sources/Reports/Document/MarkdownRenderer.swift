/// Renders a `Document` as Markdown: pipe tables, figures as links to SVG files written
/// beside the Markdown file.
public enum MarkdownRenderer {
  /// The Markdown text and the figure files it links to.
  /// - Parameters:
  ///   - document: The report.
  ///   - figureDirectory: Directory of the figure files, relative to the Markdown file.
  /// - Returns: The text (ending in one newline) and (relative path, SVG) per figure.
  public static func render(_ document: Document, figureDirectory: String = "figures") -> (
    markdown: String, figures: [(path: String, svg: String)]
  ) {
    var parts = ["# \(escape(document.title))"]
    var files: [(path: String, svg: String)] = []
    for block in document.blocks {
      switch block {
      case .heading(let level, let text):
        parts.append(String(repeating: "#", count: min(max(level, 1), 6)) + " " + escape(text))
      case .paragraph(let text):
        parts.append(escape(text))
      case .list(let items):
        parts.append(items.map { "- " + escape($0) }.joined(separator: "\n"))
      case .preformatted(let text):
        parts.append("```\n" + text.trimmingTrailingNewlines + "\n```")
      case .table(let table):
        parts.append(render(table))
      case .figure(let figure):
        let path =
          figureDirectory.isEmpty ? "\(figure.name).svg" : "\(figureDirectory)/\(figure.name).svg"
        files.append((path, figure.svg))
        let caption = escape(figure.caption)
        let alt = caption.replacingAll("[", with: "\\[").replacingAll("]", with: "\\]")
        parts.append("![\(alt)](\(path))\n\n*\(caption)*")
      }
    }
    return (parts.joined(separator: "\n\n") + "\n", files)
  }

  private static func render(_ table: ReportTable) -> String {
    func cell(_ text: String) -> String {
      escape(text).replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
    var lines = [String]()
    if !table.caption.isEmpty { lines.append("**\(escape(table.caption))**\n") }
    lines.append("| " + table.header.map(cell).joined(separator: " | ") + " |")
    lines.append(
      "|" + table.alignments.map { $0 == .right ? "---:" : ":---" }.joined(separator: "|") + "|")
    for row in table.rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
    for note in table.notes { lines.append("\n" + escape(note)) }
    return lines.joined(separator: "\n")
  }

  /// `text` with what Markdown would take for HTML shown literally: a backslash before every
  /// `<` that could open a tag, a comment or an autolink (a letter, `/`, `!` or `?` follows)
  /// and before every `&` that starts a character reference (`&amp;`, `&#60;`).
  /// - Parameter text: Text from the report (user-supplied names included).
  /// - Returns: The Markdown source that renders as `text`.
  static func escape(_ text: String) -> String {
    let chars = Array(text)
    var out = ""
    for (k, ch) in chars.enumerated() {
      if ch == "<", k + 1 < chars.count,
        chars[k + 1].isASCII && chars[k + 1].isLetter || "/!?".contains(chars[k + 1])
      {
        out += "\\"
      } else if ch == "&", startsCharacterReference(chars[(k + 1)...]) {
        out += "\\"
      }
      out.append(ch)
    }
    return out
  }

  /// Whether `rest` (the text after a `&`) is `name;` or `#digits;` or `#xhex;`.
  private static func startsCharacterReference(_ rest: ArraySlice<Character>) -> Bool {
    guard let semicolon = rest.firstIndex(of: ";"), semicolon > rest.startIndex else {
      return false
    }
    let body = rest[rest.startIndex..<semicolon]
    return body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "#") }
  }
}

extension String {
  /// The string with every `target` replaced (no Foundation needed).
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for ch in self {
      if ch == target { out += replacement } else { out.append(ch) }
    }
    return out
  }

  /// The string without newlines at its end.
  var trimmingTrailingNewlines: String {
    var text = self
    while text.hasSuffix("\n") { text.removeLast() }
    return text
  }
}
