import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemReport

/// The report stage's byte-level fast paths against the code they replaced, on seeded random
/// inputs (docs/architecture.md "JSON, fast and streamed"): trimming, indenting and shortening
/// lines, ISO times, JSON integers, the cited events' set, and filtering an event.
@Suite("report fast paths give what the code they replaced gave")
struct ReportFastPathTests {

  /// Pieces that meet every edge the fast paths decide on: spaces, tabs, no-break and
  /// ideographic spaces, a combining accent, CR, LF, letters, and a repeat count.
  static let pieces = [
    " ", "\t", "\u{00A0}", "\u{3000}", "\u{0301}", "\r", "\n", "\r\n", "a", "Z", "é", "☃", "x12", "(x12)",
    " (first of x3)", "password=hunter2", "\u{1B}[31m", "—", "0",
  ]

  static func text(_ rng: inout SplitMix64, maxPieces: Int = 12) -> String {
    (0..<Int.random(in: 0...maxPieces, using: &rng)).map { _ in pieces[Int.random(in: pieces.indices, using: &rng)] }
      .joined()
  }

  static func longText(_ rng: inout SplitMix64) -> String {
    let short = text(&rng)
    return Bool.random(using: &rng)
      ? short : short + String(repeating: "word ", count: Int.random(in: 20...50, using: &rng)) + text(&rng)
  }

  // The code before the fast paths, as it was.
  static func oldIndent(_ text: String, by prefix: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
  }

  static func oldTrimmed(_ text: String, max: Int = 160) -> String {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard t.count > max else { return t }
    let count = TextRenderer.countSuffix(t)
    return String(t.dropLast(count.count).prefix(Swift.max(1, max - 1 - count.count))) + "…" + count
  }

  @Test("trimming, indenting and shortening lines as Foundation and Character did")
  func lines() {
    var rng = SplitMix64(seed: 16)
    for _ in 0..<20_000 {
      let t = Self.longText(&rng)
      #expect(TextRenderer.trimmingWhitespace(t) == t.trimmingCharacters(in: .whitespaces), "\(t.debugDescription)")
      #expect(TextRenderer.indent(t, by: "  ") == Self.oldIndent(t, by: "  "), "\(t.debugDescription)")
      #expect(TextRenderer.trimmed(t) == Self.oldTrimmed(t), "\(t.debugDescription)")
      #expect(TextRenderer.trimmed(t, max: 8) == Self.oldTrimmed(t, max: 8), "\(t.debugDescription)")
    }
  }

