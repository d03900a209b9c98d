/// Line charts side by side in a grid, one panel per group (individual trajectories per arm),
/// in one SVG document.
public struct SmallMultiples: Sendable {
  /// Overall title.
  public var title: String
  /// The panels, left to right then top to bottom.
  public var panels: [LineChart]
  /// Panels per row.
  public var columns: Int

  /// Panels in a grid; give the panels a shared `yScale` to make them comparable.
  public init(title: String, panels: [LineChart], columns: Int = 3) {
    self.title = title
    self.panels = panels
    self.columns = max(columns, 1)
  }

  /// The grid as a standalone SVG document.
  /// - Parameters:
  ///   - panelWidth: Width of one panel.
  ///   - panelHeight: Height of one panel.
  /// - Returns: SVG text.
  public func svg(panelWidth: Double = 300, panelHeight: Double = 240) -> String {
    let rows = (panels.count + columns - 1) / columns
    let width = panelWidth * Double(min(columns, max(panels.count, 1)))
    let height = 28 + panelHeight * Double(max(rows, 1))
    return SVGWriter.document(width: width, height: height, title: title) { svg in
      svg.text(title, x: 8, y: 18, weight: "bold")
      for (k, panel) in panels.enumerated() {
        let dx = Double(k % columns) * panelWidth
        let dy = 28 + Double(k / columns) * panelHeight
        svg.group(dx: dx, dy: dy) { panel.draw(into: &$0, width: panelWidth, height: panelHeight) }
      }
    }
  }
}
