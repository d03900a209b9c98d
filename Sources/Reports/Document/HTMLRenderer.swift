/// Renders a `Document` as one self-contained HTML file: inline CSS and inline SVG figures,
/// no scripts and no network, readable on screen and printable.
public enum HTMLRenderer {
  /// The HTML text.
  /// - Parameter document: The report.
  /// - Returns: A complete HTML document ending in a newline.
  public static func render(_ document: Document) -> String {
    var html = [
      "<!DOCTYPE html>",
      "<html lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
      "<title>\(escape(document.title))</title>",
      "<style>",
      style,
      "</style>",
      "</head>",
      "<body>",
      "<main>",
      "<h1>\(escape(document.title))</h1>",
    ]
    var figureNumber = 0
    for block in document.blocks {
      switch block {
      case .heading(let level, let text):
        let l = min(max(level, 2), 6)
        html.append("<h\(l) id=\"\(anchor(text))\">\(escape(text))</h\(l)>")
      case .paragraph(let text):
        html.append("<p>\(escape(text))</p>")
      case .list(let items):
        html.append("<ul>")
        html.append(contentsOf: items.map { "<li>\(escape($0))</li>" })
        html.append("</ul>")
      case .preformatted(let text):
        html.append("<pre>\(escape(text.trimmingTrailingNewlines))</pre>")
      case .table(let table):
        html.append(render(table))
      case .figure(let figure):
        figureNumber += 1
        html.append("<figure id=\"figure-\(escape(figure.name))\">")
        html.append(figure.svg.trimmingTrailingNewlines)
        html.append(
          "<figcaption>Figure \(figureNumber). \(escape(figure.caption))</figcaption>")
        html.append("</figure>")
      }
    }
    html.append(contentsOf: ["</main>", "</body>", "</html>"])
    return html.joined(separator: "\n") + "\n"
  }

  private static func render(_ table: ReportTable) -> String {
    var lines = ["<table>"]
    if !table.caption.isEmpty { lines.append("<caption>\(escape(table.caption))</caption>") }
    func align(_ k: Int) -> String {
      k < table.alignments.count && table.alignments[k] == .right ? " class=\"num\"" : ""
    }
    lines.append(
      "<thead><tr>"
        + table.header.enumerated().map { "<th\(align($0))>\(escape($1))</th>" }.joined()
        + "</tr></thead>")
    lines.append("<tbody>")
    for row in table.rows {
      lines.append(
        "<tr>" + row.enumerated().map { "<td\(align($0))>\(escape($1))</td>" }.joined() + "</tr>")
    }
    lines.append("</tbody>")
    lines.append("</table>")
    for note in table.notes { lines.append("<p class=\"note\">\(escape(note))</p>") }
    return lines.joined(separator: "\n")
  }

  /// A heading's id: lower-case letters and digits, other runs as one hyphen.
  static func anchor(_ text: String) -> String {
    var out = ""
    var hyphen = false
    for ch in text.lowercased() {
      if ch.isASCII && (ch.isLetter || ch.isNumber) {
        if hyphen && !out.isEmpty { out.append("-") }
        out.append(ch)
        hyphen = false
      } else {
        hyphen = true
      }
    }
    return out.isEmpty ? "section" : out
  }

  private static func escape(_ text: String) -> String { SVGWriter.escape(text) }

  private static let style = """
    body { margin: 0; background: #fff; color: #222; font: 15px/1.5 Helvetica, Arial, \
    sans-serif; }
    main { max-width: 920px; margin: 0 auto; padding: 24px; }
    h1 { font-size: 26px; margin: 0 0 12px; }
    h2 { font-size: 20px; margin: 32px 0 8px; border-bottom: 1px solid #ddd; }
    h3 { font-size: 16px; margin: 20px 0 6px; }
    table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
    caption { text-align: left; font-weight: bold; padding-bottom: 4px; }
    th, td { padding: 3px 10px; border-bottom: 1px solid #e5e5e5; text-align: left; }
    th { border-bottom: 2px solid #999; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    .note { font-size: 12px; color: #555; margin: 2px 0 12px; }
    pre { background: #f6f6f6; padding: 10px; overflow-x: auto; font-size: 12px; }
    figure { margin: 16px 0; page-break-inside: avoid; }
    figure svg { max-width: 100%; height: auto; }
    figcaption { font-size: 13px; color: #444; }
    @media print { main { max-width: none; padding: 0; } h2 { page-break-after: avoid; } }
    """
}
