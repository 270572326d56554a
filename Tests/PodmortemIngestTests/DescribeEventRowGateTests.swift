import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// Two cheap checks run first: a 1.7-era describe event row (`v17Row`) asks for its COUNT and a
/// TYPE cell before its two ages, a 1.1-era one (`v11Row`) for its COUNT before its two times, and
/// `Cells.ready` for a `/` byte before it looks for the character. These tests hold each to the
/// code it replaced, kept here as the reference, on every line of every sample and on seeded rows
/// made to come close.
@Suite struct DescribeEventRowGateTests {
  static let context = HeaderlessGateTests.context

  /// The words of such rows, near misses and hostile pieces.
  static let words = [
    "5m", "10m", "1h", "2d", "<unknown>", "<invalid>", "7", "0", "-1", "x7", "kubelet", "{kubelet", "node-1}",
    "default-scheduler", "spec.containers{web}", "Normal", "Warning", "BackOff", "Unhealthy", "Thu,", "07", "Dec",
    "2017", "00:05:14", "+0000", "-0800", "Mon,", "implicitly", "required", "container", "POD", "1/1", "0/1", "/",
    "1/", "/1", "a/b", "1\u{301}/1", "K\u{212A}", "İ", "e\u{301}", "Back-off", "restarting", "failed",
  ]

  static let lines: [String] = {
    var rng = SplitMix64(seed: 1718)
    let seeds = KubectlBytesTests.sampleLines + KubectlBytesTests.trickyLines
    let rows = seeds.filter { text in
      let line = KubectlLine(Line(number: 1, text: text))
      var ages = AgeMemo(enabled: false)
      let table = DescribeEventsTable(owner: ObjectRef(name: "web-0"))
      return referenceV17(table, line, &ages) != nil || referenceV11(table, line) != nil
    }
    let made: [String] = (0..<20_000).map { _ in
      HeaderlessGateTests.seededRow(
        rows: rows, words: words, maxWords: 20, gaps: ["  ", " ", "\t"], maxIndent: 4, &rng)
    }
    return seeds + made
  }()

  /// `v17Row` as it was: the ages read first.
  static func referenceV17(_ table: DescribeEventsTable, _ line: KubectlLine, _ ages: inout AgeMemo) -> Event? {
    let context = Self.context
    let t = line.tokens
    guard t.count >= 6,
      let first = AgeCell.read(
        t, at: 0, style: .short, capture: context.captureTime, allowCount: false, age: { ages.parse($0, style: .short) }
      ),
      first.consumed == 1,
      let last = AgeCell.read(
        t, at: 1, style: .short, capture: context.captureTime, allowCount: false, age: { ages.parse($0, style: .short) }
      ),
      last.consumed == 1, let count = Int(t[2])
    else { return nil }
    var i = 3
    var source: (component: String, host: String?, consumed: Int)?
    if !Cells.isEventType(t[i]) && !Cells.looksLikeFieldPath(t[i]) {
      source = Cells.source(t, at: i)
      i += source?.consumed ?? 0
    }
    var fieldPath: String?
    if i < t.count, Cells.looksLikeFieldPath(t[i]) {
      fieldPath = String(t[i])
      i += 1
    }
    guard i + 1 < t.count, Cells.isEventType(t[i]) else { return nil }
    var event = table.makeEvent(
      type: EventType(String(t[i])), reason: t[i + 1], message: i + 2 < t.count ? line.rest(from: t[i + 2]) : "",
      context: context, line: line)
    if let fieldPath { event.involved.fieldPath = fieldPath }
    event.sourceComponent = source?.component
    event.sourceHost = source?.host
    event.count = count
    event.firstSeen = first.time
    event.lastSeen = last.time
    return event
  }

  /// `v11Row` as it was: the times read first.
  static func referenceV11(_ table: DescribeEventsTable, _ line: KubectlLine) -> Event? {
    let context = Self.context
    let t = line.tokens
    guard t.count >= 15 else { return nil }
    let firstText = t[0...5].joined(separator: " ")
    let lastText = t[6...11].joined(separator: " ")
    guard let first = Timestamps.range(firstText), let last = Timestamps.range(lastText), let count = Int(t[12]),
      let source = Cells.source(t, at: 13)
    else { return nil }
    var i = 13 + source.consumed
    var fieldPath: String?
    if i < t.count, Cells.looksLikeFieldPath(t[i]) {
      fieldPath = String(t[i])
      i += 1
    } else if i + 3 < t.count, t[i] == "implicitly", t[i + 1] == "required", t[i + 2] == "container" {
      fieldPath = t[i...(i + 3)].joined(separator: " ")
      i += 4
    }
    guard i < t.count else { return nil }
    var event = table.makeEvent(
      type: .other(""), reason: t[i], message: i + 1 < t.count ? line.rest(from: t[i + 1]) : "", context: context,
      line: line)
    if let fieldPath { event.involved.fieldPath = fieldPath }
    event.sourceComponent = source.component
    event.sourceHost = source.host
    event.count = count
    event.firstSeen = first
    event.lastSeen = last
    return event
  }

  /// `Cells.ready` as it was: the character looked for at once.
  static func referenceReady(_ token: Substring) -> ReadyCount? {
    guard let slash = token.firstIndex(of: "/"), let r = Int(token[..<slash]),
      let t = Int(token[token.index(after: slash)...])
    else { return nil }
    return ReadyCount(ready: r, total: t)
  }

  @Test func rowsOfEachEraReadAsTheReferenceReadsThem() {
    let table = DescribeEventsTable(owner: ObjectRef(name: "web-0"))
    var v17 = 0
    var v11 = 0
    for text in Self.lines {
      let line = KubectlLine(Line(number: 1, text: text))
      var ages = AgeMemo(enabled: false)
      var referenceAges = AgeMemo(enabled: false)
      let new17 = table.v17Row(line, Self.context, &ages)
      #expect(new17 == Self.referenceV17(table, line, &referenceAges), "\(text)")
      let new11 = table.v11Row(line, Self.context)
      #expect(new11 == Self.referenceV11(table, line), "\(text)")
      if new17 != nil { v17 += 1 }
      if new11 != nil { v11 += 1 }
    }
    // Rows of both eras are among the lines, so the checks are asked where they could matter.
    #expect(v17 > 100)
    #expect(v11 > 20)
  }

  @Test func readyAnswersAsTheReferenceOnEveryWord() {
    var ready = 0
    for text in Self.lines {
      for token in KubectlLine(Line(number: 1, text: text)).tokens {
        let new = Cells.ready(token)
        #expect(new == Self.referenceReady(token), "\(token)")
        if new != nil { ready += 1 }
      }
    }
    #expect(ready > 100)
  }
}
