import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KubeletLogParser` keeps an open multi-line value's record (`Pending`) in a box of a class,
/// where it was a struct copied whole on every line (docs/architecture.md "Speed of the
/// kubelet-log path"). A parser is still a value: a copy made while a value is open or a line is
/// held reads on exactly as a parser fed the same lines alone, whichever of the two reads on
/// first, and what one reads never changes what the other hands on. The reference is a fresh
/// parser fed the whole sequence; the records and events are compared by their every byte
/// (`String(reflecting:)`), with the verdicts, on seeded logs of `HandedLogTests`
/// (klog, multi-line values cut and closed, wrapped lines, journald and JSON lines, hostile
/// pieces: NUL, CR, tabs, a Kelvin sign, a dotted capital I, combining accents, 64 KiB lines),
/// cut where a value is open or a line held and elsewhere.
@Suite struct KubeletParserCopyTests {
  struct Reading: Equatable {
    var records: [[UInt8]] = []
    var verdicts: [SourceAccount.Verdict] = []
    var diagnostics: [String] = []
  }

  static func fresh(_ sink: Collector<Diagnostic>) -> KubeletLogParser {
    KubeletLogParser(context: HandedLogTests.context(paste: false, sink: sink))
  }

  /// `lines` fed to `parser` (handed records, then `finish`), appended to `out`.
  static func read(_ parser: inout KubeletLogParser, _ lines: ArraySlice<Line>, finish: Bool, into out: inout Reading) {
    for line in lines {
      let verdict = parser.feed(
        line, handing: { (r: consuming LogRecord) in out.records.append(Array(String(reflecting: r).utf8)) },
        emit: { out.records.append(Array(String(reflecting: $0).utf8)) })
      out.verdicts.append(verdict)
    }
    if finish {
      parser.finish(
        handing: { (r: consuming LogRecord) in out.records.append(Array(String(reflecting: r).utf8)) },
        emit: { out.records.append(Array(String(reflecting: $0).utf8)) })
    }
  }

  /// A fresh parser on `lines`, whole.
  static func alone(_ lines: [Line]) -> Reading {
    let sink = Collector<Diagnostic>()
    var parser = fresh(sink)
    var out = Reading()
    read(&parser, lines[...], finish: true, into: &out)
    out.diagnostics = sink.items.map { String(reflecting: $0) }
    return out
  }

  static func lines(_ text: String) -> [Line] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
      Line(number: $0.offset + 1, text: String($0.element))
    }
  }

  /// Cut after `cut` lines: the parser copied, the copy read on with `rest` and the original with
  /// `other` (and the other way round), each against a fresh parser on the whole sequence.
  static func check(_ head: [Line], _ rest: [Line], _ other: [Line], copyFirst: Bool) {
    let sink = Collector<Diagnostic>()
    var parser = fresh(sink)
    var before = Reading()
    read(&parser, head[...], finish: false, into: &before)
    var copy = parser
    var a = before
    var b = before
    if copyFirst {
      read(&copy, rest[...], finish: true, into: &a)
      read(&parser, other[...], finish: true, into: &b)
    } else {
      read(&parser, other[...], finish: true, into: &b)
      read(&copy, rest[...], finish: true, into: &a)
    }
    let wholeA = alone(head + rest)
    let wholeB = alone(head + other)
    #expect(a.records == wholeA.records)
    #expect(a.verdicts == wholeA.verdicts)
    #expect(b.records == wholeB.records)
    #expect(b.verdicts == wholeB.verdicts)
  }

  /// Lines that continue a held line or an open value, so that a cut there is met often.
  static let continuations = [
    "and this is the rest of it, as the terminal wrapped it",
    "\trpc error: code = NotFound desc = an error occurred",
    "\t\"f10d27c89780\": not found \u{212A} e\u{301} \u{130}",
    #" > containerID="f10d27c89780""#,
    #" > next="a" other=<"#,
    "\u{0}\r wrapped rest",
  ]

  @Test(arguments: 0..<30)
  func aCopiedParserReadsOnAsOneFedTheLinesAlone(seed: UInt64) {
    var rng = SplitMix64(seed: seed)
    var lines = Self.lines(HandedLogTests.log(&rng))
    // More values opened and lines held than the seeded log has.
    for _ in 0..<10 {
      let at = rng.below(lines.count + 1)
      let piece = Self.continuations[rng.below(Self.continuations.count)]
      lines.insert(Line(number: 0, text: piece), at: at)
    }
    lines = lines.enumerated().map { Line(number: $0.offset + 1, text: $0.element.text) }
    // Cuts after lines that open a value or may be held, and anywhere.
    var cuts: [Int] = []
    for (i, line) in lines.enumerated()
    where line.text.utf8.count >= KubeletLogParser.wrapWidth || line.text.hasSuffix("=<") {
      cuts.append(i + 1)
    }
    cuts.shuffle(using: &rng)
    cuts = Array(cuts.prefix(6)) + [0, lines.count, rng.below(lines.count + 1)]
    for cut in cuts {
      let head = Array(lines[..<cut])
      let rest = Array(lines[cut...])
      var other = (0..<(1 + rng.below(4))).map { _ in
        Line(number: 0, text: Self.continuations[rng.below(Self.continuations.count)])
      }
      other += rest.shuffled(using: &rng).prefix(rng.below(8))
      other = other.enumerated().map { Line(number: cut + $0.offset + 1, text: $0.element.text) }
      Self.check(head, rest, other, copyFirst: rng.below(2) == 0)
    }
  }

  /// The diagnostics a copy says are the ones a parser fed its lines alone says (an oversized
  /// value is noted once, the year's note once).
  @Test func aCopyNotesWhatAParserAloneNotes() {
    let open = #"E1127 00:00:07.000000    4187 remote_runtime.go:343] "failed" err=<"#
    let big = "\t" + String(repeating: "x", count: 600_000)
    let lines = Self.lines([open, big, big].joined(separator: "\n"))
    let sink = Collector<Diagnostic>()
    var parser = Self.fresh(sink)
    var out = Reading()
    Self.read(&parser, lines[..<2], finish: false, into: &out)
    var copy = parser
    Self.read(&copy, lines[2...], finish: true, into: &out)
    let whole = Self.alone(lines)
    #expect(out.records == whole.records)
    #expect(sink.items.map { String(reflecting: $0) } == whole.diagnostics)
  }
}
