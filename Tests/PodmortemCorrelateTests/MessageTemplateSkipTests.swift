import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemCorrelate

/// `MessageTemplate.template` tries a variable part only at a byte that may begin one
/// (`Scanner.mayStart`) and copies the bytes between as runs (issue 16, perf). It must give
/// exactly the template the byte-by-byte scanner gave, which `ReferenceScanner` below is: the
/// scanner as it was before, kept whole as the reference the new one is held to (it tried every
/// part at every byte and appended byte by byte). Compared on every line of the repository's
/// samples and on seeded random messages built from the pieces the parts are made of, next to
/// hostile text (a Kelvin sign, a dotted capital I, combining accents, CR, NUL, tabs, `µs`,
/// invalid UTF-8 never arises from a `String`).
@Suite struct MessageTemplateSkipTests {
  static func reference(_ message: String) -> String {
    var s = ReferenceScanner(Array(message.utf8))
    return s.run()
  }

  /// Every line of every text file under samples/, and each line cut at a few places.
  @Test func samplesTemplateAsBefore() throws {
    let lines = ShippedSamples.lines()
    for message in lines {
      #expect(MessageTemplate.template(message) == Self.reference(message), "\(message.debugDescription)")
    }
    #expect(lines.count > 10_000)
  }

  private static let pieces = [
    "a", "f", "F", "g", "z", "Z", "0", "1", "3", "7", "9", "12", "255", "1000", "65535", "123456", "-", "--", ":", ".",
    "]", "[", " ", "_", "/", "\"", "(", ")", "=", "10.244.1.17", "1.2.3.4.5", "10.0.0.5:8080", "1.25", "5m0s", "1.234s",
    "300ms", "2us", "7ns", "4µs", "1h2m3s", "6d7c1a2e-8f3b-4c5d-9e0f-123456789abc", "deadbeef", "3f5a9c0e12b4d6e8",
    "abcdefab", "12345678", "web-6f9c8d7b5-kq2lp", "fluentd-x7k2p", "-x7k2p", "-bcdfg", "-6f9c8d7b5", "kq2lp", "nginx",
    "v1", "ipv4", "10Mi", "http://", "[fd00::1]", "Readiness probe failed: ", "Back-off ", "\u{212A}", "\u{130}",
    "e\u{301}", "\u{E9}", "\u{301}", "\r", "\r\n", "\n", "\u{0}", "\t", "日本", "µ", "\u{B5}s", "\u{7F}", "\u{85}",
  ]

  @Test func randomMessagesTemplateAsBefore() {
    var rng = SplitMix64(seed: 16_171)
    for round in 0..<30_000 {
      // Mostly short messages; every 500th a long one (thousands of pieces).
      let count = round % 500 == 499 ? 2_000 + Int(rng.next() % 2_000) : Int(rng.next() % 24)
      var message = ""
      for _ in 0..<count { message += Self.pieces[Int(rng.next() % UInt64(Self.pieces.count))] }
      #expect(MessageTemplate.template(message) == Self.reference(message), "\(message.debugDescription)")
    }
    for message in ["", " ", "-", ":", "]:1", "a:1", "0", "\u{0}", String(repeating: "9", count: 100_000)] {
      #expect(MessageTemplate.template(message) == Self.reference(message), "\(message.debugDescription)")
    }
  }

