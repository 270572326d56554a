import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `LeadKeys.find` reads a line once for all the keys that begin with the same byte, comparing a
/// key as one masked word (docs/architecture.md "Speed of the EventList path"): on seeded random
/// lines it must answer what `referenceKeys`, the search it replaced, answered, and what
/// `contains(_:_:)` answered key by key (the code that search replaced).
@Suite struct EvidencePickerOnePassTests {
  /// The reference: `EvidencePicker.keys(in:lead:message:name:)` as it was before `LeadKeys`,
  /// kept here to hold the word comparison to it. Each `lead` byte `memchr` finds was compared
  /// with every key still wanted by `memcmp`.
  static func referenceKeys(
    in bytes: UnsafeBufferPointer<UInt8>, lead: UInt8, message: [[UInt8]], name: [[UInt8]]
  ) -> (Bool, Bool) {
    var hasMessage = false
    var hasName = false
    guard let base = bytes.baseAddress else { return (false, false) }
    func occurs(_ key: [UInt8], at offset: Int) -> Bool {
      key.count <= bytes.count - offset
        && key.withUnsafeBufferPointer { k in k.baseAddress.map { memcmp(base + offset, $0, k.count) == 0 } ?? true }
    }
    var at = 0
    while at < bytes.count, (!message.isEmpty && !hasMessage) || (!name.isEmpty && !hasName) {
      guard let hit = memchr(base + at, Int32(lead), bytes.count - at) else { break }
      at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
      if !hasMessage { hasMessage = message.contains { occurs($0, at: at) } }
      if !hasName { hasName = name.contains { occurs($0, at: at) } }
      at += 1
    }
    return (hasMessage, hasName)
  }

