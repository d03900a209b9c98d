/// Points over two numeric axes with an optional reference line: normal QQ plots of
/// residuals (reference y = x) and residuals against fitted values (reference y = 0).
public struct ScatterChart: Sendable {
  /// Chart title (empty: none).
  public var title: String
  /// x-axis title.
  public var xTitle: String
  /// y-axis title.
  public var yTitle: String
  /// The points.
  public var points: [(x: Double, y: Double)]
  /// A reference line y = intercept + slope·x, or nil.
  public var reference: (intercept: Double, slope: Double)?

  /// A chart.
  public init(
    title: String, xTitle: String, yTitle: String, points: [(x: Double, y: Double)],
    reference: (intercept: Double, slope: Double)? = nil
  ) {
    self.title = title
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.points = points
    self.reference = reference
  }

  /// The chart as a standalone SVG document.
  public func svg(width: Double = 480, height: Double = 400) -> String {
    SVGWriter.document(width: width, height: height, title: title.isEmpty ? yTitle : title) {
      draw(into: &$0, width: width, height: height)
    }
  }

  /// Draws the chart into a `width` × `height` box at the writer's origin.
  public func draw(into svg: inout SVGWriter, width: Double, height: Double) {
    let frame = PlotFrame(
      boxWidth: width, boxHeight: height,
      margins: (top: title.isEmpty ? 12 : 30, right: 16, bottom: 50, left: 64),
      x: NiceScale(covering: points.map(\.x)), y: NiceScale(covering: points.map(\.y)))
    if !title.isEmpty { svg.text(title, x: frame.left, y: 18, weight: "bold") }
    frame.drawGrid(&svg)
    if let (a, b) = reference {
      // Clip the line to the frame by evaluating it at the x-range ends and clamping in y.
      let x0 = frame.x.lower
      let x1 = frame.x.upper
      let y0 = min(max(a + b * x0, frame.y.lower), frame.y.upper)
      let y1 = min(max(a + b * x1, frame.y.lower), frame.y.upper)
      let start = b == 0 ? x0 : (y0 - a) / b
      let end = b == 0 ? x1 : (y1 - a) / b
      svg.line(
        x1: frame.px(start), y1: frame.py(y0), x2: frame.px(end), y2: frame.py(y1),
        stroke: Palette.reference, dash: "4 3")
    }
    for p in points {
      svg.circle(x: frame.px(p.x), y: frame.py(p.y), radius: 2, fill: Palette.color(0))
    }
    frame.drawXAxis(&svg, title: xTitle)
    frame.drawYAxis(&svg, title: yTitle)
  }
}
