/// The plotting area of a chart and its two scales: maps data to pixels and draws the grid,
/// the axes with their ticks and labels, and the titles.
public struct PlotFrame: Sendable {
  /// Left edge of the plotting area.
  public let left: Double
  /// Top edge of the plotting area.
  public let top: Double
  /// Width of the plotting area.
  public let width: Double
  /// Height of the plotting area.
  public let height: Double
  /// Horizontal scale.
  public let x: NiceScale
  /// Vertical scale.
  public let y: NiceScale

  /// A plotting area inside a box of `boxWidth` × `boxHeight` with the given margins.
  public init(
    boxWidth: Double, boxHeight: Double,
    margins: (
      top: Double, right: Double, bottom: Double,
      left: Double
    ), x: NiceScale, y: NiceScale
  ) {
    self.left = margins.left
    self.top = margins.top
    self.width = max(boxWidth - margins.left - margins.right, 10)
    self.height = max(boxHeight - margins.top - margins.bottom, 10)
    self.x = x
    self.y = y
  }

  /// Pixel x of a data value.
  public func px(_ value: Double) -> Double { x.position(of: value, from: left, to: left + width) }

  /// Pixel y of a data value (up is larger).
  public func py(_ value: Double) -> Double { y.position(of: value, from: top + height, to: top) }

  /// Grid lines at the ticks of both axes (or one), under the data.
  public func drawGrid(_ svg: inout SVGWriter, vertical: Bool = true, horizontal: Bool = true) {
    if horizontal {
      for t in y.ticks {
        svg.line(x1: left, y1: py(t), x2: left + width, y2: py(t), stroke: Palette.grid)
      }
    }
    if vertical {
      for t in x.ticks {
        svg.line(x1: px(t), y1: top, x2: px(t), y2: top + height, stroke: Palette.grid)
      }
    }
  }

  /// The x axis along the bottom: line, ticks, tick labels and the axis title.
  public func drawXAxis(_ svg: inout SVGWriter, title: String, labels: [String]? = nil) {
    let base = top + height
    svg.line(x1: left, y1: base, x2: left + width, y2: base, stroke: Palette.ink)
    for (t, label) in zip(x.ticks, labels ?? x.labels) {
      svg.line(x1: px(t), y1: base, x2: px(t), y2: base + 5, stroke: Palette.ink)
      svg.text(label, x: px(t), y: base + 18, anchor: "middle")
    }
    svg.text(title, x: left + width / 2, y: base + 38, anchor: "middle")
  }

  /// The y axis along the left: line, ticks, tick labels and the (rotated) axis title.
  public func drawYAxis(_ svg: inout SVGWriter, title: String) {
    svg.line(x1: left, y1: top, x2: left, y2: top + height, stroke: Palette.ink)
    for (t, label) in zip(y.ticks, y.labels) {
      svg.line(x1: left - 5, y1: py(t), x2: left, y2: py(t), stroke: Palette.ink)
      svg.text(label, x: left - 8, y: py(t) + 4, anchor: "end")
    }
    let middle = top + height / 2
    svg.text(title, x: left - 44, y: middle, anchor: "middle", rotate: -90)
  }
}
