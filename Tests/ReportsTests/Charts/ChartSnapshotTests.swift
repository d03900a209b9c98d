import Foundation
import Reports
import TestSupport
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// Charts drawn from fixed data, compared byte for byte with the SVG files in
/// `Tests/Fixtures/reports/` (set `TRAJ_RECORD_SNAPSHOTS=1` to rewrite them after a deliberate
/// change, which fails the run saying so; then look at them and run again), and checked for
/// well-formed XML and for marks inside the frame.
@Suite("Chart snapshots")
struct ChartSnapshotTests {
  static let charts: [(name: String, svg: String)] = [
    ("line-band", lineChart(style: .band).svg()),
    ("line-whiskers", lineChart(style: .whiskers).svg()),
    ("scatter-qq", scatter.svg()),
    ("forest", forest.svg()),
    ("small-multiples", spaghetti.svg()),
    ("heat-map", heatMap.svg()),
  ]

  /// An AR(1)-like correlation matrix over five visits, with one negative and one missing cell.
  static let heatMap: HeatMap = {
    let visits = ["1", "2", "3", "4", "5"]
    var values = visits.indices.map { i in
      visits.indices.map { j in pow(0.7, Double(abs(i - j))) }
    }
    values[0][4] = -0.3
    values[4][0] = -0.3
    values[1][3] = .nan
    return HeatMap(
      title: "Residual correlation & <visits>", rowLabels: visits, columnLabels: visits,
      values: values, xTitle: "visit", yTitle: "visit")
  }()

  static func lineChart(style: LineChart.IntervalStyle) -> LineChart {
    let weeks = Array(0...8).map(Double.init)
    let placebo = weeks.map { (x: $0, y: 6.5 - 0.1 * $0) }
    let ketamine = weeks.map { (x: $0, y: 6.4 - 0.35 * $0 + 0.2 * sin($0)) }
    return LineChart(
      title: "Mean pain by week", xTitle: "Week", yTitle: "Pain (0–10)",
      series: [
        .init(
          name: "placebo", points: placebo,
          intervals: placebo.map { (lower: $0.y - 0.4, upper: $0.y + 0.4) }, color: 0),
        .init(
          name: "ketamine & <memantine>", points: ketamine,
          intervals: ketamine.map { (lower: $0.y - 0.5, upper: $0.y + 0.5) }, color: 1),
      ], intervalStyle: style)
  }

  static let scatter: ScatterChart = {
    let n = 40
    let points = (0..<n).map { i -> (x: Double, y: Double) in
      let p = (Double(i) + 0.5) / Double(n)
      let x = 2 * (p - 0.5) * 2.2
      return (x: x, y: x * 1.05 + 0.1 * cos(Double(i)))
    }
    return ScatterChart(
      title: "Normal QQ plot of residuals", xTitle: "Theoretical quantile",
      yTitle: "Standardised residual", points: points, reference: (intercept: 0, slope: 1))
  }()

  static let forest = IntervalChart(
    title: "Treatment differences at week 8", xTitle: "Difference in pain vs placebo",
    rows: [
      .init(label: "ketamine", estimate: -1.23, lower: -1.70, upper: -0.76),
      .init(label: "ketamine_memantine", estimate: -1.43, lower: -1.91, upper: -0.95),
      .init(label: "ketamine_pregabalin", estimate: -1.77, lower: -2.24, upper: -1.31),
    ])

  static let spaghetti: SmallMultiples = {
    let shared = NiceScale(covering: [0, 10])
    let panels = (0..<3).map { arm in
      LineChart(
        title: "arm \(arm + 1)", xTitle: "Week", yTitle: "Pain",
        series: (0..<6).map { subject in
          .init(
            name: "",
            points: (0...6).map { w in
              (x: Double(w), y: 7 - Double(arm) * 0.5 * Double(w) / 6 + Double(subject % 3) * 0.4)
            }, color: arm, width: 1, opacity: 0.4, markers: false)
        }, yScale: shared)
    }
    return SmallMultiples(title: "Individual trajectories by arm", panels: panels, columns: 3)
  }()