  /// A part that begins without a decimal digit is tried only after a run of eight or more hex
  /// digits (`Scanner.variable`): runs of hex letters and digits of every length around eight,
  /// beginning with a letter of either case or a digit, alone, as a uid's first group, glued to
  /// words, dots, colons, dashes and hostile text.
  @Test func hexRunsAroundEightTemplateAsBefore() {
    var rng = SplitMix64(seed: 16_172)
    let hex = Array("0123456789abcdefABCDEF")
    let around = [
      "", " ", "-", ":", ".", "x", "g", "_", "]", "1", "a", "\u{212A}", "e\u{301}", "\u{0}", "\r", "\t", ".5", ":80",
    ]
    for _ in 0..<20_000 {
      var message = around[Int(rng.next() % UInt64(around.count))]
      for _ in 0..<(1 + Int(rng.next() % 4)) {
        let width = 5 + Int(rng.next() % 8)
        var run = ""
        for _ in 0..<width { run.append(hex[Int(rng.next() % UInt64(hex.count))]) }
        if rng.next() % 3 == 0 { run += "-abcd-ef01-2345-6789abcdef01" }
        message += run + around[Int(rng.next() % UInt64(around.count))]
      }
      #expect(MessageTemplate.template(message) == Self.reference(message), "\(message.debugDescription)")
    }
  }
}

/// The reference: `MessageTemplate`'s scanner as it was before `mayStart` (issue 16), kept whole
/// and unchanged so the faster scanner is compared with what it replaced, not with itself.
private struct ReferenceScanner {
  let b: [UInt8]
  var out: [UInt8] = []
  var i = 0

  init(_ bytes: [UInt8]) {
    b = bytes
    out.reserveCapacity(bytes.count)
  }

