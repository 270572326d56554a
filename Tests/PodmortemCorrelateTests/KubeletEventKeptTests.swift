import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `KubeletEventLog` keeps an identity's first and last lines as where they differ from its first
/// line (`KeptLine`), no longer as the lines' strings (docs/architecture.md "Memory of the
/// kubelet-log run"). The reference is `keepFirst` and `keepLast` on an array of `Evidence`, as
/// they were, kept here: on seeded lines (klog-like lines of one template with their times
/// changed, lines of another shape, places repeated and out of order, the same place with another
/// text; pieces empty, huge, with a Kelvin sign, a dotted capital I, a combining accent, NUL, CR,
/// tab) the kept lines read back byte for byte as the reference's, after gathering and after a
/// merge of two gatherings, and every line reads back as itself against any first line.
@Suite struct KubeletEventKeptTests {
  // MARK: The reference: `keepFirst` and `keepLast` as they were.

  private static func lineOrder(_ a: Evidence, _ b: Evidence) -> Bool {
    a.ref != b.ref ? a.ref < b.ref : a.text < b.text
  }

  static func referenceKeepFirst(_ list: inout [Evidence], _ e: Evidence) {
    if list.count == EvidenceSample.keep, let last = list.last, !lineOrder(e, last) { return }
    guard !list.contains(e) else { return }
    list.insert(e, at: list.firstIndex { lineOrder(e, $0) } ?? list.endIndex)
    if list.count > EvidenceSample.keep { list.removeLast() }
  }

  static func referenceKeepLast(_ list: inout [Evidence], _ e: Evidence) {
    if list.count == EvidenceSample.keep, let first = list.first, !lineOrder(first, e) { return }
    if let end = list.last, lineOrder(end, e) {
      if list.count == EvidenceSample.keep { list.removeFirst() }
      list.append(e)
      return
    }
    guard !list.contains(e) else { return }
    list.insert(e, at: list.firstIndex { lineOrder(e, $0) } ?? list.endIndex)
    if list.count > EvidenceSample.keep { list.removeFirst() }
  }

  // MARK: Seeded lines.

  private static let pieces = [
    "", "\u{0}", "\r", "\t", " ", "\u{212A}", "K", "k", "\u{130}", "I", "e\u{301}", "\u{E9}", "\u{301}", "\"", "\\",
    "é", "日本", "🙂", "\u{FFFD}",
  ]

  private static let template =
    "I1127 00:00:00.012051    4187 event.go:389] \"Event occurred\" object=\"default/app-8412a3-00358\" "
    + "fieldPath=\"spec.containers{worker}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Warning\" reason=\"Unhealthy\" "
    + "message=\"Readiness probe failed: HTTP probe failed with statuscode: 503\""

  /// A line: mostly the template with its time's digits changed, sometimes with hostile pieces put
  /// in or bytes cut, sometimes another line altogether (empty, huge, hostile).
  static func text(_ rng: inout SplitMix64) -> String {
    switch rng.below(10) {
    case 0: return ""
    case 1:
      return (0..<rng.below(6)).map { _ in pieces[rng.below(pieces.count)] }.joined()
    case 2:
      return String(repeating: pieces[rng.below(pieces.count)] + "x", count: 2_000 + rng.below(3_000))
    case 3:
      return String(decoding: rng.hostileBytes(count: rng.below(80)), as: UTF8.self)
    default:
      var scalars = Array(template.unicodeScalars)
      for _ in 0..<(1 + rng.below(3)) {
        let at = 7 + rng.below(14)
        if scalars[at].properties.numericType != nil { scalars[at] = Unicode.Scalar(UInt8(48 + rng.below(10))) }
      }
      if rng.below(4) == 0 {
        let at = rng.below(scalars.count + 1)
        scalars.insert(contentsOf: pieces[rng.below(pieces.count)].unicodeScalars, at: at)
      }
      if rng.below(6) == 0 { scalars.removeLast(rng.below(min(scalars.count, 40))) }
      if rng.below(8) == 0 { scalars.removeFirst(rng.below(20)) }
      var s = ""
      s.unicodeScalars.append(contentsOf: scalars)
      return s
    }
  }

