import Foundation
import PodmortemModel
import PodmortemTestSupport
import Testing

@testable import PodmortemText

/// `StartTable` admits, for a text's first two bytes, exactly the matchers without a start and the
/// anchored ones with a start whose first two bytes under its mask are its value's, so every
/// matcher `begins` would let run (docs/architecture.md "Speed of the kubelet-log path"); and the
/// look in order that visits only those answers as the loop in order (`LookInOrderTests.reference`)
/// on a catalog of more than 64 patterns, anchored ones that share their first bytes, classes of
/// them and starts of one byte, and unanchored ones enough to pass the look's budget, on short
/// texts and on texts past `shortText` (whose budget is smaller).
@Suite struct StartTableTests {
  /// Whether `set` holds matcher `index`.
  static func holds(_ set: UnsafePointer<UInt64>, _ index: Int) -> Bool {
    set[index >> 6] & (1 << UInt64(index & 63)) != 0
  }

  /// The table's set for every pair of first bytes (with seeded bytes after them) is the matchers
  /// without a start and those with a start admitting the pair, so a superset of what `begins`
  /// admits on the whole first word.
  static func check(_ starts: [[AnchoredStart.Alternative]], _ rng: inout SplitMix64) {
    let table = StartTable(matchers: starts.count, starts: starts)
    defer { table.free() }
    #expect(table.words == max((starts.count + 63) / 64, 1))
    var wrong: [String] = []
    var admittedWhole = 0
    for key in 0..<65_536 {
      // Half the words with bytes after the pair that some start reads, half seeded.
      let high = rng.below(2) == 0 ? rng.next() << 16 : (starts.randomStart(&rng) & ~0xFFFF)
      let word = UInt64(key) | high
      let set = table.matchers(word)
      for (index, own) in starts.enumerated() {
        let pair = own.isEmpty || own.contains { UInt64(key) & $0.mask & 0xFFFF == $0.value & 0xFFFF }
        let whole = own.isEmpty || own.contains { word & $0.mask == $0.value }
        if holds(set, index) != pair || (whole && !holds(set, index)) {
          wrong.append("key \(key) word \(word) matcher \(index)")
        }
        if whole, !own.isEmpty { admittedWhole += 1 }
      }
    }
    // Every start's own bytes, with seeded bytes where its mask reads none: admitted whole.
    for (index, own) in starts.enumerated() {
      for start in own {
        let word = start.value | (rng.next() & ~start.mask)
        if own.contains(where: { word & $0.mask == $0.value }) {
          admittedWhole += 1
          if !holds(table.matchers(word), index) { wrong.append("start \(word) matcher \(index)") }
        }
      }
    }
    #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    if starts.contains(where: { !$0.isEmpty }) { #expect(admittedWhole > 0) }
  }

  static func p(_ id: String, _ literals: [String], _ regex: String, _ limited: Bool = false) throws -> Pattern {
    try LookInOrderTests.pattern(id, literals, regex, limited: limited)
  }

  @Test func shippedKindsAdmitWhatTheirStartsAdmit() {
    var rng = SplitMix64(seed: 33_100)
    let shipped = PatternCatalog.shipped(diagnostics: { _ in })
    for kind in PatternKind.allCases {
      let ofKind = shipped.patterns.filter { $0.kinds.contains(kind) && $0.detail == nil }
      let starts = ofKind.map {
        AnchoredStart(pattern: $0.regex.pattern, caseless: $0.regex.caseless)?.alternatives ?? []
      }
      Self.check(starts, &rng)
    }
  }

  /// Random starts: one to eight bytes, masks of whole bytes and of a few bits, values with bits
  /// outside their mask (which nothing begins with), matchers without a start, and more than 64
  /// matchers so that a set is more than one word.
  @Test(arguments: 0..<4)
  func seededStartsAdmitWhatTheyAdmit(seed: UInt64) {
    var rng = SplitMix64(seed: 33_200 + seed)
    let count = [1, 7, 64, 65, 130][rng.below(5)]
    let common: [UInt8] = [0x22, 0x45, 0x42, 0x62, 0x00, 0xFF, 0x0D]
    let starts: [[AnchoredStart.Alternative]] = (0..<count).map { _ in
      guard rng.below(4) != 0 else { return [] }
      return (0..<(1 + rng.below(3))).map { _ in
        let length = 1 + rng.below(8)
        var value: UInt64 = 0
        var mask: UInt64 = 0
        for k in 0..<length {
          let byte = rng.below(2) == 0 ? common[rng.below(common.count)] : UInt8(truncatingIfNeeded: rng.next())
          let bits: UInt8 = rng.below(4) == 0 ? ~UInt8(1 << rng.below(8)) : 0xFF
          mask |= UInt64(bits) << UInt64(8 * k)
          value |= UInt64(byte & (rng.below(20) == 0 ? 0xFF : bits)) << UInt64(8 * k)
        }
        return AnchoredStart.Alternative(value: value, mask: mask, length: length)
      }
    }
    Self.check(starts, &rng)
  }

