import Reports
import Testing

@Suite("Document rendering to Markdown and HTML")
struct DocumentRenderingTests {
  let document = Document(
    title: "Efficacy report",
    blocks: [
      .heading(level: 2, text: "Data & design"),
      .paragraph("120 subjects <randomised>."),
      .list(["placebo: 24", "ketamine: 24"]),
      .table(
        ReportTable(
          caption: "Fixed effects", header: ["term", "estimate"],
          rows: [["(Intercept)", "2.21"], ["a|b", "-1.23"]], notes: ["SE: standard error"])),
      .figure(Figure(name: "forest", caption: "Contrasts", svg: "<svg></svg>\n")),
      .preformatted("REML criterion 3768\n"),
    ])

  @Test("Markdown: headings, pipe tables with escaped pipes and alignment, figure links")
  func markdown() {
    let (text, figures) = MarkdownRenderer.render(document)
    let expected = [
      "# Efficacy report", "", "## Data & design", "", "120 subjects <randomised>.", "",
      "- placebo: 24", "- ketamine: 24", "", "**Fixed effects**", "", "| term | estimate |",
      "|:---|---:|", "| (Intercept) | 2.21 |", "| a\\|b | -1.23 |", "", "SE: standard error", "",
      "![Contrasts](figures/forest.svg)", "", "*Contrasts*", "", "```", "REML criterion 3768",
      "```", "",
    ]
    #expect(text == expected.joined(separator: "\n"))
    #expect(figures.count == 1 && figures[0].path == "figures/forest.svg")
    #expect(figures[0].svg == "<svg></svg>\n")
  }

  @Test("HTML: one self-contained file, text escaped, SVG inline, numbered captions")
  func html() {
    let html = HTMLRenderer.render(document)
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(html.hasSuffix("</html>\n"))
    #expect(html.contains("<h2 id=\"data-design\">Data &amp; design</h2>"))
    #expect(html.contains("<p>120 subjects &lt;randomised&gt;.</p>"))
    #expect(html.contains("<td class=\"num\">-1.23</td>"))
    #expect(html.contains("<svg></svg>\n<figcaption>Figure 1. Contrasts</figcaption>"))
    #expect(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"))
  }
}
