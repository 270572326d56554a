import Foundation
import PodmortemInput
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import PodmortemIngest

/// The first-word questions and the blank-line question asked of every line of a container log's
/// head (docs/architecture.md, "Sniffing a head of long lines"), each held to the code it replaced,
/// kept here as the reference.
enum FirstWordBytesInputs {
  /// Texts made to sit either side of each answer: the words asked for, cut, grown, followed by a
  /// blank, a colon, a combining accent or a Kelvin sign, and every ASCII byte on its own and
  /// before a combining accent.
  static let made: [String] = {
    var made = [
      "", "Type", "Type ", "Type\t", "Type\tReason", "Type    Reason   Age   From   Message", "Typ", "Types", "type",
      "Type\u{301}", "Type\r", "Type\0", "Type\n", "TypeX Reason", " Type", "\tType", "FirstSeen", "FirstSeen LastSeen",
      "FirstSeenX", "FirstSee", "FirstSeen\u{212A}", "T", "T ", "N", "Name", "Name:", "NAME", "NAME READY", "NAMEx",
      "NAME: x", "NA:ME", "\u{212A}IND", "\u{130}MAGE", "ÉTAT", "A\u{301}GE", "CPU(<a b>)", "{\"level\":\"info\"}",
      "time=\"2026-11-27T00:00:00Z\" level=info", "I1127 00:00:00.000000       1 main.go:1] x",
      "2026-11-27T00:00:00.550443Z DEBUG [http] retrying",
    ]
    for b in 0..<0x80 {
      let c = String(UnicodeScalar(UInt8(b)))
      made += [c, c + "\u{301}", c + " x", "T" + c, "Type" + c, "FirstSeen" + c, "NAME" + c, c + "Type"]
    }
    made += ["\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "\r\n", " \u{301}", "\t\r\n ", "  ", "\u{FEFF}"]
    return made
  }()

  /// Made texts, sample lines and seeded hostile strings (`BundleSniffGateInputs`), each also from
  /// its second character and from its second word: a `Substring` that starts inside its string.
  static let bodies: [Substring] = (made + BundleSniffGateInputs.texts).flatMap { text -> [Substring] in
    let whole = Substring(text)
    var bodies = [whole, whole.dropFirst()]
    if let space = whole.firstIndex(of: " ") { bodies.append(whole[whole.index(after: space)...]) }
    return bodies
  }
}

@Suite struct FirstWordBytesTests {
  /// `KubectlBytes.firstWordIs` as it was, kept as the reference: the first word measured to its
  /// end, then compared.
  static func referenceFirstWordIs(_ body: Substring, _ word: StaticString) -> Bool {
    let found = body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      let n = referenceFirstWordLength(b)
      guard n == word.utf8CodeUnitCount else { return false }
      guard let base = b.baseAddress, n > 0 else { return true }
      return memcmp(base, word.utf8Start, n) == 0
    }
    return found
      ?? KubectlBytes.firstWord(body).elementsEqual(
        UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount))
  }

  /// `KubectlBytes.firstWordMayOpenHeader` as it was, kept as the reference: measured, then
  /// walked.
  static func referenceFirstWordMayOpenHeader(_ body: Substring) -> Bool {
    let found = body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      let n = referenceFirstWordLength(b)
      guard n > 0, KubectlBytes.isUpper(b[0]) else { return false }
      for k in 1..<n where KubectlBytes.isLower(b[k]) || b[k] == 0x3A { return false }
      return true
    }
    if let found { return found }
    let first = KubectlBytes.firstWord(body)
    guard let b = first.first, KubectlBytes.isUpper(b) else { return false }
    return !first.contains(where: { KubectlBytes.isLower($0) || $0 == 0x3A })
  }

  static func referenceFirstWordLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var j = 0
    while j < bytes.count, !KubectlBytes.isBlank(bytes[j]) { j += 1 }
    return j
  }

  @Test func theFirstWordIsWhatTheReferenceSays() {
    var hits: [Int] = [0, 0, 0, 0, 0]
    for body in FirstWordBytesInputs.bodies {
      let answers = [
        (KubectlBytes.firstWordIs(body, "Type"), Self.referenceFirstWordIs(body, "Type")),
        (KubectlBytes.firstWordIs(body, "FirstSeen"), Self.referenceFirstWordIs(body, "FirstSeen")),
        (KubectlBytes.firstWordIs(body, "T"), Self.referenceFirstWordIs(body, "T")),
        (KubectlBytes.firstWordIs(body, "NAME"), Self.referenceFirstWordIs(body, "NAME")),
        (KubectlBytes.firstWordIs(body, ""), Self.referenceFirstWordIs(body, "")),
      ]
      for (k, (new, old)) in answers.enumerated() {
        #expect(new == old, "\(k) \(body.debugDescription)")
        if new { hits[k] += 1 }
      }
    }
    // Both answers are reached for every word.
    #expect(hits.allSatisfy { $0 >= 3 }, "\(hits)")
  }

  @Test func aHeaderWordIsWhatTheReferenceSays() {
    var opens = 0
    var closed = 0
    for body in FirstWordBytesInputs.bodies {
      let new = KubectlBytes.firstWordMayOpenHeader(body)
      #expect(new == Self.referenceFirstWordMayOpenHeader(body), "\(body.debugDescription)")
      if new { opens += 1 } else { closed += 1 }
    }
    #expect(opens >= 100 && closed >= 100, "\(opens) \(closed)")
  }
}

