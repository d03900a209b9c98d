/// Builds SVG markup element by element, with attributes in a fixed order and numbers written
/// by `SVGNumber`, so the same drawing is always the same bytes.
public struct SVGWriter: Sendable {
  /// The markup written so far.
  public private(set) var markup = ""
  private var depth = 0

  /// An empty writer.
  public init() {}

  /// A complete SVG document of the given size around what `draw` writes.
  /// - Parameters:
  ///   - width: Width in pixels.
  ///   - height: Height in pixels.
  ///   - title: Accessible title (the `<title>` element).
  ///   - draw: Writes the content.
  /// - Returns: The SVG text, ending in a newline.
  public static func document(
    width: Double, height: Double, title: String, draw: (inout SVGWriter) -> Void
  ) -> String {
    var svg = SVGWriter()
    let w = SVGNumber.coordinate(width)
    let h = SVGNumber.coordinate(height)
    svg.line(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" "
        + "viewBox=\"0 0 \(w) \(h)\" font-family=\"Helvetica, Arial, sans-serif\" "
        + "font-size=\"12\" role=\"img\">")
    svg.depth += 1
    svg.line("<title>\(escape(title))</title>")
    svg.line("<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>")
    draw(&svg)
    svg.depth -= 1
    svg.line("</svg>")
    return svg.markup
  }

  /// A straight line.
  public mutating func line(
    x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
    dash: String? = nil
  ) {
    var text =
      "<line x1=\"\(c(x1))\" y1=\"\(c(y1))\" x2=\"\(c(x2))\" y2=\"\(c(y2))\" "
      + "stroke=\"\(stroke)\" stroke-width=\"\(c(width))\""
    if let dash { text += " stroke-dasharray=\"\(dash)\"" }
    line(text + "/>")
  }

  /// A rectangle.
  public mutating func rect(
    x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String? = nil
  ) {
    var text =
      "<rect x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(width))\" height=\"\(c(height))\" "
      + "fill=\"\(fill)\""
    if let stroke { text += " stroke=\"\(stroke)\"" }
    line(text + "/>")
  }

  /// An open line through `points`.
  public mutating func polyline(
    _ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5,
    opacity: Double = 1
  ) {
    guard points.count > 1 else { return }
    var text = "<polyline points=\"\(pointList(points))\" fill=\"none\" stroke=\"\(stroke)\" "
    text += "stroke-width=\"\(c(width))\""
    if opacity < 1 { text += " stroke-opacity=\"\(c(opacity))\"" }
    line(text + "/>")
  }

  /// A filled polygon (a confidence band).
  public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, opacity: Double) {
    guard points.count > 2 else { return }
    line(
      "<polygon points=\"\(pointList(points))\" fill=\"\(fill)\" "
        + "fill-opacity=\"\(c(opacity))\" stroke=\"none\"/>")
  }

  /// A dot.
  public mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
    line("<circle cx=\"\(c(x))\" cy=\"\(c(y))\" r=\"\(c(radius))\" fill=\"\(fill)\"/>")
  }

  /// Text; `anchor` is `start`, `middle` or `end`; `rotate` turns it about its anchor point.
  public mutating func text(
    _ content: String, x: Double, y: Double, anchor: String = "start", size: Double? = nil,
    weight: String? = nil, rotate: Double? = nil, fill: String = Palette.ink
  ) {
    var text = "<text x=\"\(c(x))\" y=\"\(c(y))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
    if let size { text += " font-size=\"\(c(size))\"" }
    if let weight { text += " font-weight=\"\(weight)\"" }
    if let rotate { text += " transform=\"rotate(\(c(rotate)) \(c(x)) \(c(y)))\"" }
    line(text + ">\(Self.escape(content))</text>")
  }

  /// A group shifted by (`dx`, `dy`) around what `draw` writes.
  public mutating func group(dx: Double, dy: Double, draw: (inout SVGWriter) -> Void) {
    line("<g transform=\"translate(\(c(dx)) \(c(dy)))\">")
    depth += 1
    draw(&self)
    depth -= 1
    line("</g>")
  }

  /// Text with `&`, `<`, `>` and quotes escaped for XML.
  ///
  /// Characters XML 1.0 does not allow even escaped (control characters other than tab, line
  /// feed and carriage return; U+FFFE, U+FFFF) become U+FFFD, so text from a data file cannot
  /// make an SVG file ill-formed.
  public static func escape(_ text: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out.append(contentsOf: "&amp;".unicodeScalars)
      case "<": out.append(contentsOf: "&lt;".unicodeScalars)
      case ">": out.append(contentsOf: "&gt;".unicodeScalars)
      case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
      case "'": out.append(contentsOf: "&#39;".unicodeScalars)
      case "\t", "\n", "\r": out.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
        out.append("\u{FFFD}")
      default: out.append(scalar)
      }
    }
    return String(out)
  }

  private mutating func line(_ text: String) {
    markup += String(repeating: "  ", count: depth) + text + "\n"
  }

  private func c(_ value: Double) -> String { SVGNumber.coordinate(value) }

  private func pointList(_ points: [(x: Double, y: Double)]) -> String {
    points.map { "\(c($0.x)),\(c($0.y))" }.joined(separator: " ")
  }
}
