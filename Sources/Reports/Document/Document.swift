/// A report as a sequence of blocks — headings, paragraphs, tables, figures, lists and
/// preformatted text — rendered to Markdown (`MarkdownRenderer`) or to one self-contained
/// HTML file (`HTMLRenderer`) with the same content.
public struct Document: Sendable {
  /// One block of content.
  public enum Block: Sendable {
    /// A section heading; level 1 is the document title's level, sections use 2 and 3.
    case heading(level: Int, text: String)
    /// A paragraph of plain text.
    case paragraph(String)
    /// A table.
    case table(ReportTable)
    /// A figure (an SVG chart).
    case figure(Figure)
    /// A bulleted list.
    case list([String])
    /// Text shown as is, in a monospaced font (model summaries).
    case preformatted(String)
  }

  /// The title.
  public var title: String
  /// The content, in order.
  public var blocks: [Block]

  /// A document.
  public init(title: String, blocks: [Block] = []) {
    self.title = title
    self.blocks = blocks
  }

  /// The figures, in order of appearance.
  public var figures: [Figure] {
    blocks.compactMap {
      if case .figure(let figure) = $0 { return figure }
      return nil
    }
  }
}

/// A table of text cells with a caption and column alignments.
public struct ReportTable: Sendable {
  /// Column alignment.
  public enum Alignment: Sendable {
    /// Left (labels).
    case left
    /// Right (numbers).
    case right
  }

  /// Caption above the table.
  public var caption: String
  /// Column headers.
  public var header: [String]
  /// One alignment per column.
  public var alignments: [Alignment]
  /// Rows of cells, each as wide as `header`.
  public var rows: [[String]]
  /// Notes below the table.
  public var notes: [String]

  /// A table; alignments default to left for the first column and right for the others.
  public init(
    caption: String, header: [String], rows: [[String]], alignments: [Alignment]? = nil,
    notes: [String] = []
  ) {
    precondition(rows.allSatisfy { $0.count == header.count }, "every row needs one cell a column")
    self.caption = caption
    self.header = header
    self.rows = rows
    self.alignments =
      alignments ?? header.indices.map { $0 == 0 ? Alignment.left : Alignment.right }
    self.notes = notes
  }
}

/// An SVG figure with a caption and a file name.
public struct Figure: Sendable {
  /// File name without extension (`mean-trajectories`), unique within a document.
  public var name: String
  /// Caption below the figure.
  public var caption: String
  /// The SVG document.
  public var svg: String

  /// A figure.
  public init(name: String, caption: String, svg: String) {
    self.name = name
    self.caption = caption
    self.svg = svg
  }
}