@Suite struct BlankTextTests {
  /// The walk `BlankText.isBlank` replaced, kept as the reference.
  static func referenceIsBlank(_ text: String) -> Bool { text.allSatisfy(\.isWhitespace) }

  @Test func aBlankLineIsWhatTheWalkSays() {
    var blank = 0
    var notBlank = 0
    let texts = FirstWordBytesInputs.made + BundleSniffGateInputs.texts + SampleLines.all.map { " " + $0 }
    for text in texts {
      let new = BlankText.isBlank(text)
      #expect(new == Self.referenceIsBlank(text), "\(text.debugDescription)")
      if new { blank += 1 } else { notBlank += 1 }
    }
    #expect(blank >= 10 && notBlank >= 1000, "\(blank) \(notBlank)")
  }
}

@Suite struct RFC3339GateTests {
  /// `NodeLogParser.RFC3339Time`'s guard as it was, kept as the reference: counted by `Character`.
  static func referenceMayBeTime(_ s: String) -> Bool {
    s.count >= 20 && s.count <= 40 && s.first?.isNumber == true && (ASCIISearch.contains("T", in: s) ?? s.contains("T"))
  }

  /// Times and near times either side of each bound, and with hostile pieces inserted.
  static let texts: [String] = {
    let times = [
      "2026-11-27T00:00:00Z", "2026-11-27T00:00:0Z", "2026-11-27T00:00:00.170469Z",
      "2019-05-04T18:05:45.011072877-05:00",
      "2019-05-04T18:05:45.0110728770000000-05:00", "2019-05-04T18:05:45.01107287700000000-05:00",
      "2019-05-04 18:05:45.011072877-05:00", "x019-05-04T18:05:45Z", "٢019-05-04T18:05:45Z",
      "\u{FF12}019-05-04T18:05:45Z",
      "2\u{301}019-05-04T18:05:45Z", "2019-05-04T18:05:45Z\r", "2019-05-04T18:05:45Z\r\n", "2019-05-04\r\nT18:05:45Z",
      "2019-05-04t18:05:45Z", "2019-05-04T18:05:45\u{212A}", "2019-05-04\u{130}18:05:45Z",
      "12345678901234567890", "1234567890123456789T", String(repeating: "1", count: 39) + "T",
      String(repeating: "1", count: 40) + "T", "1" + String(repeating: "\r\n", count: 19) + "T",
      "1" + String(repeating: "e\u{301}", count: 19) + "T", "1" + String(repeating: "é", count: 19) + "T",
      "1" + String(repeating: "é", count: 25) + "T", "\0" + String(repeating: "1", count: 25) + "T",
      "1\t" + String(repeating: "1", count: 25) + "T",
    ]
    var all = times + FirstWordBytesInputs.made + BundleSniffGateInputs.texts
    var rng = SplitMix64(seed: 2314)
    for _ in 0..<20_000 {
      var chars = Array(times[rng.below(times.count)])
      if rng.below(2) == 0 { chars = Array(chars.prefix(rng.below(chars.count + 1))) }
      for _ in 0..<rng.below(4) {
        let piece = BundleShortcutInputs.pieces[rng.below(BundleShortcutInputs.pieces.count)]
        chars.insert(contentsOf: piece, at: rng.below(chars.count + 1))
      }
      all.append(String(chars))
    }
    return all
  }()

