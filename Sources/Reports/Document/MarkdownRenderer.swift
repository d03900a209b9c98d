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
    var parts = ["# \(document.title)"]
    var files: [(path: String, svg: String)] = []
    for block in document.blocks {
      switch block {
      case .heading(let level, let text):
        parts.append(String(repeating: "#", count: min(max(level, 1), 6)) + " " + text)
      case .paragraph(let text):
        parts.append(text)
      case .list(let items):
        parts.append(items.map { "- " + $0 }.joined(separator: "\n"))
      case .preformatted(let text):
        parts.append("```\n" + text.trimmingTrailingNewlines + "\n```")
      case .table(let table):
        parts.append(render(table))
      case .figure(let figure):
        let path =
          figureDirectory.isEmpty ? "\(figure.name).svg" : "\(figureDirectory)/\(figure.name).svg"
        files.append((path, figure.svg))
        parts.append("![\(figure.caption)](\(path))\n\n*\(figure.caption)*")
      }
    }
    return (parts.joined(separator: "\n\n") + "\n", files)
  }

  private static func render(_ table: ReportTable) -> String {
    func cell(_ text: String) -> String {
      text.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }
    var lines = [String]()
    if !table.caption.isEmpty { lines.append("**\(table.caption)**\n") }
    lines.append("| " + table.header.map(cell).joined(separator: " | ") + " |")
    lines.append(
      "|" + table.alignments.map { $0 == .right ? "---:" : ":---" }.joined(separator: "|") + "|")
    for row in table.rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
    for note in table.notes { lines.append("\n" + note) }
    return lines.joined(separator: "\n")
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
