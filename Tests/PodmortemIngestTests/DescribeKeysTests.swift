import PodmortemInput
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `DescribeKeys.kind`, the byte-level look-up of a describe field's key, answers as the
/// `Set<Substring>`s it replaced on the describe path (docs/architecture.md "Speed of the describe
/// path").
@Suite struct DescribeKeysTests {
  /// Every key of the four sets.
  static let setKeys: [Substring] = Array(
    DescribeBlock.topKeys.union(DescribeBlock.containerKeys).union(DescribeBlock.stateKeys).union(
      DescribeBlock.stateLabels)
  ).sorted()

  @Test func everySetKeyIsFound() {
    #expect(Self.setKeys.count > 90)
    for key in Self.setKeys {
      let kind = DescribeKeys.kind(key)
      #expect(kind == DescribeKeys.setKind(key), "\(key)")
      #expect(!kind.isEmpty, "\(key)")
    }
  }

  @Test func sampleKeysAreClassifiedAsBySets() {
    var checked = 0
    for (i, text) in KubectlBytesTests.lines.enumerated() {
      for bytes in [true, false] {
        guard let f = KubectlLine(Line(number: i + 1, text: text), bytes: bytes).field else { continue }
        checked += 1
        #expect(DescribeKeys.kind(f.key) == DescribeKeys.setKind(f.key), "\(text)")
      }
    }
    #expect(checked > 5_000)
  }

  /// Keys near the sets' own (a byte changed, added or dropped, case flipped, cut), random ASCII
  /// and non-ASCII words, each a slice of a longer string as a line's key is; seeded.
  @Test func randomKeysAreClassifiedAsBySets() {
    var rng = SplitMix64(seed: 0x6465_7363_7269_6265)
    let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -./()#_:")
    let wide: [Character] = ["é", "\u{301}", "\u{212A}", "Å", "│", "\u{A0}", "ß"]
    var found = 0
    var labels = 0
    let labelKeys = DescribeKey.allCases.map { Substring($0.rawValue) }
    for _ in 0..<20_000 {
      let from = rng.below(2) == 0 ? Self.setKeys : labelKeys
      var key = Array(String(from[rng.below(from.count)]))
      switch rng.below(9) {
      case 0: key[rng.below(key.count)] = alphabet[rng.below(alphabet.count)]
      case 1: key.insert(alphabet[rng.below(alphabet.count)], at: rng.below(key.count + 1))
      case 2: key.remove(at: rng.below(key.count))
      case 3:
        let i = rng.below(key.count)
        key[i] = Character(key[i].isUppercase ? key[i].lowercased() : key[i].uppercased())
      case 4: key = Array(key.prefix(rng.below(key.count + 1)))
      case 5: key = (0..<rng.below(40)).map { _ in alphabet[rng.below(alphabet.count)] }
      case 6: key.insert(wide[rng.below(wide.count)], at: rng.below(key.count + 1))
      case 7: key = (0..<(1 + rng.below(70))).map { _ in alphabet[rng.below(alphabet.count)] }
      default: break
      }
      let line = "  " + String(key) + ":  value"
      let slice = line.dropFirst(2).prefix(key.count)
      let kind = DescribeKeys.kind(slice)
      if !kind.isEmpty { found += 1 }
      #expect(kind == DescribeKeys.setKind(slice), "\(slice)")
      let label = DescribeKeys.key(slice)
      if label != nil { labels += 1 }
      #expect(label == DescribeKey(rawValue: String(slice)), "\(slice)")
      // Both from one search of the table: the two searches' answers.
      let both = DescribeKeys.lookUp(slice)
      #expect(both.kind == kind && both.key == label, "\(slice)")
    }
    #expect(found > 2_000)
    #expect(labels > 2_000)
  }

  /// `DescribeKeys.key` finds every label's case, and on every sample line's key the case the
  /// `switch` on `String(key)` found (`DescribeKey(rawValue:)`, whose `==` is the switch's).
  @Test func labelsAreFoundAsByTheSwitch() {
    for label in DescribeKey.allCases {
      #expect(DescribeKeys.key(Substring(label.rawValue)) == label)
      // A label as a slice of a longer line, as a line's key is.
      let line = "    " + label.rawValue + ":  value"
      #expect(DescribeKeys.key(line.dropFirst(4).prefix(label.rawValue.count)) == label)
    }
    var checked = 0
    for (i, text) in KubectlBytesTests.lines.enumerated() {
      for bytes in [true, false] {
        guard let f = KubectlLine(Line(number: i + 1, text: text), bytes: bytes).field else { continue }
        checked += 1
        #expect(DescribeKeys.key(f.key) == DescribeKey(rawValue: String(f.key)), "\(text)")
      }
    }
    #expect(checked > 5_000)
    // Non-ASCII spellings: the decomposed, the Kelvin sign, a no-break space, as `String` compares them.
    for key in ["N\u{0061}me", "Start\u{A0}Time", "\u{212A}ind", "Re\u{301}ason", "Stat\u{0065}\u{301}", "Événements"] {
      #expect(DescribeKeys.key(Substring(key)) == DescribeKey(rawValue: key), "\(key)")
    }
  }

