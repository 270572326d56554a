import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// A line read through `KubectlLineMemo` (once per distinct text) reads as a fresh `KubectlLine`
/// of it, and answers the boundary and table-header questions as they are asked of a fresh one
/// (docs/architecture.md "Speed of the describe path").
@Suite struct KubectlLineMemoTests {
  /// Lines of the pieces describe, tables and commands print, seeded (as `KubectlBytesTests`).
  static func randomLines(count: Int, seed: UInt64) -> [String] {
    var rng = SplitMix64(seed: seed)
    let pieces = [
      "Name:", "Namespace:", "Type", "Reason", "Age", "From", "Message", "FirstSeen", "LastSeen", "Count", "NAME",
      "READY", "STATUS", "LAST", "SEEN", "Normal", "Warning", "BackOff", "web-0", "worker:", "Image:", "State:",
      "Waiting", "Restart Count:", "kubectl", "k", "get", "describe", "pods", "$", "#", ">", "--", "-", "---", "<id",
      "here>", "<pod>", "=", "K=1", "5s", "(x2", "over", "25s)", "kubelet", "Type:", "TYPE", "é", "\u{301}", "\u{A0}",
      "│", "**", "`", "|", "\u{1B}[1m", "No", "events.", "```", "True", "False",
    ]
    let gaps = [" ", "  ", "   ", "\t", ""]
    let ends = ["", " ", "  ", "\t", "\r"]
    return (0..<count).map { _ in
      var text = String(repeating: " ", count: rng.below(3) == 0 ? rng.below(9) : 0)
      for k in 0..<(1 + rng.below(12)) {
        if k > 0 { text += gaps[rng.below(gaps.count)] }
        text += pieces[rng.below(pieces.count)]
      }
      return text + ends[rng.below(ends.count)]
    }
  }

  /// Every answer of `memo` for `line` is a fresh reading's; an issue names the line when not.
  static func readsAsFresh(_ memo: inout KubectlLineMemo, _ line: Line, ask: Int) -> Bool {
    let (held, slot) = memo.read(line)
    let fresh = KubectlLine(line)
    var same =
      held.line == line && held.text == fresh.text && held.body == fresh.body && held.indent == fresh.indent
      && held.isASCII == fresh.isASCII && held.field?.key == fresh.field?.key
      && held.field?.value == fresh.field?.value && held.tokens.map(String.init) == fresh.tokens.map(String.init)
      && held.tokens.map(held.column(of:)) == fresh.tokens.map(fresh.column(of:))
      && held.tokens.map { String(held.rest(from: $0)) } == fresh.tokens.map { String(fresh.rest(from: $0)) }
      && held.isUnderline == fresh.isUnderline && held.hasTab == fresh.hasTab && held.isBlank == fresh.isBlank
    // The questions asked in either order, twice or not at all: answered or remembered.
    for question in [ask & 3, (ask >> 2) & 3] {
      switch question {
      case 0: same = same && memo.isBoundary(held, slot: slot) == KubectlTextParser.isBoundary(fresh)
      case 1: same = same && memo.header(held, slot: slot) == TableHeader(fresh)
      default: break
      }
    }
    if !same { Issue.record("line read differently through the memo: \(line.text.debugDescription)") }
    return same
  }

  @Test(arguments: [4, 64, 4096])
  func heldLinesReadAsFresh(slots: Int) {
    var rng = SplitMix64(seed: SplitMix64.seed("heldLinesReadAsFresh") &+ UInt64(slots))
    let distinct =
      Array(KubectlBytesTests.lines.prefix(4_000)) + KubectlBytesTests.trickyLines
      + Self.randomLines(count: 2_000, seed: UInt64(slots))
    // Each line several times in a random order: misses, hits, and lines evicting each other from
    // a table smaller than the lines it is given.
    var texts = (distinct + distinct + distinct.prefix(1_000)).shuffled(using: &rng)
    texts += texts.prefix(500)
    var memo = KubectlLineMemo(slots: slots)
    var checked = 0
    for (i, text) in texts.enumerated() {
      let line = Line(number: i + 1, text: text, truncated: rng.below(50) == 0)
      if Self.readsAsFresh(&memo, line, ask: rng.below(16)) { checked += 1 }
    }
    #expect(checked == texts.count)
  }