  /// The reference: `LeadKeys.find` as it was before it was written without closures (its
  /// second bytes an array, the compare a nested function inside two `withUnsafeBufferPointer`
  /// closures), kept here to hold the new one to it.
  static func referenceFind(
    _ leadKeys: LeadKeys, in line: UnsafeBufferPointer<UInt8>, message: Bool, name: Bool
  ) -> (Bool, Bool) {
    let lead = leadKeys.lead
    let seconds = leadKeys.seconds
    var hasMessage = false
    var hasName = false
    guard let base = line.baseAddress else { return (false, false) }
    let n = line.count
    let raw = UnsafeRawPointer(base)
    leadKeys.keys.withUnsafeBufferPointer { keys in
      leadKeys.bytes.withUnsafeBufferPointer { bytes in
        guard let keyBase = bytes.baseAddress else { return }
        /// Compares the keys still wanted with the bytes at `at`, a `lead` byte; true when
        /// every key wanted is found.
        func test(at: Int) -> Bool {
          let left = n - at
          let word = left >= 8 ? UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)) : 0
          for key in keys {
            guard key.isMessage ? message && !hasMessage : name && !hasName, key.count <= left else { continue }
            let occurs: Bool
            if left >= 8 {
              occurs =
                word & key.mask == key.word
                && (key.count <= 8 || memcmp(base + at + 8, keyBase + key.start + 8, key.count - 8) == 0)
            } else {
              occurs = memcmp(base + at, keyBase + key.start, key.count) == 0
            }
            if occurs {
              if key.isMessage { hasMessage = true } else { hasName = true }
            }
          }
          return !((message && !hasMessage) || (name && !hasName))
        }
        var at = 0
        if let seconds {
          // Eight places a step: a place is a candidate when its byte is `lead` and the next is
          // a key's second byte (`ByteWords.exactZeroBytes` marks exactly the bytes that match); a step needs
          // nine bytes, so at most eight are left to the byte loop below.
          let leads = 0x0101_0101_0101_0101 &* UInt64(lead)
          while at + 9 <= n {
            let here = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
            let next = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at + 1, as: UInt64.self))
            var follows: UInt64 = 0
            for second in seconds { follows |= ByteWords.exactZeroBytes(next ^ second) }
            var candidates = ByteWords.exactZeroBytes(here ^ leads) & follows
            while candidates != 0 {
              if test(at: at + candidates.trailingZeroBitCount >> 3) { return }
              candidates &= candidates &- 1
            }
            at += 8
          }
          while at < n {
            if base[at] == lead, test(at: at) { return }
            at += 1
          }
          return
        }
        while at < n, (message && !hasMessage) || (name && !hasName) {
          guard let hit = memchr(base + at, Int32(lead), n - at) else { break }
          at = raw.distance(to: UnsafeRawPointer(hit))
          _ = test(at: at)
          at += 1
        }
      }
    }
    return (hasMessage, hasName)
  }

  @Test func answersAsTheReferenceAndEachKeyAlone() {
    var rng = SplitMix64(seed: 1704)
    // Keys shorter than a word, of exactly eight bytes, and longer (`"message"` is nine).
    let sets: [(message: [String], name: [String])] = [
      (["\"message\"", "\"note\""], ["\"name\""]), (["\"message\""], []), ([], ["\"name\""]),
      (["\"note\"", "\"message\""], ["\"nam\"", "\"name\""]), (["\"abcdef\""], ["\"", "\"x"]),
      (["\"reasonForIt\"", "\"r\""], ["\"nameKeyX\""]),
      // Five second bytes, and a key of one byte: read with `memchr`, not eight places a step.
      (["\"a\"", "\"b\""], ["\"c\"", "\"d\"", "\"e\""]), (["\"message\""], ["\""]),
    ]
    let pieces = [
      "\"message\"", "\"mess", "age\"", "\"name\"", "\"nam", "\"note\"", "\"note", "\"", "\"\"", ": ", "    ", "\t",
      "é", "日本", "\u{301}", "x", "{", "},", "\"app-009886\"", "\r", "message", "name\"", "\u{212A}", "\u{130}",
      "\0", "\"abcdef\"", "\"reasonForIt\"", "\"reasonFor", "\"nameKeyX\"", "\"nameKey", "\"r\"",
      "\"m", "\"n", "\"a\"", "\"c\"", "\"e", "\"\"n",
    ]
    var messages = 0
    var names = 0
    for round in 0..<60_000 {
      var text = ""
      for _ in 0..<rng.below(round < 30_000 ? 9 : 40) { text += pieces[rng.below(pieces.count)] }
      let set = sets[rng.below(sets.count)]
      let message = set.message.map { Array($0.utf8) }
      let name = set.name.map { Array($0.utf8) }
      let wantsMessage = rng.below(4) != 0
      let wantsName = rng.below(4) != 0
      let keys = LeadKeys(lead: 0x22, message: message, name: name)
      let bytes = Array(text.utf8)
      // Every suffix of a few lines, so the keys fall at every distance from the line's end.
      for start in round % 8 == 0 ? Array(0...bytes.count) : [0] {
        let line = Array(bytes[start...])
        let answer = line.withUnsafeBufferPointer { keys.find(in: $0, message: wantsMessage, name: wantsName) }
        let reference = line.withUnsafeBufferPointer {
          Self.referenceKeys(
            in: $0, lead: 0x22, message: wantsMessage ? message : [], name: wantsName ? name : [])
        }
        let expected = line.withUnsafeBufferPointer { b in
          (
            wantsMessage && message.contains { EvidencePicker.contains(b, $0) },
            wantsName && name.contains { EvidencePicker.contains(b, $0) }
          )
        }
        let before = line.withUnsafeBufferPointer {
          Self.referenceFind(keys, in: $0, message: wantsMessage, name: wantsName)
        }
        #expect(answer == before, "\(text.debugDescription) \(set) from \(start)")
        #expect(answer == reference, "\(text.debugDescription) \(set) from \(start)")
        #expect(answer == expected, "\(text.debugDescription) \(set) from \(start)")
        if expected.0 { messages += 1 }
        if expected.1 { names += 1 }
      }
    }
    #expect(messages > 5_000)
    #expect(names > 5_000)
  }

  /// Every line of every sample, with the picker's own keys.
  @Test func answersAsTheReferenceOnTheSamples() throws {
    let message = ["\"message\"", "\"note\""].map { Array($0.utf8) }
    let name = [Array("\"name\"".utf8)]
    let keys = LeadKeys(lead: 0x22, message: message, name: name)
    // The picker's keys are read eight places a step; the random test above has sets that are not.
    #expect(keys.seconds?.count == 2)
    var lines = 0
    var found = 0
    for (file, data) in ShippedSamples.contents() {
      for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let bytes = Array(line)
        let answer = bytes.withUnsafeBufferPointer { keys.find(in: $0, message: true, name: true) }
        let reference = bytes.withUnsafeBufferPointer {
          Self.referenceKeys(in: $0, lead: 0x22, message: message, name: name)
        }
        let before = bytes.withUnsafeBufferPointer { Self.referenceFind(keys, in: $0, message: true, name: true) }
        #expect(answer == before, "\(file.lastPathComponent): \(String(decoding: bytes, as: UTF8.self))")
        #expect(answer == reference, "\(file.lastPathComponent): \(String(decoding: bytes, as: UTF8.self))")
        lines += 1
        if answer.0 || answer.1 { found += 1 }
      }
    }
    #expect(lines > 10_000)
    #expect(found > 500)
  }

  /// `memberHolds`, the picker's answer for a line the scanner read whole as one member, against
  /// `contains` key by key and for sets of keys: seeded member lines (keys and string values that
  /// are, contain, or nearly are a key; scalars spelled as one; indentation of spaces, tabs and
  /// CR; a comma or none; a Kelvin sign, a dotted capital I, a combining accent, NUL, invalid
  /// bytes), each fed to a scanner inside an object, and lines that are not members (which the
  /// scanner must not give as one); and every line of the samples, fed in order.
  @Test func memberLinesAnswerAsTheSearch() throws {
    let keys = ["\"message\"", "\"note\"", "\"name\"", "\"\"", "\"n\"", "\"nam\""].map { Array($0.utf8) }
    let sets = [[keys[0], keys[1]], [keys[2]], keys, [keys[3]], [keys[4], keys[5]]]
    let quoted = sets.map { $0.compactMap(EvidencePicker.QuotedKey.init) }
    #expect(zip(quoted, sets).allSatisfy { $0.count == $1.count })
    for key in ["\"", "\"a\"b\"", "name", "\"namespaces\"", "\"name"] {
      #expect(EvidencePicker.QuotedKey(Array(key.utf8)) == nil, "\(key)")
    }
    let pieces = [
      "message", "note", "name", "names", "nam", "n", "", "mess", "age", "K\u{212A}", "\u{130}", "e\u{301}", "\u{0}",
      "\t", "\r", " ", ":", ",", "\"", "\\", "{", "}", "\u{FF}",
    ]
    var rng = SplitMix64(seed: 0x4D3B_2026)
    func piece() -> [UInt8] {
      var out: [UInt8] = []
      for _ in 0..<rng.below(3) {
        if rng.below(40) == 0 { out.append(UInt8(truncatingIfNeeded: 0x80 + rng.below(128))) }  // invalid UTF-8
        out += Array(pieces[rng.below(pieces.count)].utf8)
      }
      return out
    }
    func check(_ bytes: [UInt8], _ member: JSONScanner.MemberLine) {
      bytes.withUnsafeBufferPointer { b in
        for (set, quoted) in zip(sets, quoted) {
          let reference = set.contains { EvidencePicker.contains(b, $0) }
          #expect(
            EvidencePicker.memberHolds(quoted, b, member) == reference, "\(String(decoding: bytes, as: UTF8.self))")
        }
      }
    }
    var members = 0
    var holding = 0
    for _ in 0..<40_000 {
      var line: [UInt8] = Array([" ", "    ", "\t", " \r ", ""][rng.below(5)].utf8)
      line += [0x22] + piece() + Array("\": ".utf8)
      line += rng.below(4) == 0 ? piece() : [0x22] + piece() + [0x22]
      if rng.below(2) == 0 { line.append(0x2C) }
      if rng.below(20) == 0 { line += piece() }
      var scanner = JSONScanner()
      scanner.feedLine("{"[...]) { _ in }
      line.withUnsafeBufferPointer { scanner.feedLine(bytes: $0) { _ in } }
      guard let member = scanner.memberLine else { continue }
      members += 1
      check(line, member)
      if line.withUnsafeBufferPointer({ b in keys.contains { EvidencePicker.contains(b, $0) } }) { holding += 1 }
    }
    #expect(members > 5_000)
    #expect(holding > 1_000)
    // A chunk that is not a line gives no member line.
    var scanner = JSONScanner()
    scanner.feedLine("{"[...]) { _ in }
    Array("\"name\": \"web\",".utf8).withUnsafeBytes { scanner.feed($0) { _ in } }
    #expect(scanner.memberLine == nil)

    var sampleMembers = 0
    for (_, data) in ShippedSamples.contents() {
      var scanner = JSONScanner()
      for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
        let bytes = Array(line.last == 0x0D ? line.dropLast() : line)
        bytes.withUnsafeBufferPointer { scanner.feedLine(bytes: $0) { _ in } }
        if let member = scanner.memberLine {
          sampleMembers += 1
          check(bytes, member)
        }
      }
    }
    #expect(sampleMembers > 5_000)
  }
}