  @Test func aTimeIsAskedForWhereTheReferenceAsks() {
    var asked = 0
    var refused = 0
    for s in Self.texts {
      let new = NodeLogParser.mayBeRFC3339Time(s)
      #expect(new == Self.referenceMayBeTime(s), "\(s.debugDescription)")
      if new { asked += 1 } else { refused += 1 }
    }
    #expect(asked >= 1000 && refused >= 1000, "\(asked) \(refused)")
  }
}

@Suite struct CutNameBytesTests {
  /// `DescribeReader.mayStartCutName` as it was, kept as the reference: four steps of the
  /// iterator.
  static func referenceMayStartCutName(_ bytes: Substring.UTF8View) -> Bool {
    var next = bytes.makeIterator()
    let b0 = next.next()
    let b1 = next.next()
    let b2 = next.next()
    let b3 = next.next()
    switch b0 {
    case 0x3A: return true
    case 0x65: return b1 == 0x3A
    case 0x6D: return b1 == 0x65 && b2 == 0x3A
    case 0x61: return b1 == 0x6D && b2 == 0x65 && b3 == 0x3A
    default: return false
    }
  }

  @Test func aCutNameStartsWhereTheReferenceSays() {
    let made = [
      "ame:", "ame: web-0", "me:", "me:\tx", "e:", "e", ":", "am", "ame", "amé:", "a\u{301}me:", "m\u{130}:", "ame\r:",
    ]
    let bodies = made.map { Substring($0) } + made.map { Substring("x" + $0).dropFirst() } + FirstWordBytesInputs.bodies
    var starts = 0
    for body in bodies {
      let new = DescribeReader.mayStartCutName(body.utf8)
      #expect(new == Self.referenceMayStartCutName(body.utf8), "\(body.debugDescription)")
      if new { starts += 1 }
    }
    #expect(starts >= 10, "\(starts)")
  }
}

@Suite struct ConsoleFirstBytesTests {
  /// The two bytes `ConsolePodDetails.label` and `tabbed` looked at before, kept as the reference:
  /// two steps of the iterator.
  static func referenceNoCapitalFirst(_ text: Substring) -> Bool {
    var bytes = text.utf8.makeIterator()
    if let b0 = bytes.next(), b0 < 0x80, bytes.next().map({ $0 < 0x80 }) ?? true, !(0x41...0x5A).contains(b0) {
      return true
    }
    return false
  }

  @Test func aLineTurnedAwayIsOneTheReferenceTurnsAway() {
    var away = 0
    var kept = 0
    for body in FirstWordBytesInputs.bodies {
      let new = ConsolePodDetails.noCapitalFirst(body)
      #expect(new == Self.referenceNoCapitalFirst(body), "\(body.debugDescription)")
      if new { away += 1 } else { kept += 1 }
    }
    #expect(away >= 1000 && kept >= 1000, "\(away) \(kept)")
  }
}