  /// Lines of one identity, mostly in order, some given twice, some moved back, some at a place
  /// already given with another text; in one of two sources.
  static func lines(_ rng: inout SplitMix64, count: Int, from: Int = 1) -> [Evidence] {
    var out: [Evidence] = []
    for i in 0..<count {
      let source = rng.below(8) == 0 ? "b.log" : "a.log"
      let line = rng.below(5) == 0 ? max(1, from + i - rng.below(40)) : from + i
      let e = Evidence(ref: SourceRef(source: source, line: line), text: text(&rng))
      out.append(e)
      if rng.below(10) == 0 { out.append(e) }
      if rng.below(12) == 0 { out.append(Evidence(ref: e.ref, text: text(&rng))) }
    }
    return out
  }

  private static func gathered(_ lines: [Evidence]) -> KubeletEventLog.Gathered {
    var g = KubeletEventLog.Gathered(
      event: Event(involved: ObjectRef(kind: "Pod", name: "p"), type: .warning, reason: "r", message: "m"), lines: [])
    for e in lines {
      if g.firstKept.isEmpty { g.shared = e.text }
      KubeletEventLog.keepFirst(&g, e)
      KubeletEventLog.keepLast(&g, e)
    }
    return g
  }

  private static func reference(_ lines: [Evidence]) -> (first: [Evidence], last: [Evidence]) {
    var first: [Evidence] = []
    var last: [Evidence] = []
    for e in lines {
      referenceKeepFirst(&first, e)
      referenceKeepLast(&last, e)
    }
    return (first, last)
  }

  // MARK: Tests.

  @Test(arguments: 0..<40)
  func keepsTheLinesTheArraysKept(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let given = Self.lines(&rng, count: seed == 0 ? 1 : rng.below(60))
    let g = Self.gathered(given)
    let expected = Self.reference(given)
    #expect(KubeletEventKeyTests.bytes(g.first) == KubeletEventKeyTests.bytes(expected.first))
    #expect(KubeletEventKeyTests.bytes(g.last) == KubeletEventKeyTests.bytes(expected.last))
    #expect(g.first.map(\.ref) == expected.first.map(\.ref))
  }

  @Test(arguments: 0..<40)
  func mergesAsTheArraysMerged(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    let a = Self.lines(&rng, count: 1 + rng.below(40))
    let b = Self.lines(&rng, count: 1 + rng.below(40), from: rng.below(2) == 0 ? 30 : 1)
    var mine = Self.gathered(a)
    let theirs = Self.gathered(b)
    for line in theirs.first { KubeletEventLog.keepFirst(&mine, line) }
    for line in theirs.last { KubeletEventLog.keepLast(&mine, line) }
    var expected = Self.reference(a)
    let other = Self.reference(b)
    for line in other.first { Self.referenceKeepFirst(&expected.first, line) }
    for line in other.last { Self.referenceKeepLast(&expected.last, line) }
    #expect(KubeletEventKeyTests.bytes(mine.first) == KubeletEventKeyTests.bytes(expected.first))
    #expect(KubeletEventKeyTests.bytes(mine.last) == KubeletEventKeyTests.bytes(expected.last))
  }

  @Test(arguments: 0..<20)
  func everyLineReadsBackAsItself(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    for _ in 0..<200 {
      let shared = Self.text(&rng)
      let t = rng.below(3) == 0 ? shared : Self.text(&rng)
      let kept = KubeletEventLog.KeptLine(Evidence(ref: SourceRef(source: "a", line: 1), text: t), shared: shared)
      #expect(Array(kept.text(shared).utf8) == Array(t.utf8))
      #expect(kept.head >= 0 && kept.head <= shared.utf8.count && kept.tailFrom >= 0)
      #expect(kept.tailFrom <= shared.utf8.count)
    }
  }

