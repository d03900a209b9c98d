/// Lines over a numeric x axis, each with an optional confidence interval drawn as a shaded
/// band or as whiskers: mean trajectories with 95 % CIs, LS means by visit, individual
/// trajectories (spaghetti).
public struct LineChart: Sendable {
  /// How a series' intervals are drawn.
  public enum IntervalStyle: Sendable {
    /// A shaded band between the lower and upper limits.
    case band
    /// A vertical bar at each point.
    case whiskers
  }

  /// One line.
  public struct Series: Sendable {
    /// Name shown in the legend (empty: not listed).
    public var name: String
    /// Points in drawing order.
    public var points: [(x: Double, y: Double)]
    /// Interval limits, one pair per point, or empty.
    public var intervals: [(lower: Double, upper: Double)]
    /// Palette index of the colour.
    public var color: Int
    /// Line width in pixels.
    public var width: Double
    /// Line opacity (below 1 for many overlapping lines).
    public var opacity: Double
    /// Whether to draw a dot at each point.
    public var markers: Bool

    /// A series.
    public init(
      name: String, points: [(x: Double, y: Double)],
      intervals: [(lower: Double, upper: Double)] = [], color: Int, width: Double = 2,
      opacity: Double = 1, markers: Bool = true
    ) {
      self.name = name
      self.points = points
      self.intervals = intervals
      self.color = color
      self.width = width
      self.opacity = opacity
      self.markers = markers
    }
  }

  /// Chart title (empty: none).
  public var title: String
  /// x-axis title.
  public var xTitle: String
  /// y-axis title.
  public var yTitle: String
  /// The lines, drawn in order.
  public var series: [Series]
  /// How intervals are drawn.
  public var intervalStyle: IntervalStyle = .band
  /// A horizontal reference line, such as zero change, or nil.
  public var reference: Double?
  /// A fixed y scale (to share one across panels), or nil to fit the data.
  public var yScale: NiceScale?

  /// A chart.
  public init(
    title: String, xTitle: String, yTitle: String, series: [Series],
    intervalStyle: IntervalStyle = .band, reference: Double? = nil, yScale: NiceScale? = nil
  ) {
    self.title = title
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.series = series
    self.intervalStyle = intervalStyle
    self.reference = reference
    self.yScale = yScale
  }

  /// Every y value the chart shows (points, limits, reference), for a shared scale.
  public var yValues: [Double] {
    series.flatMap { s in s.points.map(\.y) + s.intervals.flatMap { [$0.lower, $0.upper] } }
      + (reference.map { [$0] } ?? [])
  }

  /// The chart as a standalone SVG document.
  /// - Parameters:
  ///   - width: Width in pixels.
  ///   - height: Height in pixels.
  /// - Returns: SVG text.
  public func svg(width: Double = 640, height: Double = 400) -> String {
    SVGWriter.document(width: width, height: height, title: title.isEmpty ? yTitle : title) {
      draw(into: &$0, width: width, height: height)
    }
  }

  /// Draws the chart into a `width` × `height` box at the writer's origin.
  public func draw(into svg: inout SVGWriter, width: Double, height: Double) {
    let named = series.filter { !$0.name.isEmpty }
    // Legend: a line sample and the name, about 6.8 px a character at 12 px Helvetica.
    let longest = Double(named.map(\.name.count).max() ?? 0)
    let legendWidth = named.isEmpty ? 0.0 : min(longest * 6.8 + 44, width * 0.4)
    let frame = PlotFrame(
      boxWidth: width, boxHeight: height,
      margins: (top: title.isEmpty ? 12 : 30, right: 16 + legendWidth, bottom: 50, left: 64),
      x: NiceScale(covering: series.flatMap { $0.points.map(\.x) }),
      y: yScale ?? NiceScale(covering: yValues))
    if !title.isEmpty {
      svg.text(title, x: frame.left, y: 18, weight: "bold")
    }
    frame.drawGrid(&svg)
    if let reference {
      svg.line(
        x1: frame.left, y1: frame.py(reference), x2: frame.left + frame.width,
        y2: frame.py(reference), stroke: Palette.reference, dash: "4 3")
    }
    for s in series {
      let color = Palette.color(s.color)
      if s.intervals.count == s.points.count && !s.intervals.isEmpty {
        switch intervalStyle {
        case .band:
          let upper = zip(s.points, s.intervals).map { (frame.px($0.x), frame.py($1.upper)) }
          let lower = zip(s.points, s.intervals).map { (frame.px($0.x), frame.py($1.lower)) }
          svg.polygon(
            (upper + lower.reversed()).map { (x: $0.0, y: $0.1) }, fill: color, opacity: 0.18)
        case .whiskers:
          for (p, i) in zip(s.points, s.intervals) {
            svg.line(
              x1: frame.px(p.x), y1: frame.py(i.lower), x2: frame.px(p.x), y2: frame.py(i.upper),
              stroke: color, width: 1.5)
          }
        }
      }
      svg.polyline(
        s.points.map { (x: frame.px($0.x), y: frame.py($0.y)) }, stroke: color, width: s.width,
        opacity: s.opacity)
      if s.markers {
        for p in s.points {
          svg.circle(x: frame.px(p.x), y: frame.py(p.y), radius: 3, fill: color)
        }
      }
    }
    frame.drawXAxis(&svg, title: xTitle)
    frame.drawYAxis(&svg, title: yTitle)
    for (k, s) in named.enumerated() {
      let y = frame.top + 10 + Double(k) * 18
      let x = frame.left + frame.width + 16
      svg.line(x1: x, y1: y - 4, x2: x + 18, y2: y - 4, stroke: Palette.color(s.color), width: 3)
      svg.text(s.name, x: x + 24, y: y)
    }
  }
}