@Suite struct EventsHeaderGateTests {
  /// `DescribeEventsTable.header` as it was, kept as the reference: the two first-word
  /// comparisons without the first byte looked at.
  static func referenceHeader(_ line: KubectlLine) -> DescribeEventsTable.Era? {
    if line.isASCII, !KubectlBytes.firstWordIs(line.body, "Type"), !KubectlBytes.firstWordIs(line.body, "FirstSeen") {
      return nil
    }
    let words = line.tokens
    switch words {
    case ["Type", "Reason", "Age", "From", "Message"]: return .modern
    case ["FirstSeen", "LastSeen", "Count", "From", "SubObjectPath", "Type", "Reason", "Message"],
      ["FirstSeen", "LastSeen", "Count", "From", "SubobjectPath", "Type", "Reason", "Message"]:
      return .v17
    case ["FirstSeen", "LastSeen", "Count", "From", "SubobjectPath", "Reason", "Message"]: return .v11
    default: return nil
    }
  }

  @Test func aHeaderIsTheReferenceHeader() {
    let made = [
      "Type    Reason   Age   From   Message", "  Type\tReason\tAge\tFrom\tMessage",
      "FirstSeen  LastSeen  Count  From  SubobjectPath  Type  Reason  Message",
      "FirstSeen  LastSeen  Count  From  SubObjectPath  Type  Reason  Message",
      "FirstSeen  LastSeen  Count  From  SubobjectPath  Reason  Message", "Typé Reason Age From Message",
      "Type Reason Age From Message\u{301}", "\u{212A}ype Reason Age From Message", "Type Reason Age From",
    ]
    var headers = 0
    for text in made + FirstWordBytesInputs.made + BundleSniffGateInputs.texts {
      for line in [KubectlLine(Line(number: 1, text: text)), KubectlLine(Line(number: 1, text: text), bytes: false)] {
        let new = DescribeEventsTable.header(line)
        #expect(new == Self.referenceHeader(line), "\(text.debugDescription)")
        if new != nil { headers += 1 }
      }
    }
    #expect(headers >= 8, "\(headers)")
  }
}

@Suite struct RowBytesTests {
  /// `KubectlBytes.mayHoldRow` as it was, kept as the reference: every byte asked every question.
  static func referenceMayHoldRow(_ body: Substring, readyWords: UInt64) -> Bool {
    body.utf8.withContiguousStorageIfAvailable { b -> Bool in
      let n = b.count
      var i = 0
      var word = 0
      while i < n {
        while i < n, KubectlBytes.isBlank(b[i]) { i += 1 }
        guard i < n else { break }
        var j = i
        if b[j] == 0x2B || b[j] == 0x2D { j += 1 }
        var slash = false
        var digits = 0
        var others = 0
        while j < n, !KubectlBytes.isBlank(b[j]) {
          let c = b[j]
          if KubectlBytes.isDigit(c) {
            digits += 1
          } else {
            others += 1
            if c == 0x2F { slash = true }
            if c == 0x3C { return true }
            if KubectlBytes.isUpper(c), referenceHoldsRowWord(b, at: j) { return true }
          }
          j += 1
        }
        if digits > 0, others == 0 { return true }
        if slash, readyWords & (1 << UInt64(min(word, 63))) != 0 { return true }
        word += 1
        i = j
      }
      return false
    } ?? true
  }

  static func referenceHoldsRowWord(_ b: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
    for word in ["Normal", "Warning", "Ready", "Unknown", "True", "False"]
    where b.count - at >= word.utf8.count && b[at..<at + word.utf8.count].elementsEqual(word.utf8) {
      return true
    }
    return false
  }

  @Test func aRowIsMaybeWhereTheReferenceSaysMaybe() {
    let made = [
      "web-0   1/1   Running   0   5m", "2m   Normal   Pulled   pod/web-0   pulled", "x 12 y", "x -12 y", "x +1 y",
      "abc/def ghi", "node-1   Ready   <none>   5d   v1.30", "a<b", "Unknown", "Tru", "Fals", "Falsé", "Normal\u{301}",
      "worker 3 picked job id=8f2a", "{\"level\":\"info\",\"msg\":\"ok\"}", "zzz ~~~ \u{7F} é \u{212A} \u{130}",
    ]
    var rows = 0
    var none = 0
    let masks: [UInt64] = [KubectlTextParser.readyWords, 0, ~0, 1 << 63, 0b1010]
    for body in made.map({ Substring($0) }) + FirstWordBytesInputs.bodies {
      for mask in masks {
        let new = KubectlBytes.mayHoldRow(body, readyWords: mask)
        #expect(new == Self.referenceMayHoldRow(body, readyWords: mask), "\(mask) \(body.debugDescription)")
        if new { rows += 1 } else { none += 1 }
      }
    }
    #expect(rows >= 1000 && none >= 1000, "\(rows) \(none)")
  }
}