  /// Past the point where the bits of lines seen once are emptied (more distinct lines than a
  /// quarter of `seenBits`), lines still read as fresh ones and repeated lines are still held.
  @Test func linesPastTheSeenBitsReadAsFresh() {
    var rng = SplitMix64(seed: SplitMix64.seed("linesPastTheSeenBitsReadAsFresh"))
    var memo = KubectlLineMemo(slots: 256)
    let distinct = (0..<(KubectlLineMemo.seenBits / 4 + 5_000)).map { "  Line \($0):  value \($0 % 97)" }
    for (i, text) in distinct.enumerated() { _ = memo.read(Line(number: i + 1, text: text)) }
    let again = (0..<3_000).map { _ in distinct[rng.below(distinct.count)] } + Self.randomLines(count: 1_000, seed: 7)
    var held = 0
    var checked = 0
    for (i, text) in (again + again).enumerated() {
      let line = Line(number: i + 1, text: text)
      if Self.readsAsFresh(&memo, line, ask: rng.below(16)) { checked += 1 }
      if i >= again.count, memo.read(line).slot >= 0 { held += 1 }
    }
    #expect(checked == 2 * again.count)
    #expect(held > again.count / 2)
  }

  /// A held line's copy of its text is the same bytes as the line's own: evidence quoting it
  /// reads the same.
  @Test func heldTextIsTheLinesText() {
    var memo = KubectlLineMemo(slots: 16)
    let text = "    Ready:          False"
    // Held from its second sighting: the first is read and not held.
    #expect(memo.read(Line(number: 1, text: text)).slot == -1)
    _ = memo.read(Line(number: 1, text: text))
    let (held, slot) = memo.read(Line(number: 2, text: String(text.utf8)))
    #expect(slot >= 0)
    #expect(held.line.number == 2 && held.line.text == text)
    #expect(held.field?.key == "Ready" && held.field?.value == "False")
    // Short lines are held from their second sighting too; too long ones are read afresh.
    #expect(memo.read(Line(number: 3, text: "Events:")).slot == -1)
    #expect(memo.read(Line(number: 3, text: "Events:")).slot >= 0)
    #expect(memo.read(Line(number: 4, text: String(repeating: "x", count: KubectlLineMemo.longest + 1))).slot == -1)
  }

  /// Lines that differ in their last bytes only (a restart count, an exit code, a CPU request),
  /// read pod after pod: once held, each stays held under its number (no line evicts another of
  /// its set), and every answer is still a fresh reading's.
  @Test func linesDifferingAtTheirEndStayHeld() {
    var texts: [String] = []
    for n in 0..<10 {
      texts += ["    Restart Count:  \(n)", "      Exit Code:    \(n)", "      cpu:        \(n)00m", "  Ready  \(n)"]
    }
    var memo = KubectlLineMemo()
    var numbers: [String: Int] = [:]
    var checked = 0
    for round in 0..<20 {
      for (i, text) in texts.enumerated() {
        let line = Line(number: round * texts.count + i + 1, text: text)
        if Self.readsAsFresh(&memo, line, ask: (round + i) % 16) { checked += 1 }
        guard round >= 2 else { continue }
        let (held, slot) = memo.read(line)
        #expect(slot >= 0, "\(text)")
        if let number = numbers[text] {
          #expect(held.textID == number, "\(text) held anew in round \(round)")
        } else {
          numbers[text] = held.textID
        }
      }
    }
    #expect(checked == 20 * texts.count)
    #expect(Set(numbers.values).count == texts.count)
  }

