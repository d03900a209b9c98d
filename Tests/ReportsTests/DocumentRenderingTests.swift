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
      "# Efficacy report", "", "## Data & design", "", "120 subjects \\<randomised>.", "",
      "- placebo: 24", "- ketamine: 24", "", "**Fixed effects**", "", "| term | estimate |",
      "|:---|---:|", "| (Intercept) | 2.21 |", "| a\\|b | -1.23 |", "", "SE: standard error", "",
      "![Contrasts](figures/forest.svg)", "", "*Contrasts*", "", "```", "REML criterion 3768",
      "```", "",
    ]
    #expect(text == expected.joined(separator: "\n"))
    #expect(figures.count == 1 && figures[0].path == "figures/forest.svg")
    #expect(figures[0].svg == "<svg></svg>\n")
  }

  @Test("Markdown: user text that reads as HTML (tags, comments, character references) is escaped")
  func markdownEscapesHTML() {
    let level = "<script>alert(1)</script>"
    let document = Document(
      title: "<b>Bold & \"quoted\"</b>",
      blocks: [
        .heading(level: 2, text: "Model: primary <i>&amp;</i> (primary)"),
        .paragraph("A&B <!-- x --> <?php ?> p < 0.0001 & q &#60; r"),
        .list([level]),
        .table(
          ReportTable(
            caption: "Means <em>", header: ["arm", "estimate"], rows: [[level, "1.0"]],
            notes: ["A&B &lt;"])),
        .figure(Figure(name: "means", caption: "Means of <u>x</u> [1]", svg: "<svg></svg>\n")),
        .preformatted("pain ~ `a<b` + (1 | s)\n"),
      ])
    let (text, _) = MarkdownRenderer.render(document)
    let expected = [
      "# \\<b>Bold & \"quoted\"\\</b>", "", "## Model: primary \\<i>\\&amp;\\</i> (primary)", "",
      "A&B \\<!-- x --> \\<?php ?> p < 0.0001 & q \\&#60; r", "",
      "- \\<script>alert(1)\\</script>", "", "**Means \\<em>**", "", "| arm | estimate |",
      "|:---|---:|", "| \\<script>alert(1)\\</script> | 1.0 |", "", "A&B \\&lt;", "",
      "![Means of \\<u>x\\</u> \\[1\\]](figures/means.svg)", "", "*Means of \\<u>x\\</u> [1]*", "",
      "```", "pain ~ `a<b` + (1 | s)", "```", "",
    ]
    #expect(text == expected.joined(separator: "\n"))
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
