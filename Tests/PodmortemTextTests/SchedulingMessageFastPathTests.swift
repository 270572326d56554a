import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `SchedulingMessage.init` asks the bytes where they give Foundation's answer (the trim, the
/// searches, the split). The reference is the parse as first written, every step through
/// Foundation, kept here to hold the byte answers to it (docs/architecture.md "Diagnosis: read a
/// pod once").
@Suite struct SchedulingMessageFastPathTests {
  /// What a parse gives, compared field by field (`SchedulingMessage` has no memberwise init).
  struct Parsed: Equatable {
    var totalNodes: Int
    var entries: [SchedulingMessage.Entry]
    var prefilter: String?
    var preemption: [SchedulingMessage.Entry]?
    var truncated: Bool
  }

  static func parsed(_ m: SchedulingMessage?) -> Parsed? {
    m.map {
      Parsed(
        totalNodes: $0.totalNodes, entries: $0.entries, prefilter: $0.prefilter, preemption: $0.preemption,
        truncated: $0.truncated)
    }
  }

  /// The reference: `SchedulingMessage.init` as first written.
  static func reference(_ message: String) -> Parsed? {
    var text = Substring(message.trimmingCharacters(in: .whitespaces))
    let truncated = text.hasSuffix(" ...")
    if truncated { text = text.dropLast(4) }
    var preemptionText: Substring?
    if let range = text.range(of: " preemption: ") {
      preemptionText = text[range.upperBound...]
      text = text[..<range.lowerBound]
    }
    guard let (total, body) = referenceHeader(text) else { return nil }
    let trimmedBody = body.drop { $0 == " " }
    var entries: [SchedulingMessage.Entry] = []
    var prefilter: String?
    if let first = trimmedBody.first, first.isNumber {
      entries = referenceHistogram(trimmedBody, cutOff: truncated && preemptionText == nil)
    } else {
      let stripped = trimmedBody.hasSuffix(".") ? trimmedBody.dropLast() : trimmedBody
      prefilter = stripped.isEmpty ? nil : String(stripped)
    }
    var preemption: [SchedulingMessage.Entry]?
    if let preemptionText, let (_, body) = referenceHeader(preemptionText) {
      preemption = referenceHistogram(body.drop { $0 == " " }, cutOff: truncated)
    }
    return Parsed(
      totalNodes: total, entries: entries, prefilter: prefilter, preemption: preemption, truncated: truncated)
  }

  private static func referenceHeader(_ text: Substring) -> (Int, Substring)? {
    guard text.hasPrefix("0/"), let marker = text.range(of: " nodes are available:") else { return nil }
    guard let total = Plausible.int32(text[text.index(text.startIndex, offsetBy: 2)..<marker.lowerBound]) else {
      return nil
    }
    return (total, text[marker.upperBound...])
  }

  private static func referenceHistogram(_ body: Substring, cutOff: Bool) -> [SchedulingMessage.Entry] {
    var pieces: [String] = []
    for piece in body.components(separatedBy: ", ") {
      let count = piece.prefix { $0.isNumber }
      if !count.isEmpty, piece.dropFirst(count.count).hasPrefix(" ") || pieces.isEmpty {
        pieces.append(piece)
      } else if let last = pieces.popLast() {
        pieces.append(last + ", " + piece)
      }
    }
    if cutOff, !pieces.isEmpty { pieces.removeLast() }
    return pieces.compactMap { piece in
      let countText = piece.prefix { $0.isNumber }
      guard let count = Plausible.int32(countText), count >= 0 else { return nil }
      var reasonText = piece.dropFirst(countText.count).drop { $0 == " " }
      if reasonText.hasSuffix(".") { reasonText = reasonText.dropLast() }
      return SchedulingMessage.Entry(
        count: count, text: String(reasonText), reason: SchedulingReason(String(reasonText)))
    }
  }

