/// Estimates with confidence intervals, one labelled row each, against a vertical reference
/// line: forest plots of treatment contrasts and caterpillar plots of random effects.
public struct IntervalChart: Sendable {
  /// One row.
  public struct Row: Sendable {
    /// Label at the left.
    public var label: String
    /// The point estimate.
    public var estimate: Double
    /// Lower limit.
    public var lower: Double
    /// Upper limit.
    public var upper: Double

    /// A row.
    public init(label: String, estimate: Double, lower: Double, upper: Double) {
      self.label = label
      self.estimate = estimate
      self.lower = lower
      self.upper = upper
    }
  }

  /// Chart title (empty: none).
  public var title: String
  /// x-axis title.
  public var xTitle: String
  /// The rows, top to bottom.
  public var rows: [Row]
  /// The reference value (no effect), or nil.
  public var reference: Double?
  /// Whether to write "estimate (lower, upper)" at the right of each row.
  public var showValues: Bool
  /// Decimals of the values written at the right.
  public var decimals: Int

  /// A chart.
  public init(
    title: String, xTitle: String, rows: [Row], reference: Double? = 0, showValues: Bool = true,
    decimals: Int = 2
  ) {
    self.title = title
    self.xTitle = xTitle
    self.rows = rows
    self.reference = reference
    self.showValues = showValues
    self.decimals = decimals
  }

  /// The chart as a standalone SVG document; the height grows with the number of rows.
  public func svg(width: Double = 640) -> String {
    let height = naturalHeight
    return SVGWriter.document(width: width, height: height, title: title.isEmpty ? xTitle : title) {
      draw(into: &$0, width: width, height: height)
    }
  }

  /// The height that gives each row room: 18 px a row (at most 1,200 px in all).
  public var naturalHeight: Double {
    min(Double(rows.count) * 18 + (title.isEmpty ? 62 : 80), 1200)
  }

  /// Draws the chart into a `width` × `height` box at the writer's origin.
  public func draw(into svg: inout SVGWriter, width: Double, height: Double) {
    let labelWidth = min(Double(rows.map(\.label.count).max() ?? 4) * 7.2 + 20, width * 0.35)
    let valueWidth = showValues ? 150.0 : 16
    let values =
      rows.flatMap { [$0.lower, $0.estimate, $0.upper] } + (reference.map { [$0] } ?? [])
    let frame = PlotFrame(
      boxWidth: width, boxHeight: height,
      margins: (top: title.isEmpty ? 12 : 30, right: valueWidth, bottom: 50, left: labelWidth),
      x: NiceScale(covering: values), y: NiceScale(covering: [0, 1]))
    if !title.isEmpty { svg.text(title, x: 8, y: 18, weight: "bold") }
    frame.drawGrid(&svg, horizontal: false)
    if let reference {
      svg.line(
        x1: frame.px(reference), y1: frame.top, x2: frame.px(reference),
        y2: frame.top + frame.height, stroke: Palette.reference, dash: "4 3")
    }
    let rowHeight = frame.height / Double(max(rows.count, 1))
    let dense = rowHeight < 8
    for (k, row) in rows.enumerated() {
      let y = frame.top + (Double(k) + 0.5) * rowHeight
      svg.line(
        x1: frame.px(row.lower), y1: y, x2: frame.px(row.upper), y2: y,
        stroke: Palette.color(0), width: dense ? 0.8 : 1.5)
      svg.circle(x: frame.px(row.estimate), y: y, radius: dense ? 1.2 : 3.5, fill: Palette.color(0))
      if !dense {
        svg.text(row.label, x: frame.left - 8, y: y + 4, anchor: "end")
        if showValues {
          let text =
            SVGNumber.fixed(row.estimate, decimals: decimals) + " ("
            + SVGNumber.fixed(row.lower, decimals: decimals) + ", "
            + SVGNumber.fixed(row.upper, decimals: decimals) + ")"
          svg.text(text, x: frame.left + frame.width + 10, y: y + 4)
        }
      }
    }
    frame.drawXAxis(&svg, title: xTitle)
  }
}
