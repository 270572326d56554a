import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// The byte-level answers a describe's Events table gives in place of `Character` comparisons
/// (docs/architecture.md "Speed of the describe path") are the answers of the code they replaced,
/// kept here as the reference: on every line of every sample and real paste, and on seeded rows
/// made of near misses and hostile pieces (a Kelvin sign, a dotted capital I, accents spelt
/// precomposed and combining, NUL, CR, tabs, cut cells).
@Suite struct DescribeRowBytesTests {
  static let context = HeaderlessGateTests.context

  /// Words of modern Events rows, near misses and hostile pieces.
  static let words = [
    "35s", "5m", "4m2s", "2m30s", "10m", "3h20m", "<unknown>", "<invalid>", "<nil>", "<nil", "(x2", "(x27", "(x",
    "(y2", "(x\u{301}2", "over", "ove", "over\u{301}", "52m)", "10m)", "5m)\u{301}", ")", "2021-07-01T13:53:17Z",
    "2021-07-01T13:53:17ZZ", "2018-03-01", "2018/03/01", "10:11:12.123", "+0000", "UTC", "m=+0.1", "Sat,", "Sa\u{301},",
    "Sat\u{301}", "21", "Feb", "2015", "02:59:53", "kubelet", "kubelet,", "kubelet,\u{301}", "node-1", "{kubelet",
    "{\u{301}kubelet", "node-1}", "default-scheduler", "spec.containers{web}:", "spec.containers{web}", "spec.",
    "spec\u{301}.x{a}:", "Normal", "Warning", "Warnin", "BackOff", "Pulled", "Started", "K\u{212A}", "\u{212A}ubelet",
    "İ", "e\u{301}", "\u{E9}", "\u{0}", "\r", "a\rb", ",", "{",
  ]

  /// Sample lines and seeded rows: real rows with cells replaced, dropped, doubled and swapped.
  static let lines: [String] = {
    var rng = SplitMix64(seed: 2412)
    let seeds = KubectlBytesTests.sampleLines + KubectlBytesTests.trickyLines
    let rows = seeds.filter { text in
      let t = KubectlLine(Line(number: 1, text: text)).tokens
      return t.count >= 3 && Cells.isEventType(t[0])
    }
    let made: [String] = (0..<20_000).map { _ in
      HeaderlessGateTests.seededRow(
        rows: rows, words: words, maxWords: 12, gaps: ["   ", " ", "\t", "  "], maxIndent: 4, &rng)
    }
    return seeds + made
  }()

  /// `modernRow` as it was: `AgeCell.read`, `Cells.source` and `Cells.fieldPathPrefix` asked as
  /// they are; the columns are the table's.
  static func referenceModernRow(_ table: DescribeEventsTable, _ line: KubectlLine) -> Event? {
    let context = Self.context
    let t = line.tokens
    guard t.count >= 3, Cells.isEventType(t[0]),
      let age = AgeCell.read(t, at: 2, style: .human, capture: context.captureTime)
    else { return nil }
    var i = 2 + age.consumed
    var source: (component: String, host: String?, consumed: Int)?
    if i < t.count {
      let offset = line.column(of: t[i])
      let fromIsEmpty = offset == table.messageColumn && table.fromColumn != table.messageColumn && !line.hasTab
      if !fromIsEmpty && (offset == table.fromColumn || Cells.looksLikeComponent(t[i])) {
        source = Cells.source(t, at: i)
        i += source?.consumed ?? 0
      }
    }
    var event = referenceMakeEvent(
      table, type: EventType(String(t[0])), reason: t[1], message: i < t.count ? line.rest(from: t[i]) : "",
      line: line)
    event.sourceComponent = source?.component
    event.sourceHost = source?.host
    if let count = age.count {
      event.count = count
      event.lastSeen = age.time
      event.firstSeen = age.first
    } else {
      event.firstSeen = age.time
      event.lastSeen = age.time
    }
    return event
  }