  /// Messages as the scheduler writes them, and their hostile neighbours.
  static let written = [
    "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
      + "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
      + "2 No preemption victims found for incoming pod.",
    "0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims.",
    "0/40 nodes are available: 10 Insufficient memory, 12 node(s) didn't match Pod's node affin ...",
    "Successfully assigned default/web-0 to node-1", "", " ", "\t", "0/", "0/ nodes are available:",
    "0/3 nodes are available:", "0/3 nodes are available: ", "0/3 nodes are available: .",
    "0/3 nodes are available: , , ",
    "  0/3 nodes are available: 3 Too many pods.  ", "\t0/3 nodes are available: 3 Too many pods.\t",
    "\u{A0}0/3 nodes are available: 3 Too many pods.\u{3000}", "0/3 nodes are available: 3 Too many pods.\u{301}",
    "0/3 nodes are available: 3 Too many pods.\r", "0/3 nodes are available: 3 Too many pods.\r\n",
    "0/99999999999 nodes are available: 1 Too many pods.", "0/3 nodes are available: -1 Too many pods.",
    "0/3 nodes are available: 1 node(s) had untolerated taint {a: b, c: d}, 2 Insufficient cpu.",
    "0/3 nodes are available: 1 Insufficient \u{212A}, 2 \u{130}nsufficient cpu.",
    "0/3 nodes are available:, \u{301}1 Too many pods", "0/3 nodes are available: 1 Too many pods ... ...",
    "0/3 nodes are available: 1 a preemption: 0/3 nodes are available: 1 b preemption: x",
    "0/3 nodes are available: 1 a,\u{301} 2 b.", "0/3 nodes are available: 1 a ,\u{0} 2 b.",
  ]

  @Test func writtenMessagesParseAsTheReference() {
    for message in Self.written {
      #expect(Self.parsed(SchedulingMessage(message)) == Self.reference(message), "\(message.debugDescription)")
    }
    #expect(Self.parsed(SchedulingMessage(Self.written[0]))?.entries.count == 2)
  }

  /// Seeded messages built from the scheduler's pieces and hostile ones: spaces, tabs and
  /// non-ASCII whitespace at either end, the Kelvin sign, a dotted capital I, combining accents
  /// (after a comma and a space too), CR, NUL, long counts, `, ` inside a taint.
  @Test func seededMessagesParseAsTheReference() {
    let pieces = [
      "0/", "3", "12", "99999999999", " nodes are available:", " ", ", ", ",", ".", " ...", " preemption: ",
      "Too many pods", "Insufficient cpu", "node(s) had untolerated taint {a: b, c: d}",
      "Preemption is not helpful for scheduling",
      "pod has unbound immediate PersistentVolumeClaims", "\u{212A}", "\u{130}", "\u{301}", "e\u{301}", "\r", "\n",
      "\r\n", "\u{0}", "\t", "\u{A0}", "\u{3000}", "\u{200B}", "日本", "x",
    ]
    var rng = SplitMix64(seed: 21_016)
    var parsedCount = 0
    for _ in 0..<3_000 {
      var message = rng.below(4) == 0 ? "" : "0/\(rng.below(50)) nodes are available: "
      for _ in 0..<rng.below(14) { message += pieces[rng.below(pieces.count)] }
      if rng.below(3) == 0 { message = pieces[rng.below(pieces.count)] + message }
      if rng.below(3) == 0 { message += pieces[rng.below(pieces.count)] }
      let reference = Self.reference(message)
      if reference != nil { parsedCount += 1 }
      #expect(Self.parsed(SchedulingMessage(message)) == reference, "\(message.debugDescription)")
    }
    #expect(parsedCount > 500)
  }

  /// A huge message (a long histogram, cut) parses as the reference.
  @Test func hugeMessageParsesAsTheReference() {
    let message =
      "0/5000 nodes are available: "
      + (1...2_000).map { "\($0) Insufficient r\($0)" }.joined(separator: ", ") + " ..."
    #expect(Self.parsed(SchedulingMessage(message)) == Self.reference(message))
    #expect(Self.parsed(SchedulingMessage(message))?.entries.count == 1_999)
  }

  /// The split on bytes gives Foundation's pieces on ASCII and hostile texts alike.
  @Test func piecesAreFoundationsComponents() {
    var rng = SplitMix64(seed: 21_017)
    let alphabet = ["a", ",", " ", ", ", ",,", "  ", "\r", "\n", "\u{0}", "\t", "\u{301}", "\u{212A}", "\u{130}", "é"]
    var texts = ["", ",", " ", ", ", ", , ", "a, ", ", a", "a,b, c"]
    for _ in 0..<2_000 { texts.append((0..<rng.below(12)).map { _ in alphabet[rng.below(alphabet.count)] }.joined()) }
    for text in texts {
      #expect(SchedulingMessage.pieces(text[...]) == text.components(separatedBy: ", "), "\(text.debugDescription)")
      #expect(SchedulingMessage.trimmed(text) == Substring(text.trimmingCharacters(in: .whitespaces)))
    }
  }
}
