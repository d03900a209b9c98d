/// Counts that describe a valid trial data set.
///
/// Design, completion, missingness, dropout and adverse events, as plain values; `Analysis`
/// renders them as text and JSON.
///
/// Labels are sorted (byte order) everywhere, so the summary is deterministic.
public struct TrialSummary: Sendable, Equatable {
  /// One scheduled visit.
  public struct Visit: Sendable, Equatable {
    /// Visit number.
    public let visit: Int
    /// Rows with this visit number.
    public let rows: Int
    /// Smallest `day` at this visit.
    public let dayMin: Double
    /// Largest `day` at this visit.
    public let dayMax: Double
  }

  /// Counts for one cell of visit × arm.
  public struct Missing: Sendable, Equatable {
    /// Subjects in the arm.
    public let subjects: Int
    /// Subjects in the arm without an observed pain at the visit (row absent or pain empty).
    public let missing: Int
    /// `100 · missing / subjects`.
    public var percent: Double { subjects == 0 ? 0 : 100 * Double(missing) / Double(subjects) }
  }

  /// Dropout in one arm.
  public struct Dropout: Sendable, Equatable {
    /// Subjects dropping out, by the first visit with `dropout` = 1 (visit → count).
    public let byVisit: [(visit: Int, count: Int)]
    /// Median of those visits (nil without dropout).
    public let medianVisit: Double?

    /// Number of subjects who dropped out.
    public var total: Int { byVisit.reduce(0) { $0 + $1.count } }

    /// Equality on the counts.
    public static func == (lhs: Dropout, rhs: Dropout) -> Bool {
      lhs.medianVisit == rhs.medianVisit && lhs.byVisit.map(\.visit) == rhs.byVisit.map(\.visit)
        && lhs.byVisit.map(\.count) == rhs.byVisit.map(\.count)
    }
  }

  /// Adverse events of one kind in one arm.
  public struct AdverseEvents: Sendable, Equatable {
    /// Visits with the flag recorded (not missing).
    public let recorded: Int
    /// Visits with the flag 1.
    public let events: Int
    /// Subjects with at least one event.
    public let subjects: Int
    /// `100 · events / recorded`.
    public var percent: Double { recorded == 0 ? 0 : 100 * Double(events) / Double(recorded) }
  }

  /// Data rows.
  public let rows: Int
  /// Arm labels, sorted.
  public let arms: [String]
  /// Site labels in natural order (`site2` before `site10`; see `NaturalOrder`).
  public let sites: [String]
  /// Subjects per arm × site: `subjectsByArmSite[arm][site]`, indices into `arms`, `sites`.
  public let subjectsByArmSite: [[Int]]
  /// Scheduled visits, by number.
  public let visits: [Visit]
  /// Subjects per arm with pain observed at the final visit, in `arms` order.
  public let completers: [Int]
  /// Missing pain, `missingPain[visit][arm]` (indices into `visits`, `arms`).
  public let missingPain: [[Missing]]
  /// Dropout per arm, in `arms` order.
  public let dropout: [Dropout]
  /// Adverse-event names, in schema order.
  public let adverseEventNames: [String]
  /// Adverse events, `adverseEvents[event][arm]`.
  public let adverseEvents: [[AdverseEvents]]

  /// Subjects per arm, in `arms` order.
  public var subjectsPerArm: [Int] { subjectsByArmSite.map { $0.reduce(0, +) } }

  /// Number of subjects.
  public var subjectCount: Int { subjectsPerArm.reduce(0, +) }

  /// Summarises valid trial records.
  /// - Parameter records: Rows of a table that passed `TrialCheck`.
  public init(_ records: TrialRecords) {
    rows = records.rowCount
    arms = Set(records.arm).sorted()
    sites = Set(records.site).sorted(by: NaturalOrder.precedes)
    let armIndex = Dictionary(uniqueKeysWithValues: arms.enumerated().map { ($1, $0) })
    let siteIndex = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1, $0) })
    let visitNumbers = Set(records.visit).sorted()
    let visitIndex = Dictionary(
      uniqueKeysWithValues: visitNumbers.enumerated().map { ($1, $0) })
    let finalVisit = records.finalVisit

    var byArmSite = [[Int]](
      repeating: [Int](repeating: 0, count: sites.count), count: arms.count)
    var completers = [Int](repeating: 0, count: arms.count)
    var observed = [[Int]](
      repeating: [Int](repeating: 0, count: arms.count), count: visitNumbers.count)
    var dropoutVisits = [[Int]](repeating: [], count: arms.count)
    let events = records.adverseEvents
    var ae = [[(recorded: Int, events: Int, subjects: Int)]](
      repeating: [(Int, Int, Int)](repeating: (0, 0, 0), count: arms.count),
      count: events.count)

    for range in records.subjectRanges {
      let rows = records.order[range]
      guard let first = rows.first else { continue }
      let arm = armIndex[records.arm[first]] ?? 0
      byArmSite[arm][siteIndex[records.site[first]] ?? 0] += 1
      for row in rows where !records.pain[row].isNaN {
        observed[visitIndex[records.visit[row]] ?? 0][arm] += 1
        if records.visit[row] == finalVisit { completers[arm] += 1 }
      }
      if let row = rows.first(where: { records.dropout[$0] == 1 }) {
        dropoutVisits[arm].append(records.visit[row])
      }
      for (e, event) in events.enumerated() {
        let flags = rows.map { event.values[$0] }.filter { !$0.isNaN }
        let count = flags.filter { $0 == 1 }.count
        ae[e][arm].recorded += flags.count
        ae[e][arm].events += count
        ae[e][arm].subjects += count > 0 ? 1 : 0
      }
    }

    subjectsByArmSite = byArmSite
    self.completers = completers
    let perArm = byArmSite.map { $0.reduce(0, +) }
    visits = visitNumbers.map { v in
      let days = records.visit.indices.filter { records.visit[$0] == v }.map { records.day[$0] }
      return Visit(
        visit: v, rows: days.count, dayMin: days.min() ?? 0, dayMax: days.max() ?? 0)
    }
    missingPain = observed.map { row in
      row.enumerated().map { Missing(subjects: perArm[$0], missing: perArm[$0] - $1) }
    }
    dropout = dropoutVisits.map { visits in
      let sorted = visits.sorted()
      let counts = Set(sorted).sorted().map { v in (v, sorted.filter { $0 == v }.count) }
      return Dropout(byVisit: counts, medianVisit: Self.median(sorted))
    }
    adverseEventNames = events.map(\.name)
    adverseEvents = ae.map { row in
      row.map { AdverseEvents(recorded: $0.recorded, events: $0.events, subjects: $0.subjects) }
    }
  }

  private static func median(_ sorted: [Int]) -> Double? {
    guard !sorted.isEmpty else { return nil }
    let mid = sorted.count / 2
    if sorted.count % 2 == 1 { return Double(sorted[mid]) }
    return Double(sorted[mid - 1] + sorted[mid]) / 2
  }
}