  @Test("each chart matches its snapshot", arguments: charts.map(\.name))
  func snapshot(name: String) throws {
    let svg = try #require(Self.charts.first { $0.name == name }?.svg)
    let url = RepositoryPaths.fixtures.appendingPathComponent("reports/\(name).svg")
    try assertSnapshot(svg, at: url)
  }

  @Test(
    "every chart is well-formed XML with its marks inside the drawing",
    arguments: charts.map(\.name))
  func wellFormed(name: String) throws {
    let svg = try #require(Self.charts.first { $0.name == name }?.svg)
    let collector = Collector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    #expect(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
    let width = try #require(collector.width)
    let height = try #require(collector.height)
    #expect(!collector.circles.isEmpty || collector.polylines > 0 || collector.rects > 1)
    for (x, y) in collector.circles {
      #expect(x >= 0 && x <= width && y >= 0 && y <= height, "\(name): dot at \(x),\(y)")
    }
    #expect(collector.texts.contains { !$0.isEmpty })
  }

  @Test("labels from data with markup, quotes and control characters stay well-formed XML")
  func hostileLabels() throws {
    let labels = [
      "<script>alert(1)</script>", "A&B", "\"><img src=x onerror=alert(2)>", "S07\u{1B}[31m\u{C}",
    ]
    let chart = IntervalChart(
      title: "Labels \u{1}& <b>", xTitle: "it's",
      rows: labels.enumerated().map { k, label in
        .init(label: label, estimate: Double(k), lower: Double(k) - 1, upper: Double(k) + 1)
      })
    let svg = chart.svg()
    #expect(!svg.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    let collector = Collector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
    for label in labels.dropLast() { #expect(collector.texts.contains(label), "\(label)") }
    #expect(collector.texts.contains("S07\u{FFFD}[31m\u{FFFD}"))
    #expect(collector.texts.contains("it's"))
  }

  @Test("the same chart renders to the same bytes")
  func deterministic() {
    #expect(Self.lineChart(style: .band).svg() == Self.lineChart(style: .band).svg())
    #expect(Self.forest.svg() == Self.forest.svg())
    #expect(Self.heatMap.svg() == Self.heatMap.svg())
  }

  @Test("heat-map colours: RdBu ends and white middle, Blues ends, grey for missing")
  func heatMapColours() {
    #expect(HeatMap.color(-1, scale: .diverging(limit: 1)) == "#2166ac")
    #expect(HeatMap.color(0, scale: .diverging(limit: 1)) == "#f7f7f7")
    #expect(HeatMap.color(2, scale: .diverging(limit: 1)) == "#b2182b")
    #expect(HeatMap.color(0, scale: .sequential(lower: 0, upper: 4)) == "#eff3ff")
    #expect(HeatMap.color(4, scale: .sequential(lower: 0, upper: 4)) == "#08519c")
    #expect(HeatMap.color(.nan, scale: .diverging(limit: 1)) == "#cccccc")
  }
}

/// Gathers what the well-formedness test checks.
private final class Collector: NSObject, XMLParserDelegate {
  var width: Double?
  var height: Double?
  var circles: [(Double, Double)] = []
  var polylines = 0
  var rects = 0
  var texts: [String] = []
  private var inText = false

  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
    qualifiedName: String?, attributes: [String: String] = [:]
  ) {
    switch name {
    case "svg" where width == nil:
      width = attributes["width"].flatMap(Double.init)
      height = attributes["height"].flatMap(Double.init)
    case "circle":
      if let x = attributes["cx"].flatMap(Double.init),
        let y = attributes["cy"].flatMap(Double.init)
      {
        circles.append((x, y))
      }
    case "polyline": polylines += 1
    case "rect": rects += 1
    case "text":
      inText = true
      texts.append("")
    default: break
    }
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    if inText, !texts.isEmpty { texts[texts.count - 1] += string }
  }

  func parser(
    _ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?
  ) {
    if name == "text" { inText = false }
  }
}