  @Test("ISO times of whole seconds as Date.ISO8601FormatStyle writes them")
  func isoTimes() {
    var rng = SplitMix64(seed: 1970)
    var seconds: [Double] = [0, 1, 59, 86_399, 86_400, 951_782_400, 1_795_740_000, ReportTime.lastFastSecond]
    for _ in 0..<20_000 { seconds.append(Double(Int.random(in: 0...Int(ReportTime.lastFastSecond), using: &rng))) }
    // Leap days and the ends of years and centuries.
    for year in [1972, 2000, 2100, 2400, 9996] {
      let day = Double(CivilDate.daysFromCivil(year: year, month: 2, day: 29)) * 86_400
      seconds += [day - 1, day, day + 86_399, day + 86_400]
    }
    for s in seconds {
      let date = Date(timeIntervalSince1970: s)
      #expect(
        ReportTime.wholeSecond(s) == date.formatted(Date.ISO8601FormatStyle(timeZone: .gmt)), "\(s)")
    }
    // Outside the fast path: before 1970, past 9999, fractions — the formatter's answer.
    let outside: [Double] = [-1, -86_400 * 400, ReportTime.lastFastSecond + 1, 1.5, 1_795_740_000.25]
    for s in outside {
      let date = Date(timeIntervalSince1970: s)
      let whole = s.rounded(.down) == s
      #expect(
        ReportTime.iso(date)
          == date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: !whole, timeZone: .gmt)))
    }
  }

  @Test("JSON integers as String wrote them")
  func integers() {
    var rng = SplitMix64(seed: 64)
    var values: [Int64] = [0, 1, -1, 9, 10, -10, .max, .min, Int64(Int32.max), Int64(Int32.min)]
    for _ in 0..<5_000 {
      values.append(Int64.random(in: .min ... .max, using: &rng))
      values.append(Int64.random(in: -100_000...100_000, using: &rng))
    }
    for v in values {
      final class Bytes { var data: [UInt8] = [] }
      let bytes = Bytes()
      var w = JSONStreamWriter { chunk in
        bytes.data.append(contentsOf: chunk)
        return true
      }
      w.int(v)
      w.int(Int(truncatingIfNeeded: v))
      w.int(Int32(truncatingIfNeeded: v))
      w.flush()
      let expected = String(v) + String(Int(truncatingIfNeeded: v)) + String(Int32(truncatingIfNeeded: v))
      #expect(String(decoding: bytes.data, as: UTF8.self) == expected)
    }
  }

  /// What `body` writes with a `JSONStreamWriter`, as text.
  static func written(_ body: (inout JSONStreamWriter) -> Void) -> String {
    final class Bytes { var data: [UInt8] = [] }
    let bytes = Bytes()
    var w = JSONStreamWriter { chunk in
      bytes.data.append(contentsOf: chunk)
      return true
    }
    body(&w)
    w.flush()
    return String(decoding: bytes.data, as: UTF8.self)
  }

  /// `dates` written by `time(_:)` and as the strings `ReportTime.iso` formats, each an array
  /// element: what the two write, for a test to compare.
  static func timesAndFormatted(_ dates: [Date]) -> (time: String, formatted: String) {
    let time = written { w in
      for d in dates {
        w.element()
        w.time(d)
      }
    }
    let formatted = written { w in
      for d in dates {
        w.element()
        w.string(ReportTime.iso(d))
      }
    }
    return (time, formatted)
  }

  @Test("times and evidence refs written into the buffer as the strings they replaced")
  func timesAndRefs() {
    var rng = SplitMix64(seed: 1_605)
    var seconds: [Double] = [
      0, -1, 1.5, 86_399, ReportTime.lastFastSecond, ReportTime.lastFastSecond + 1, -86_400 * 400,
      1_795_740_000.25, .nan, .infinity, -.infinity,
    ]
    for _ in 0..<5_000 {
      seconds.append(Double(Int.random(in: -100_000...Int(ReportTime.lastFastSecond) + 100_000, using: &rng)))
      seconds.append(Double.random(in: -1e6...3e11, using: &rng))
    }
    for s in seconds {
      let date = Date(timeIntervalSince1970: s)
      #expect(Self.written { $0.time(date) } == Self.written { $0.string(ReportTime.iso(date)) }, "\(s)")
    }
    // Sources with bytes the writer escapes (quotes, backslashes, controls) and no escape at all.
    let pieces = ["f", "a/b.txt", "\"", "\\", "\n", "\u{1}", "\u{1F}", "é", "☃", ":", " ", "\t", "x!y"]
    for _ in 0..<5_000 {
      let source = (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      let line = [0, -1, 1, Int.random(in: -5...1_000_000, using: &rng), .max, .min].randomElement(using: &rng)!
      let ref = SourceRef(source: source, line: line)
      #expect(Self.written { $0.ref(ref) } == Self.written { $0.string(ref.description) }, "\(ref)")
    }
  }

  static func event(_ rng: inout SplitMix64, dirty: Bool) -> MergedEvent {
    func s() -> String {
      let options =
        dirty ? ["a", "b", OutputFilterTests.dirty, "token=Zx9kP2mQ7rT4vW8y1aB3", "\u{1B}x"] : ["a", "b", "c"]
      return options[Int.random(in: options.indices, using: &rng)]
    }
    let object = ObjectRef(
      kind: Bool.random(using: &rng) ? "Pod" : s(), namespace: s(), name: s(), uid: nil,
      fieldPath: Bool.random(using: &rng) ? nil : s(),
      pastedAt: Bool.random(using: &rng) ? nil : SourceRef(source: s(), line: Int.random(in: 1...3, using: &rng)))
    let evidence = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
      Evidence(ref: SourceRef(source: "f", line: Int.random(in: 1...4, using: &rng)), text: s())
    }
    return MergedEvent(
      involved: object, type: Bool.random(using: &rng) ? .warning : .other(s()), reason: s(), message: s(),
      template: Bool.random(using: &rng) ? nil : s(), exemplars: Bool.random(using: &rng) ? [] : [s(), s()],
      sourceComponent: s(), sourceHost: Bool.random(using: &rng) ? nil : s(),
      count: Int.random(in: 1...3, using: &rng), caveats: Bool.random(using: &rng) ? [] : [s()], evidence: evidence)
  }

  @Test("the cited events' set answers as a Set of merged events")
  func eventKeys() {
    var rng = SplitMix64(seed: 105)
    for _ in 0..<200 {
      let pool = (0..<12).map { _ in Self.event(&rng, dirty: false) }
      // Copies sharing storage, and equal events built apart.
      let members = (0..<6).map { _ in pool[Int.random(in: pool.indices, using: &rng)] }
      let rebuilt = members.map { e in
        var copy = e
        copy.count += 0
        copy.reason = String(e.reason.utf8.map { Character(UnicodeScalar($0)) })
        return copy
      }
      let reference = Set(members)
      let keys = Set(members.map(EventKey.init))
      for e in pool + rebuilt { #expect(keys.contains(EventKey(e)) == reference.contains(e)) }
      // `EventKey.==` (cheap fields first) answers as `MergedEvent.==`.
      for a in pool + rebuilt { for b in members { #expect((EventKey(a) == EventKey(b)) == (a == b)) } }
    }
  }

  @Test("the cited lines answer as the Set of the findings' evidence refs they replaced")
  func citedLines() {
    var rng = SplitMix64(seed: 1606)
    // Source names that are equal only canonically (é composed and decomposed), a prefix of
    // another, and empty: membership must be `==`'s, as in a `Set`.
    let sources = ["f", "f!a", "caf\u{E9}", "cafe\u{301}", "", "g"]
    func ref() -> SourceRef {
      SourceRef(
        source: sources[Int.random(in: sources.indices, using: &rng)],
        line: Int.random(in: -2...40, using: &rng) * (Bool.random(using: &rng) ? 1 : 1_000_003))
    }
    for _ in 0..<500 {
      let findings = (0..<Int.random(in: 0...8, using: &rng)).map { _ in
        Finding(
          ruleID: "r", category: .probeFailure, severity: .info, subject: Subject(pod: "p"), title: "t",
          explanation: "",
          remedy: "", evidence: (0..<Int.random(in: 0...6, using: &rng)).map { _ in Evidence(ref: ref(), text: "") })
      }
      let reference = Set(findings.flatMap { $0.evidence.map(\.ref) })
      let lines = CitedLines(findings)
      for r in Array(reference) + (0..<40).map({ _ in ref() }) { #expect(lines.contains(r) == reference.contains(r)) }
    }
  }

  /// `OutputFilter.event` as it was: copy, filter every field, compare.
  static func oldEvent(_ original: MergedEvent, _ filter: OutputFilter) -> MergedEvent {
    var e = original
    e.involved = filter.object(e.involved)
    if case .other(let text) = e.type { e.type = .other(filter(text)) }
    e.reason = filter(e.reason)
    e.message = filter(e.message)
    e.template = filter(e.template)
    e.exemplars = e.exemplars.map { filter($0) }
    e.sourceComponent = filter(e.sourceComponent)
    e.sourceHost = filter(e.sourceHost)
    e.caveats = e.caveats.map { filter($0) }
    e.evidence = filter.evidence(e.evidence)
    return e == original ? original : e
  }

  @Test("an event is filtered as before: the same text, tokens in the same order, the original when clean")
  func events() {
    var rng = SplitMix64(seed: 7)
    let events = (0..<2_000).map { _ in Self.event(&rng, dirty: Bool.random(using: &rng)) }
    let old = OutputFilter(masker: SecretMasker())
    let new = OutputFilter(masker: SecretMasker())
    for e in events {
      let a = Self.oldEvent(e, old)
      let b = new.event(e)
      #expect(a == b)
      #expect(a.sharesStorage(with: e) == b.sharesStorage(with: e))
    }
    #expect(old.masker?.distinctSecrets == new.masker?.distinctSecrets)
  }

  @Test("the state filtered in place is what filtering each pod's and the history's events where they lie gave")
  func historyFromPods() {
    var rng = SplitMix64(seed: 2026)
    for _ in 0..<100 {
      let pool = (0..<10).map { _ in Self.event(&rng, dirty: Bool.random(using: &rng)) }
      var state = CorrelatedState()
      for p in 0..<4 {
        let snapshot = PodSnapshot(name: "p\(p)", namespace: "ns")
        let events = (0..<Int.random(in: 0...4, using: &rng)).map { _ in pool[Int.random(in: pool.indices, using: &rng)]
        }
        state.pods.append(
          PodHistory(
            key: PodKey(namespace: "ns", name: "p\(p)"), snapshots: [snapshot], latest: snapshot, events: events))
      }
      // The history holds the pods' events (shared storage), equal copies and events of no pod.
      state.events = pool.map { e in
        guard Bool.random(using: &rng) else { return e }
        var copy = e
        copy.reason = String(e.reason.utf8.map { Character(UnicodeScalar($0)) })
        return copy
      }
      let filter = OutputFilter(masker: SecretMasker())
      var new = state
      filter.state(&new)
      // Each event filtered where it lies, pods first, as before.
      let reference = OutputFilter(masker: SecretMasker())
      var old = state
      for i in old.pods.indices {
        old.pods[i].latest = reference.snapshot(old.pods[i].latest)
        old.pods[i].events = old.pods[i].events.map { Self.oldEvent($0, reference) }
      }
      old.events = old.events.map { Self.oldEvent($0, reference) }
      #expect(new.pods == old.pods)
      #expect(new.events == old.events)
      #expect(filter.masker?.distinctSecrets == reference.masker?.distinctSecrets)
    }
  }
}