  /// Lines of fewer than eight bytes (read afresh every time before they were held: a describe's
  /// blank lines, `IPs:`, `Events:`), the empty line among them, seeded from hostile bytes and
  /// pieces (NUL, CR, a tab, a Kelvin sign, a dotted capital I, a combining accent, `é`, ESC, `|`,
  /// backticks, `#`, `>`), repeated in random order through tables small enough that they evict
  /// each other: every answer is a fresh reading's, and a line seen before is held.
  @Test(arguments: [4, 4096])
  func shortLinesReadAsFresh(slots: Int) {
    var rng = SplitMix64(seed: SplitMix64.seed("shortLinesReadAsFresh") &+ UInt64(slots))
    let pieces = [
      "", " ", "\t", "\u{0}", "\r", "\u{212A}", "İ", "e\u{301}", "\u{301}", "é", "\u{1B}", "|", "`", "#", ">", "-", ":",
      "a", "IPs:", "Events:", "k", "$", "**", "Type", "--",
    ]
    var distinct: Set<String> = [""]
    while distinct.count < 600 {
      var text = ""
      for _ in 0..<(1 + rng.below(4)) { text += pieces[rng.below(pieces.count)] }
      if text.utf8.count < 8 { distinct.insert(text) }
    }
    let texts = (Array(distinct) + Array(distinct) + Array(distinct)).shuffled(using: &rng)
    var memo = KubectlLineMemo(slots: slots)
    var checked = 0
    var held = 0
    for (i, text) in texts.enumerated() {
      let line = Line(number: i + 1, text: text, truncated: rng.below(50) == 0)
      if Self.readsAsFresh(&memo, line, ask: rng.below(16)) { checked += 1 }
      if memo.read(line).slot >= 0 { held += 1 }
    }
    #expect(checked == texts.count)
    #expect(held > texts.count / (slots > 4 ? 2 : 100), "\(held)")
    // The hash of a short text is its bytes' alone: the same from any copy of them.
    for text in distinct {
      let a = text.utf8.withContiguousStorageIfAvailable { KubectlLineMemo.hash($0) }
      let b = Array(text.utf8).withUnsafeBufferPointer { KubectlLineMemo.hash($0) }
      #expect(a == b, "\(text.debugDescription)")
    }
  }

  static let patterns = PatternCatalog.shipped(diagnostics: { _ in })

  /// Records and verdicts of `lines` read by a parser that holds lines (`KubectlLineMemo`) and by
  /// one that reads every line afresh: the same as the parser emits them without a catalog, and as
  /// the `Ingestor` hands them on (`classify`) with the shipped one (the memo recognises a held
  /// row's message itself).
  static func readsAsWithoutMemo(_ lines: [String], name: String) -> Bool {
    var same = true
    for catalog in [PatternCatalog.empty, patterns] {
      var context = ParseContext(source: SourceInfo(name: "paste.txt"), captureTime: capture, diagnostics: { _ in })
      context.patterns = catalog
      var results: [[Record]] = [[], []]
      var verdicts: [[SourceAccount.Verdict]] = [[], []]
      for (k, memo) in [true, false].enumerated() {
        var parser = KubectlTextParser(context: context, memo: memo)
        let keep = { (record: Record) in results[k].append(Ingestor.classify(record, with: catalog)) }
        for (i, text) in lines.enumerated() {
          verdicts[k].append(parser.feed(Line(number: i + 1, text: text), emit: keep))
        }
        parser.finish(emit: keep)
      }
      same = same && results[0] == results[1] && verdicts[0] == verdicts[1]
    }
    if !same { Issue.record("records differ with the line memo: \(name)") }
    return same
  }

  /// Every sample read with and without the memo: the same records and verdicts.
  @Test func samplesReadAsWithoutMemo() {
    #expect(KubectlBytesTests.sampleFiles.count > 50)
    for file in KubectlBytesTests.sampleFiles { _ = Self.readsAsWithoutMemo(file.lines, name: file.name) }
  }

  /// The kubectl samples glued together in seeded random orders, each several times (so their
  /// lines and Events rows repeat under other objects and tables), with a few lines changed.
  @Test func gluedSamplesReadAsWithoutMemo() {
    var rng = SplitMix64(seed: SplitMix64.seed("gluedSamplesReadAsWithoutMemo"))
    let kubectl = KubectlBytesTests.sampleFiles.filter { file in
      file.name.hasSuffix(".txt") && file.lines.contains { $0.hasPrefix("Name:") || $0.hasPrefix("Events:") }
    }
    #expect(kubectl.count > 10)
    for round in 0..<6 {
      var lines: [String] = []
      for _ in 0..<40 {
        var piece = kubectl[rng.below(kubectl.count)].lines
        if rng.below(3) == 0, !piece.isEmpty { piece[rng.below(piece.count)] += " x" }
        if rng.below(4) == 0, !piece.isEmpty { piece.remove(at: rng.below(piece.count)) }
        lines += piece + (rng.below(2) == 0 ? [""] : ["", ""])
      }
      _ = Self.readsAsWithoutMemo(lines, name: "round \(round)")
    }
  }
}