  mutating func run() -> String {
    while i < b.count {
      if let (end, token) = variable(at: i) {
        out.append(contentsOf: Array(token.utf8))
        i = end
      } else {
        out.append(b[i])
        i += 1
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The end of a variable part starting at `j` and what replaces it.
  private func variable(at j: Int) -> (Int, String)? {
    let afterWord = j > 0 && isWord(b[j - 1])
    if afterWord {
      if b[j] == UInt8(ascii: "-"), let e = podSuffix(at: j) { return (e, "-<hash>") }
      if b[j] == UInt8(ascii: ":"), let e = port(at: j) { return (e, ":<port>") }
      return nil
    }
    if b[j] == UInt8(ascii: ":"), j > 0, b[j - 1] == UInt8(ascii: "]"), let e = port(at: j) { return (e, ":<port>") }
    if let e = uuid(at: j) { return (e, "<uid>") }
    if let e = ipv4(at: j) {
      if let p = port(at: e) { return (p, "<ip>:<port>") }
      return (e, "<ip>")
    }
    if let e = duration(at: j) { return (e, "<duration>") }
    if let e = hex(at: j) { return (e, "<hex>") }
    if let e = number(at: j) { return (e, "<n>") }
    return nil
  }

  // A variable part must end where a word ends, or `10Mi` would become `<n>Mi`.
  private func endsWord(_ e: Int) -> Bool { e >= b.count || !isWord(b[e]) }

  private func run(from j: Int, while test: (UInt8) -> Bool) -> Int {
    var e = j
    while e < b.count, test(b[e]) { e += 1 }
    return e
  }

  /// `8-4-4-4-12` hex digits.
  private func uuid(at j: Int) -> Int? {
    var e = j
    for (n, width) in [8, 4, 4, 4, 12].enumerated() {
      if n > 0 {
        guard e < b.count, b[e] == UInt8(ascii: "-") else { return nil }
        e += 1
      }
      let end = run(from: e, while: isHex)
      guard end - e == width else { return nil }
      e = end
    }
    return endsWord(e) ? e : nil
  }

  /// Four dot-separated groups of one to three digits, not followed by another `.digit`.
  private func ipv4(at j: Int) -> Int? {
    var e = j
    for n in 0..<4 {
      if n > 0 {
        guard e < b.count, b[e] == UInt8(ascii: ".") else { return nil }
        e += 1
      }
      let end = run(from: e, while: isDigit)
      guard (1...3).contains(end - e) else { return nil }
      e = end
    }
    if e + 1 < b.count, b[e] == UInt8(ascii: "."), isDigit(b[e + 1]) { return nil }
    return endsWord(e) ? e : nil
  }

  /// `:` and one to five digits.
  private func port(at j: Int) -> Int? {
    guard j < b.count, b[j] == UInt8(ascii: ":") else { return nil }
    let end = run(from: j + 1, while: isDigit)
    guard (1...5).contains(end - j - 1), endsWord(end) else { return nil }
    // `nginx:1.25` is a tag, not a port.
    if end + 1 < b.count, b[end] == UInt8(ascii: "."), isDigit(b[end + 1]) { return nil }
    return end
  }

  /// A Go `time.Duration` string: one or more `<number>[.<digits>]<unit>` with units h, m, s,
  /// ms, us, µs, ns (docs/kubernetes.md §2).
  private func duration(at j: Int) -> Int? {
    var e = j
    var parts = 0
    while e < b.count, isDigit(b[e]) {
      var k = run(from: e, while: isDigit)
      if k + 1 < b.count, b[k] == UInt8(ascii: "."), isDigit(b[k + 1]) { k = run(from: k + 1, while: isDigit) }
      guard let u = unit(at: k) else { break }
      e = u
      parts += 1
    }
    return parts > 0 && endsWord(e) ? e : nil
  }

  private func unit(at k: Int) -> Int? {
    guard k < b.count else { return nil }
    let c = b[k]
    let next: UInt8? = k + 1 < b.count ? b[k + 1] : nil
    if (c == UInt8(ascii: "m") || c == UInt8(ascii: "u") || c == UInt8(ascii: "n")), next == UInt8(ascii: "s") {
      return k + 2
    }
    // µ is 0xC2 0xB5 in UTF-8.
    if c == 0xC2, next == 0xB5, k + 2 < b.count, b[k + 2] == UInt8(ascii: "s") { return k + 3 }
    if c == UInt8(ascii: "h") || c == UInt8(ascii: "m") || c == UInt8(ascii: "s") { return k + 1 }
    return nil
  }

  /// `-<hash>-<5>` (a ReplicaSet pod) or `-<5>` with a digit (a DaemonSet or Job pod), in the
  /// alphabet Kubernetes uses for generated names: no vowels, no 0/1/3 (`SafeEncodeString`).
  private func podSuffix(at j: Int) -> Int? {
    let firstEnd = run(from: j + 1, while: isSafe)
    let first = firstEnd - j - 1
    guard endsWordOrDash(firstEnd) else { return nil }
    if (6...10).contains(first), firstEnd < b.count, b[firstEnd] == UInt8(ascii: "-") {
      let secondEnd = run(from: firstEnd + 1, while: isSafe)
      if secondEnd - firstEnd - 1 == 5, endsWord(secondEnd) { return secondEnd }
    }
    if first == 5, endsWord(firstEnd), b[(j + 1)..<firstEnd].contains(where: isDigit) { return firstEnd }
    return nil
  }

  private func endsWordOrDash(_ e: Int) -> Bool { endsWord(e) || b[e] == UInt8(ascii: "-") }

  /// Eight or more hex digits mixing letters and digits (container IDs, event-name suffixes).
  private func hex(at j: Int) -> Int? {
    let end = run(from: j, while: isHex)
    guard end - j >= 8, endsWord(end) else { return nil }
    let token = b[j..<end]
    guard token.contains(where: isDigit), token.contains(where: { !isDigit($0) }) else { return nil }
    return end
  }

  private func number(at j: Int) -> Int? {
    guard j < b.count, isDigit(b[j]) else { return nil }
    var e = run(from: j, while: isDigit)
    if e + 1 < b.count, b[e] == UInt8(ascii: "."), isDigit(b[e + 1]) { e = run(from: e + 1, while: isDigit) }
    return endsWord(e) ? e : nil
  }

  private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
  private func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }
  private func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }
  // `_` separates words: the kubelet writes `pod_namespace(uid)`.
  private func isWord(_ c: UInt8) -> Bool { isDigit(c) || isLetter(c) }
  private func isSafe(_ c: UInt8) -> Bool { Self.safeAlphabet.contains(c) }

  private static let safeAlphabet = Set(Array("bcdfghjklmnpqrstvwxz2456789".utf8))
}
