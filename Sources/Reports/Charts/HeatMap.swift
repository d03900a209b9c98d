/// A matrix drawn as coloured cells with row and column labels: the fitted within-subject
/// correlation (or covariance) matrix of an MMRM over the visits.
///
/// Colours come from ColorBrewer schemes that stay readable under the common forms of colour
/// blindness and in greyscale (Harrower & Brewer 2003): `RdBu` (blue for negative, white at 0,
/// red for positive) for a diverging scale, `Blues` for a sequential one. Each cell also shows
/// its value, so no reading depends on colour alone; non-finite values are drawn grey with "–".
public struct HeatMap: Sendable {
  /// How values map to colours.
  public enum Scale: Sendable, Equatable {
    /// Symmetric about 0 from `-limit` (blue) to `limit` (red); correlations use `limit` 1.
    case diverging(limit: Double)
    /// From `lower` (lightest) to `upper` (darkest).
    case sequential(lower: Double, upper: Double)
  }

  /// Chart title (empty: none).
  public var title: String
  /// Row labels, top to bottom.
  public var rowLabels: [String]
  /// Column labels, left to right.
  public var columnLabels: [String]
  /// Values, one array per row (`values[i][j]` in row `i`, column `j`).
  public var values: [[Double]]
  /// The colour scale.
  public var scale: Scale
  /// Title under the columns (empty: none).
  public var xTitle: String
  /// Title beside the rows (empty: none).
  public var yTitle: String
  /// Decimals of the value printed in each cell.
  public var decimals: Int

  /// A heat map.
  /// - Parameters:
  ///   - title: Chart title.
  ///   - rowLabels: Row labels, top to bottom.
  ///   - columnLabels: Column labels, left to right.
  ///   - values: One array per row, each as long as `columnLabels`.
  ///   - scale: The colour scale.
  ///   - xTitle: Title under the columns.
  ///   - yTitle: Title beside the rows.
  ///   - decimals: Decimals of the printed values.
  /// - Precondition: `values` has one row per row label and one value per column label.
  public init(
    title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
    scale: Scale = .diverging(limit: 1), xTitle: String = "", yTitle: String = "",
    decimals: Int = 2
  ) {
    precondition(
      values.count == rowLabels.count && values.allSatisfy { $0.count == columnLabels.count },
      "HeatMap: values must be \(rowLabels.count) rows of \(columnLabels.count)")
    self.title = title
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.scale = scale
    self.xTitle = xTitle
    self.yTitle = yTitle
    self.decimals = decimals
  }

  /// Diverging anchors (ColorBrewer RdBu, 5 classes), from negative to positive.
  static let divergingAnchors = ["#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b"]
  /// Sequential anchors (ColorBrewer Blues, 5 classes), from light to dark.
  static let sequentialAnchors = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
  /// Cells of unknown value.
  static let missing = "#cccccc"

  /// The colour of `value` under `scale`, interpolated linearly between the anchors in RGB.
  /// - Parameters:
  ///   - value: The value (clamped to the scale's range).
  ///   - scale: The scale.
  /// - Returns: A `#rrggbb` colour; grey for a non-finite value.
  public static func color(_ value: Double, scale: Scale) -> String {
    guard value.isFinite else { return missing }
    let position: Double
    let anchors: [String]
    switch scale {
    case .diverging(let limit):
      position = limit > 0 ? (value / limit + 1) / 2 : 0.5
      anchors = divergingAnchors
    case .sequential(let lower, let upper):
      position = upper > lower ? (value - lower) / (upper - lower) : 0
      anchors = sequentialAnchors
    }
    let t = min(max(position, 0), 1) * Double(anchors.count - 1)
    let k = min(Int(t), anchors.count - 2)
    let a = rgb(anchors[k])
    let b = rgb(anchors[k + 1])
    let f = t - Double(k)
    return hex((0..<3).map { a[$0] + f * (b[$0] - a[$0]) })
  }

  /// Whether text on `color` should be white (the cell is dark) rather than ink.
  static func isDark(_ color: String) -> Bool {
    let c = rgb(color)
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] < 140
  }

  private static func rgb(_ color: String) -> [Double] {
    let digits = Array(color.dropFirst())
    return stride(from: 0, to: 6, by: 2).map { i in
      Double(Int(String(digits[i...i + 1]), radix: 16) ?? 0)
    }
  }

  private static func hex(_ channels: [Double]) -> String {
    "#"
      + channels.map { channel in
        let v = Int(min(max(channel.rounded(), 0), 255))
        let text = String(v, radix: 16)
        return v < 16 ? "0" + text : text
      }.joined()
  }

  /// The chart as a standalone SVG document, cells `cell` pixels square.
  /// - Parameter cell: Side of one cell in pixels.
  /// - Returns: The SVG text.
  public func svg(cell: Double = 36) -> String {
    let left = 64.0 + (yTitle.isEmpty ? 0 : 20)
    let top = title.isEmpty ? 12.0 : 30
    let gridWidth = cell * Double(columnLabels.count)
    let gridHeight = cell * Double(rowLabels.count)
    let width = left + gridWidth + 90
    let height = top + gridHeight + (xTitle.isEmpty ? 30 : 50)
    return SVGWriter.document(
      width: width, height: height, title: title.isEmpty ? "Heat map" : title
    ) { svg in
      if !title.isEmpty { svg.text(title, x: left, y: 18, weight: "bold") }
      for (i, row) in values.enumerated() {
        let y = top + cell * Double(i)
        svg.text(rowLabels[i], x: left - 6, y: y + cell / 2 + 4, anchor: "end")
        for (j, value) in row.enumerated() {
          let x = left + cell * Double(j)
          let fill = Self.color(value, scale: scale)
          svg.rect(x: x, y: y, width: cell, height: cell, fill: fill, stroke: "#ffffff")
          svg.text(
            value.isFinite ? SVGNumber.fixed(value, decimals: decimals) : "–", x: x + cell / 2,
            y: y + cell / 2 + 4, anchor: "middle", size: 10,
            fill: Self.isDark(fill) ? "#ffffff" : Palette.ink)
        }
      }
      for (j, label) in columnLabels.enumerated() {
        svg.text(
          label, x: left + cell * (Double(j) + 0.5), y: top + gridHeight + 16, anchor: "middle")
      }
      if !xTitle.isEmpty {
        svg.text(xTitle, x: left + gridWidth / 2, y: top + gridHeight + 38, anchor: "middle")
      }
      if !yTitle.isEmpty {
        svg.text(yTitle, x: 16, y: top + gridHeight / 2, anchor: "middle", rotate: -90)
      }
      drawLegend(into: &svg, x: left + gridWidth + 20, top: top, height: gridHeight)
    }
  }

  /// A vertical colour bar with its two end values and the middle.
  private func drawLegend(into svg: inout SVGWriter, x: Double, top: Double, height: Double) {
    let (lower, upper): (Double, Double)
    switch scale {
    case .diverging(let limit): (lower, upper) = (-limit, limit)
    case .sequential(let l, let u): (lower, upper) = (l, u)
    }
    let steps = 20
    let step = height / Double(steps)
    for s in 0..<steps {
      let value = upper - (upper - lower) * (Double(s) + 0.5) / Double(steps)
      svg.rect(
        x: x, y: top + step * Double(s), width: 14, height: step,
        fill: Self.color(value, scale: scale))
    }
    for (value, y) in [
      (upper, top), ((lower + upper) / 2, top + height / 2), (lower, top + height),
    ] {
      svg.text(SVGNumber.fixed(value, decimals: decimals), x: x + 20, y: y + 4, size: 10)
    }
  }
}