@Suite struct GronGateTests {
  /// `Assignment.init`'s first guard as it was, kept as the reference: the line copied, then its
  /// bytes asked. The first byte now asked before it turns a line away only where this does; every
  /// other line goes on to this guard and the rest of the parse unchanged.
  static func referenceGuardPasses(_ text: String) -> Bool {
    let b = Array(text.utf8)
    return b.count >= 7 && b.starts(with: Array("json".utf8)) && b.last == 0x3B
  }

  @Test func aLineTheFirstByteTurnsAwayIsOneTheGuardTurnsAway() {
    let made = [
      "json = {};", "json.kind = \"Pod\";", "json.items[0].metadata.name = \"web-0\";", "json[\"a b\"] = 1;",
      "jsonx = 1;", "json = 1", "Json = {};", "\u{FEFF}json = {};", " json = {};", "j\u{301}son = {};", "ĵson = {};",
    ]
    var parsed = 0
    var turnedAway = 0
    for text in made + FirstWordBytesInputs.made + BundleSniffGateInputs.texts {
      let new = Assignment(text)
      if new != nil { parsed += 1 }
      if text.utf8.first != 0x6A {
        turnedAway += 1
        #expect(new == nil && !Self.referenceGuardPasses(text), "\(text.debugDescription)")
      }
    }
    #expect(parsed >= 3 && turnedAway >= 1000, "\(parsed) \(turnedAway)")
  }
}

@Suite struct KubeletJSONLineTests {
  /// `KubeletLogParser.isJSONLine` as it was, kept as the reference: its prefix made on every
  /// call.
  static func referenceIsJSONLine(_ b: [UInt8], from start: Int) -> Bool {
    let prefix: [UInt8] = Array(#"{"ts":"#.utf8)
    return b.count - start > prefix.count && b[start..<(start + prefix.count)].elementsEqual(prefix)
  }

  @Test func aJSONLineIsWhatTheReferenceSays() {
    let made = [
      #"{"ts":1700000000000,"msg":"x"}"#, #"{"ts":"#, #"{"ts":1"#, #"  {"ts":1,"v":0}"#, #"{"t":1}"#, #"{"ts" :1}"#,
    ]
    var json = 0
    for text in made + FirstWordBytesInputs.made + BundleSniffGateInputs.texts {
      let b = Array(text.utf8)
      for start in Set([0, min(2, b.count), b.count]) {
        let new = KubeletLogParser.isJSONLine(b, from: start)
        #expect(new == Self.referenceIsJSONLine(b, from: start), "\(start) \(text.debugDescription)")
        if new { json += 1 }
      }
    }
    #expect(json >= 3, "\(json)")
  }
}

@Suite struct NodeLogSplitGateTests {
  /// `NodeLogParser.split` as it was (without a logfmt time, as the sniffer asks), kept as the
  /// reference: every line not in brackets made a string and asked for its prefixes and its first
  /// space.
  static func referenceSplit(_ b: [UInt8]) -> (form: NodeLogParser.Form, time: Date?, body: String)? {
    if b.first == 0x5B, let close = b.firstIndex(of: 0x5D), close < 40 {
      let inside = String(decoding: b[1..<close], as: UTF8.self)
      let bodyStart = close + 1 < b.count && b[close + 1] == 0x20 ? close + 2 : close + 1
      let body = String(decoding: b[min(bodyStart, b.count)...], as: UTF8.self)
      if b[1..<close].contains(0x2E) {
        let trimmed = inside.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.allSatisfy({ $0.isNumber || $0 == "." }), trimmed.contains(".") {
          return (.dmesg, nil, body)
        }
      }
      if let date = NodeLogParser.ctime(inside) { return (.dmesg, date, body) }
      return nil
    }
    let text = String(decoding: b, as: UTF8.self)
    if text.hasPrefix("level=") || text.hasPrefix("time=\"") {
      let logfmt = ASCIISearch.contains("msg=", in: text) ?? text.contains("msg=")
      return logfmt ? (.logfmt, nil, text) : nil
    }
    if let space = ASCIISearch.firstIndex(of: " ", in: text[...]) ?? text.firstIndex(of: " "), space > text.startIndex {
      let rest = text[text.index(after: space)...]
      if NodeLogParser.startsWithEventKind(rest), let time = NodeLogParser.RFC3339Time(String(text[..<space])) {
        return (.dockerEvent, time, String(rest))
      }
    }
    return nil
  }