  /// `makeEvent` as it was: the field-path prefix asked of every message.
  static func referenceMakeEvent(
    _ table: DescribeEventsTable, type: EventType, reason: Substring, message: Substring, line: KubectlLine
  ) -> Event {
    var involved = table.owner
    var text = message
    if let prefixed = Cells.fieldPathPrefix(message) {
      involved.fieldPath = prefixed.fieldPath
      text = prefixed.message
    }
    return Event(
      involved: involved, type: type, reason: String(reason), message: String(text),
      evidence: [Self.context.evidence(line.line)])
  }

  /// A modern table without columns and one whose columns a header set, as `feed` sets them.
  static var tables: [DescribeEventsTable] {
    var aligned = DescribeEventsTable(owner: ObjectRef(kind: "Pod", namespace: "ns", name: "web-0"))
    var ages = AgeMemo()
    var rows = EventRowMemo()
    let header = KubectlLine(Line(number: 1, text: "  Type     Reason   Age   From     Message"))
    _ = aligned.feed(header, context: Self.context, ages: &ages, rows: &rows, emit: { _ in })
    return [DescribeEventsTable(owner: ObjectRef(name: "web-0")), aligned]
  }

  @Test func modernRowsReadAsTheReferenceReadsThem() {
    let tables = Self.tables
    #expect(tables[1].fromColumn != nil)
    var read = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      for table in tables {
        // `row` tries the 1.7 layout after the modern one, as it did.
        let new = table.row(line, context: Self.context)
        var ages = AgeMemo(enabled: false)
        let reference = Self.referenceModernRow(table, line) ?? table.v17Row(line, Self.context, &ages)
        #expect(new == reference, "\(text)")
        if new != nil { read += 1 }
      }
    }
    #expect(read > 5_000)
  }

  @Test func asciiAgeCellsAreAgeCells() {
    var cells = 0
    var counted = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      guard line.isASCII else { continue }
      let t = line.tokens
      for i in 0..<(t.count + 1) {
        let new = DescribeEventsTable.asciiAgeCell(
          t, at: i, capture: Self.context.captureTime, age: { AgeStyle.human.parse($0) })
        let reference = AgeCell.read(t, at: i, style: .human, capture: Self.context.captureTime)
        #expect(new?.consumed == reference?.consumed, "\(text) @\(i)")
        #expect(new?.time == reference?.time, "\(text) @\(i)")
        #expect(new?.count == reference?.count, "\(text) @\(i)")
        #expect(new?.first == reference?.first, "\(text) @\(i)")
        if new != nil { cells += 1 }
        if new?.count != nil { counted += 1 }
      }
    }
    #expect(cells > 5_000)
    #expect(counted > 200)
  }

  @Test func sourcesAreCellsSources() {
    var gated = 0
    for text in Self.lines {
      let t = KubectlLine(Line(number: 1, text: text)).tokens
      for i in 0..<(t.count + 1) {
        let new = DescribeEventsTable.source(t, at: i)
        let reference = Cells.source(t, at: i)
        #expect(new?.component == reference?.component, "\(text) @\(i)")
        #expect(new?.host == reference?.host, "\(text) @\(i)")
        #expect(new?.consumed == reference?.consumed, "\(text) @\(i)")
        if i < t.count, t[i].utf8.first == 0x7B || t[i].utf8.last == 0x2C { gated += 1 }
      }
    }
    #expect(gated > 200)
  }

  /// A message whose bytes do not start with `spec.` has no field-path prefix.
  @Test func fieldPathPrefixesStartWithTheirBytes() {
    var prefixed = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      for token in line.tokens {
        let message = line.rest(from: token)
        if Cells.fieldPathPrefix(message) != nil {
          prefixed += 1
          #expect(KubectlBytes.hasPrefix(message.utf8, "spec."), "\(message)")
        }
      }
    }
    #expect(prefixed > 100)
  }

  @Test func hasTabIsTheLinesOwn() {
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      #expect(DescribeEventsTable.hasTab(line) == line.hasTab, "\(text)")
    }
  }
}