  /// A line's `keyKind` and `describeKey`, read once with its field (and handed out again with a
  /// held reading by `KubectlLineMemo`, whose small table makes lines evict each other), are
  /// `DescribeKeys`' answers for its field's key: sample lines and seeded lines with keys near the
  /// labels, at random indentation, in random order.
  @Test func lineKeysAreTheFieldKeys() {
    var rng = SplitMix64(seed: 0x6c69_6e65_6b65_7973)
    var memo = KubectlLineMemo(slots: 64)
    let samples = KubectlBytesTests.lines
    let labels = DescribeKey.allCases.map(\.rawValue) + Self.setKeys.map(String.init)
    let padding = ["", " ", "  ", "    ", "\t", "      "]
    var checked = 0
    for i in 0..<30_000 {
      var text: String
      if rng.below(2) == 0 {
        text = samples[rng.below(samples.count)]
      } else {
        var key = Array(labels[rng.below(labels.count)])
        if rng.below(4) == 0 { key[rng.below(key.count)] = Array("aZ -é\u{212A}:")[rng.below(7)] }
        text =
          padding[rng.below(padding.count)] + String(key) + [":", ":  ", ":\t", ": x", ":   value y"][rng.below(5)]
      }
      let line = Line(number: i + 1, text: text)
      for l in [KubectlLine(line), KubectlLine(line, bytes: false), memo.read(line).line] {
        let f = l.field
        #expect(l.keyKind == (f.map { DescribeKeys.kind($0.key) } ?? []), "\(text)")
        #expect(l.describeKey == f.flatMap { DescribeKeys.key($0.key) }, "\(text)")
        if l.describeKey != nil { checked += 1 }
      }
    }
    #expect(checked > 10_000)
  }

  /// `DescribeKey.opensNoCommand` is what `KubectlCommand.firstWordRejects` says of a line that
  /// starts with the label (its first word, or the label and its colon), whatever follows, and a
  /// boundary test that takes it answers as the `Character`-level test (`quick: false`) on every
  /// label's line with hostile values: a tab after the colon (the first word then runs on), a
  /// command, a prompt's marks, a Kelvin sign, a dotted capital I, a combining accent, NUL, CR.
  @Test func keysThatOpenNoCommandAreRejectedByTheirFirstWord() {
    var rng = SplitMix64(seed: SplitMix64.seed("keysThatOpenNoCommandAreRejectedByTheirFirstWord"))
    let values = [
      "", "web-0", "kubectl get pods", "k describe pod x", "oc get", "$", "#", "x]", "\u{212A}", "\u{130}",
      "e\u{301}", "\u{0}", "\r", "a=b", "sudo kubectl get", String(repeating: "z", count: 300),
    ]
    let separators = [":", ": ", ":  ", ":\t", ":\t\t", ": \t", ":   "]
    let indents = ["", "  ", "    ", "\t"]
    var checked = 0
    var shortcuts = 0
    for key in DescribeKey.allCases {
      for value in values {
        let body = Substring(key.rawValue + ": " + value)
        if key.opensNoCommand {
          #expect(KubectlCommand.firstWordRejects(body.utf8), "\(body)")
          #expect(KubectlCommand.firstWordRejects(Substring(key.rawValue + ":").utf8), "\(key)")
          #expect(!KubectlCommand.isCommand(body, quick: false), "\(body)")
        }
      }
      for _ in 0..<40 {
        let text =
          indents[Int.random(in: 0..<indents.count, using: &rng)] + key.rawValue
          + separators[Int.random(in: 0..<separators.count, using: &rng)]
          + values[Int.random(in: 0..<values.count, using: &rng)]
          + (Bool.random(using: &rng) ? "" : " " + values[Int.random(in: 0..<values.count, using: &rng)])
        let line = KubectlLine(Line(number: 1, text: text))
        #expect(
          KubectlTextParser.isBoundary(line) == KubectlTextParser.isBoundary(line, quick: false),
          "\(text.debugDescription)")
        if line.isASCII, line.describeKey != nil, !line.body.utf8.contains(0x09) { shortcuts += 1 }
        checked += 1
      }
    }
    for text in KubectlBytesTests.sampleLines {
      let line = KubectlLine(Line(number: 1, text: text))
      #expect(KubectlTextParser.isBoundary(line) == KubectlTextParser.isBoundary(line, quick: false), "\(text)")
      checked += 1
    }
    #expect(shortcuts > 1000)
    #expect(checked > 5000)
  }
}