  /// Patterns in the order the look visits them: anchored ones sharing a first byte and a first
  /// two, a class (`[Bb]`), a start of one byte, unanchored ones and literal-free ones between
  /// them, catastrophic ones, and fillers past the 64th so that the table's sets are two words.
  static func patterns() throws -> [Pattern] {
    var list = try [
      Self.p("quote-a", ["Alpha"], #"^"Alpha (?<a>\w+)"#),
      Self.p("quote-ab", ["Ab"], #"^"Ab(?<ab>\w*)"#),
      Self.p("stuck-open", ["xx"], #"(?:x|x)+y"#, true),
      Self.p("class", ["ack"], #"^[Bb]ack (?<b>\w+)"#),
      Self.p("one", [], #"^Z(?<z>.*)$"#),
      Self.p("quote-b", ["Beta", "zz"], #"^"Beta" (?<bb>\w+)"#),
      Self.p("free", [], #"^(?:"Gamma|Delta)(?<g>\w*)"#),
      Self.p("omega", ["Omega"], #"Omega (?<o>\d+)"#),
      Self.p("stuck-anchored", ["Beta"], #"^"Beta" (?:q|q)+r"#, true),
    ]
    for k in 0..<60 {
      list.append(try Self.p("filler-\(k)", ["F\(k)!"], #"^"F\#(k)!(?<f>\w*)"#))
      // Unanchored ones among them, more literals than the look's budget of short texts.
      if k % 3 == 0 { list.append(try Self.p("open-\(k)", ["O\(k)=", "="], #"O\#(k)=(?<v\#(k)>\w+)"#)) }
    }
    list += try [
      Self.p("late-quote", [], #"^"(?<late>A\w*)"#),
      Self.p("late-class", ["ack"], #"^[Bb]ack(?<late2>.*)$"#),
      Self.p("late-open", ["te"], #"Late(?<l>\w+)"#),
      Self.p("last", ["Z"], #"(?<last>Z+)"#),
    ]
    return list
  }

  static let pieces = [
    #""Alpha "#, #""Ab"#, #""Beta" "#, "Back ", "back ", "Zed", "Z", "Omega 12", #""Gamma"#, "Delta",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!", "y", #""Beta" qqqqqqqqqqqqqqqqqqqqqqqqqqqq!r"#, #""F7!"#, #""F63!x"#,
    #""F64"#, "Late", "Lateral", "te", "word", " ", #"""#, "\u{0}", "\r", "\t", "\u{212A}", "\u{130}", "e\u{301}",
    "é", "", "O3=x", "O57=", "O0=yy", "=", String(repeating: "w", count: 1_100), String(repeating: "O", count: 600),
  ]

  @Test(arguments: 0..<4)
  func lookThroughTheTableAnswersAsTheLoopInOrder(seed: UInt64) throws {
    var rng = SplitMix64(seed: 33_300 + seed)
    let (expected, hits) = LookInOrderTests.compared(try Self.patterns(), texts: 1_500) {
      (0..<(1 + rng.below(5))).map { _ in Self.pieces[rng.below(Self.pieces.count)] }.joined()
    }
    #expect(expected["stuck-anchored", default: 0] >= 5)
    #expect(hits > 300)
  }
}

extension [[AnchoredStart.Alternative]] {
  /// Some start's value, so that a word may begin with it beyond its first two bytes.
  fileprivate func randomStart(_ rng: inout SplitMix64) -> UInt64 {
    let all = flatMap { $0 }
    return all.isEmpty ? 0 : all[rng.below(all.count)].value
  }
}