  /// `KeptLine.cuts` as it was: the start compared a byte at a time, the line itself walked whole.
  static func referenceCuts(_ t: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int) {
    let n = min(t.count, s.count)
    guard n > 0, let tb = t.baseAddress, let sb = s.baseAddress else { return (0, t.count, s.count) }
    var p = 0
    while p < n, tb[p] == sb[p] { p += 1 }
    let room = n - p
    var c = 0
    while room - c >= 8,
      UnsafeRawPointer(tb + (t.count - c - 8)).loadUnaligned(as: UInt64.self)
        == UnsafeRawPointer(sb + (s.count - c - 8)).loadUnaligned(as: UInt64.self)
    {
      c += 8
    }
    while c < room, tb[t.count - 1 - c] == sb[s.count - 1 - c] { c += 1 }
    while p > 0, p < t.count, tb[p] & 0xC0 == 0x80 { p -= 1 }
    var q = t.count - c
    while q < t.count, tb[q] & 0xC0 == 0x80 { q += 1 }
    return (p, q, s.count - (t.count - q))
  }

  /// The start compared eight bytes a step and the line itself answered at once give the byte
  /// loop's cuts: on seeded lines against a first line (the same string, an equal copy, one
  /// differing at every place of its first 40 bytes, prefixes of each other, hostile text), read
  /// from every offset of a buffer so the words' loads are unaligned.
  @Test(arguments: 0..<20)
  func cutsAsTheByteLoopCut(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    func same(_ t: [UInt8], _ s: [UInt8], shift: Int) -> Bool {
      // Both read from `shift` bytes into buffers of their own.
      let tb = [UInt8](repeating: 0x41, count: shift) + t
      let sb = [UInt8](repeating: 0x42, count: shift) + s
      return tb.withUnsafeBufferPointer { tp in
        sb.withUnsafeBufferPointer { sp in
          let tt = UnsafeBufferPointer(rebasing: tp[shift...])
          let ss = UnsafeBufferPointer(rebasing: sp[shift...])
          return KubeletEventLog.KeptLine.cuts(tt, ss) == Self.referenceCuts(tt, ss)
        }
      }
    }
    var checked = 0
    for _ in 0..<200 {
      let s = Array(Self.text(&rng).utf8)
      var cases: [[UInt8]] = [s, Array(Self.text(&rng).utf8), Array(s.prefix(rng.below(s.count + 1)))]
      cases.append(s + Array(Self.pieces[rng.below(Self.pieces.count)].utf8))
      if !s.isEmpty {
        var changed = s
        changed[rng.below(min(40, s.count))] ^= UInt8(1 + rng.below(255))
        cases.append(changed)
      }
      for t in cases {
        #expect(same(t, s, shift: rng.below(8)))
        #expect(same(s, t, shift: rng.below(8)))
        checked += 2
      }
      // The line itself: one buffer given as both.
      let both = s.withUnsafeBufferPointer { b in KubeletEventLog.KeptLine.cuts(b, b) == Self.referenceCuts(b, b) }
      #expect(both)
    }
    // Every place of one differing byte in lines of 0 to 40 bytes, two scalars wide or one.
    for count in 0...40 {
      let s = (0..<count).map { UInt8(0x61 + $0 % 26) }
      for at in 0..<count {
        var t = s
        t[at] = 0xC3
        #expect(same(t, s, shift: at % 8))
        #expect(same(Array(t.prefix(at + 1)) + [0xA9] + t.dropFirst(at + 1), s, shift: count % 8))
        checked += 2
      }
    }
    #expect(checked > 1_000)
  }

  /// The point of it: a klog line of the template with another time keeps its differing digits
  /// alone, in a string of at most 15 bytes (no allocation).
  @Test func aLineOfTheTemplateKeepsItsTimeAlone() {
    let later = Self.template.replacingOccurrences(of: "00:00:00.012051", with: "00:41:07.998214")
    let kept = KubeletEventLog.KeptLine(
      Evidence(ref: SourceRef(source: "a", line: 9), text: later), shared: Self.template)
    #expect(kept.middle.utf8.count <= 15)
    #expect(kept.middle == "41:07.998214")
    #expect(kept.text(Self.template) == later)
  }
}