  @Test func aLineSplitsAsTheReferenceSplitsIt() {
    let made = [
      "level=info msg=\"x\"", "time=\"2026-11-27T00:00:00Z\" level=info msg=x", "l\u{301}evel=info msg=x",
      "\u{FF4C}evel=info msg=x", "2026-11-27T00:00:00.5Z container start abc (image=x, name=y)",
      "2026-11-27T00:00:00Z image pull x", "٢026-11-27T00:00:00Z container start abc",
      "\u{FF12}026-11-27T00:00:00Z container start abc", "2\u{301}026-11-27T00:00:00Z container die abc",
      "[ 7063.247407] x", "[Thu Dec  7 00:05:14 2017] x", "I1127 00:00:00.000000 1 main.go:1] x", "{\"ts\":1}",
      "\r\nlevel=info msg=x", "\tlevel=info msg=x", "\u{212A}evel=info msg=x", "\u{130}ime=\"x\" msg=y",
    ]
    var split = 0
    var turnedAway = 0
    for text in made + FirstWordBytesInputs.made + BundleSniffGateInputs.texts {
      let b = Array(text.utf8)
      let new = NodeLogParser.split(b, readingTime: false)
      let old = Self.referenceSplit(b)
      #expect(new?.form == old?.form && new?.time == old?.time && new?.body == old?.body, "\(text.debugDescription)")
      if new != nil { split += 1 }
      if let f = b.first, f < 0x80, f != 0x6C, f != 0x74, f < 0x30 || f > 0x39, f != 0x5B {
        turnedAway += 1
        // The time read or not, such a line does not split.
        #expect(NodeLogParser.split(b) == nil, "\(text.debugDescription)")
      }
    }
    #expect(split >= 10 && turnedAway >= 1000, "\(split) \(turnedAway)")
  }
}

@Suite struct ContainerEntryGateTests {
  /// Every line the first byte turns away is one `ContainerLogParser.entry`, kept unchanged and
  /// asked here as the reference, reads as no entry; every other line is still asked it.
  @Test func aLineTurnedAwayIsNoEntry() {
    let made = [
      "2026-11-27T01:02:03.4567Z stdout F text", "2026-11-27T01:02:03Z stderr P x",
      "{\"log\":\"x\\n\",\"stream\":\"stderr\",\"time\":\"2016-10-20T18:39:20.57606443Z\"}",
      "٢026-11-27T01:02:03Z stdout F x",
      "\u{FF5B}\"log\":\"x\"}", " 2026-11-27T01:02:03Z stdout F x", "\u{FEFF}2026-11-27T01:02:03Z stdout F x",
    ]
    var entries = 0
    var turnedAway = 0
    for text in made + FirstWordBytesInputs.made + BundleSniffGateInputs.texts {
      let entry = ContainerLogParser.entry(Array(text.utf8))
      if entry != nil { entries += 1 }
      if !ContainerLogParser.mayBeEntry(text) {
        turnedAway += 1
        #expect(entry == nil, "\(text.debugDescription)")
      }
    }
    #expect(entries >= 2 && turnedAway >= 1000, "\(entries) \(turnedAway)")
  }
}
