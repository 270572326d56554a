import Foundation
import PodmortemModel
import PodmortemText

/// Reduces event messages to templates, so forty readiness failures against forty pod IPs read
/// as one line: `Readiness probe failed: Get "http://<ip>:<port>/ready": dial tcp <ip>:<port>: …`.
///
/// Plain byte scanning, no regex. At a word boundary it replaces, in this order: UIDs (`<uid>`),
/// IPv4 addresses with an optional port (`<ip>`, `<ip>:<port>`), Go durations (`1.234s`, `5m0s`
/// → `<duration>`), generated pod-name suffixes (`web-6f9c8d7b5-kq2lp` → `web-<hash>`), long hex
/// strings (`<hex>`), a port after a host name (`:<port>`) and any other number (`<n>`). Letters
/// glued to digits (`v1`, `ipv4`, `10Mi`) stay as they are. IPv6 addresses are not recognised
/// (their numeric groups become `<n>`).
package enum MessageTemplate {
  /// How many distinct messages a templated event keeps as exemplars.
  package static let exemplarLimit = 3

  /// Sets `template` and `exemplars` on every event whose template (with the same type and reason)
  /// stands for at least two distinct messages. Combined events are left alone.
  /// `events` is consumed, so the events are changed in place, not in a copy of the array.
  package static func assign(_ events: consuming [MergedEvent]) -> [MergedEvent] {
    var out = consume events
    // Each event's group is remembered by its number (-1: a combined event), so the second pass
    // reads it from an array instead of building and hashing the group's key again (issue 16, perf).
    var groupOf: [Int] = []
    groupOf.reserveCapacity(out.count)
    var numbers: [Key: Int] = [:]
    var groups: [Group] = []
    // A message seen before with the same type and reason, byte for byte, is in the group it was
    // put in then: templating it again would give the same bytes, the same key and the same
    // group, and inserting it into that group's set again changes nothing. An EventList repeats
    // most of its messages (the 8 MiB slice: 2,687 distinct in 6,648), so each is templated and
    // its group's key hashed once (docs/architecture.md "Speed of the EventList path").
    var seen = SeenMessages()
    // The event's message, reason and type are read once each: every read through the event's
    // getters copied the string (retained and released), about eleven an event.
    for index in out.indices {
      let message = out[index].message
      guard !message.hasPrefix(EventIdentity.combinedPrefix) else {
        groupOf.append(-1)
        continue
      }
      let type = out[index].type.description
      let reason = out[index].reason
      let hash = SeenMessages.hash(type: type, reason: reason, message: message)
      if let known = seen.group(hash: hash, where: { same(out[$0], type: type, reason: reason, message: message) }) {
        groupOf.append(known)
        continue
      }
      let t = template(message)
      let key = Key(type: type, reason: reason, template: t)
      let number: Int
      if let known = numbers[key] {
        number = known
      } else {
        number = groups.count
        numbers[key] = number
        groups.append(Group(template: t))
      }
      let remembered = seen.add(hash: hash, event: index, group: number)
      groupOf.append(number)
      groups[number].messages.append(message)
      if groups[number].plain,
        !(remembered && ASCIISearch.isContiguousASCII(message) && ASCIISearch.isContiguousASCII(reason)
          && ASCIISearch.isContiguousASCII(type))
      {
        groups[number].plain = false
      }
    }
    seen = SeenMessages()
    numbers = [:]
    // Each group's template is given to its events as one string, the key's: a template shared by
    // thousands of events is stored once, not once per event.
    var exemplars: [(template: String, messages: [String])?] = Array(repeating: nil, count: groups.count)
    var any = false
    for (number, group) in groups.enumerated() where group.messages.count >= 2 {
      if group.plain {
        exemplars[number] = (group.template, smallest(exemplarLimit, of: group.messages))
      } else {
        let distinct = Set(group.messages)
        guard distinct.count >= 2 else { continue }
        exemplars[number] = (group.template, smallest(exemplarLimit, of: distinct))
      }
      any = true
    }
    groups = []
    guard any else { return out }
    for i in out.indices {
      guard groupOf[i] >= 0, let chosen = exemplars[groupOf[i]] else { continue }
      out[i].template = chosen.template
      out[i].exemplars = chosen.messages
    }
    return out
  }

  /// The `k` smallest of `messages`, ascending: `messages.sorted().prefix(k)` without sorting
  /// them all (a group of readiness failures against thousands of pod IPs holds thousands). Only
  /// when every message is ASCII, where `<` orders bytes, a total order in which the `k` smallest
  /// are one answer; on other text `String`'s `<` was seen not to be transitive (a decomposed and a
  /// precomposed `é`), where the sort's answer depends on its steps, so the sort gives it.
  static func smallest(_ k: Int, of messages: some Collection<String>) -> [String] {
    // Each message's bytes tested eight at a time where they lie (a byte at a time was about a
    // tenth of the exemplars' cost on an EventList's groups of thousands of messages).
    let ascii = messages.allSatisfy { m in
      m.utf8.withContiguousStorageIfAvailable { ASCIISearch.isASCII($0) } ?? m.utf8.allSatisfy { $0 < 0x80 }
    }
    guard ascii else { return Array(messages.sorted().prefix(k)) }
    var kept: [String] = []
    kept.reserveCapacity(k + 1)
    for m in messages {
      if kept.count == k, let last = kept.last, !(m < last) { continue }
      kept.insert(m, at: kept.firstIndex { m < $0 } ?? kept.endIndex)
      if kept.count > k { kept.removeLast() }
    }
    return kept
  }

  /// A group's template and its messages, each added the first time it is met with its type and
  /// reason, byte for byte. While `plain`, every message added is ASCII, met with an ASCII type
  /// and reason and remembered by `SeenMessages`: two such messages of one group that were the same
  /// bytes would have had the same type and reason bytes too (the group's key holds them, and on
  /// ASCII `==` is the bytes' equality), so the second would have been met before and not added.
  /// The messages of a plain group are then distinct strings, as a `Set<String>` would keep them,
  /// and its count and smallest messages are the set's; any other group's are taken from a `Set`
  /// of its messages. The set of every group, hashed as each message was added, was 5.4M
  /// instructions of the 8 MiB EventList's 39.4M in `assign` (docs/architecture.md "Speed of the
  /// EventList path"; `GroupMessagesTests` holds `assign` to the sets).
  private struct Group {
    var template: String
    var messages: [String] = []
    var plain = true
  }

  /// What messages are grouped by: a struct, not an array built per event.
  private struct Key: Hashable {
    var type: String
    var reason: String
    var template: String
  }

  /// Whether an event's type, reason and message are the same bytes as those given. Not the same strings: two
  /// spellings of one text (a decomposed and a precomposed `é`) are one string but may template
  /// to keys that are not equal, so each spelling is templated on its own, as every message was
  /// before.
  private static func same(_ a: MergedEvent, type: String, reason: String, message: String) -> Bool {
    UTF8Bytes.same(a.message, message) && UTF8Bytes.same(a.reason, reason) && UTF8Bytes.same(a.type.description, type)
  }

  /// The messages `assign` has met, by type, reason and message bytes, each with the event it was
  /// first met in and its group: open-addressed places by a mix of the bytes (`UTF8Bytes.mixed`),
  /// grown by doubling at half full. A `Dictionary` of the three strings hashed each with SipHash,
  /// about 1,200 instructions a look on the 8 MiB EventList (callgrind).
  struct SeenMessages {
    private var places = [Int32](repeating: -1, count: 1_024)
    private var hashes: [UInt64] = []
    private var events: [Int] = []
    private var groups: [Int] = []
    /// Set once a growth left an entry out of the places (`grow`).
    private var leftOut = false

    static func hash(type: String, reason: String, message: String) -> UInt64 {
      let h = UTF8Bytes.mixed(message) ^ (UTF8Bytes.mixed(reason) &* 0xC2B2_AE3D_27D4_EB4F)
      return h ^ (UTF8Bytes.mixed(type) &* 0x1656_67B1_9E37_79F9)
    }

    /// How many places a look or a placing walks at most. The mix has no secret seed and a
    /// message is whatever the input says, so a list can be written whose messages all mix alike,
    /// and an unbounded walk would pass every one held for every one asked (docs/architecture.md
    /// "Speed of the EventList path", "The slots' walk bounded"). Past the walk a message is not
    /// found, and not remembered: it is templated as without the memo.
    static let longestWalk = 64

    /// The group of the first event added with `hash` for which `isSame` holds, among those
    /// placed within `longestWalk` places of their home.
    func group(hash: UInt64, where isSame: (Int) -> Bool) -> Int? {
      let mask = places.count - 1
      var at = Int(truncatingIfNeeded: hash >> 7) & mask
      var walked = 0
      while places[at] >= 0, walked <= Self.longestWalk {
        let entry = Int(places[at])
        if hashes[entry] == hash, isSame(events[entry]) { return groups[entry] }
        at = (at + 1) & mask
        walked += 1
      }
      return nil
    }

    /// Whether the event was remembered: false past 2^31 - 1 distinct messages, for one whose
    /// place would lie further than `longestWalk` from its home, and for every one once a growth
    /// left a message out (`grow`). A message remembered is found again by `group` for as long as
    /// nothing was left out; `assign` counts on it (a plain group's messages are distinct only
    /// while each remembered one is found again, `Group`).
    @discardableResult
    mutating func add(hash: UInt64, event: Int, group: Int) -> Bool {
      // More than 2^31 - 1 distinct messages cannot be numbered in a place; past that they are
      // not remembered, and are templated each time, as without the memo.
      guard !leftOut, hashes.count < Int(Int32.max) else { return false }
      if (hashes.count + 1) * 2 > places.count { grow() }
      guard let at = place(hash: hash) else { return false }
      hashes.append(hash)
      events.append(event)
      groups.append(group)
      places[at] = Int32(truncatingIfNeeded: hashes.count - 1)
      return true
    }

    /// The first free place within `longestWalk` of `hash`'s home.
    private func place(hash: UInt64) -> Int? {
      let mask = places.count - 1
      var at = Int(truncatingIfNeeded: hash >> 7) & mask
      var walked = 0
      while places[at] >= 0 {
        at = (at + 1) & mask
        walked += 1
        if walked > Self.longestWalk { return nil }
      }
      return at
    }

    /// Twice the places, every entry placed again. An entry whose place would now lie past the
    /// walk is left out: its message is no longer found, so it is templated again when met, and
    /// from then on nothing is remembered (`leftOut`), so that it is not taken for a message met
    /// for the first time.
    private mutating func grow() {
      places = [Int32](repeating: -1, count: places.count * 2)
      for entry in hashes.indices {
        if let at = place(hash: hashes[entry]) {
          places[at] = Int32(truncatingIfNeeded: entry)
        } else {
          leftOut = true
        }
      }
    }
  }

  /// The template of `message`.
  package static func template(_ message: String) -> String {
    var s = Scanner(Array(message.utf8))
    return s.run()
  }

  private struct Scanner {
    let b: [UInt8]
    var out: [UInt8] = []
    var i = 0

    init(_ bytes: [UInt8]) {
      b = bytes
      out.reserveCapacity(bytes.count)
    }

    mutating func run() -> String {
      while i < b.count {
        if mayStart(at: i), let (end, token) = variable(at: i) {
          out.append(contentsOf: token.utf8)
          i = end
        } else {
          // The byte stays, and so does every byte after it up to the next that may begin a
          // variable part: they are copied as one run, not tried and appended one at a time.
          let start = i
          i += 1
          while i < b.count {
            // A byte that is no hex digit, `:` or `-` begins no part whatever precedes it.
            let c = b[i]
            if isHex(c) || c == UInt8(ascii: ":") || c == UInt8(ascii: "-"), mayStart(at: i) { break }
            i += 1
          }
          b.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<i])) }
        }
      }
      return String(decoding: out, as: UTF8.self)
    }

    /// False only where `variable(at: j)` is nil, read from two bytes: after a word it answers
    /// only at `-` (`podSuffix`) or `:` (`port`); elsewhere only at `:` (a port after `]`) or at a
    /// hex digit, which every other part begins with (`uuid` and `hex` a hex digit, `ipv4`,
    /// `duration` and `number` a decimal one). Trying every byte was about 75 instructions a
    /// byte of an event message; most bytes are letters inside words (docs/architecture.md
    /// "Speed of the EventList path"; `MessageTemplateSkipTests` holds the result to the
    /// byte-by-byte scanner).
    @inline(__always)
    private func mayStart(at j: Int) -> Bool {
      let c = b[j]
      if j > 0 && isWord(b[j - 1]) { return c == UInt8(ascii: "-") || c == UInt8(ascii: ":") }
      return c == UInt8(ascii: ":") || isHex(c)
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
      // What is left to begin here without a decimal digit is a uid or a hex string, and each
      // begins with a run of at least eight hex digits (a uid's first group is eight, the whole
      // run): a shorter run, as at most words that begin with `a`–`f`, begins nothing, and the
      // five tries after it each gave nil (docs/architecture.md "Speed of the EventList path";
      // `MessageTemplateSkipTests` holds the result to the byte-by-byte scanner).
      if !isDigit(b[j]), run(from: j, while: isHex) - j < 8 { return nil }
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
      // The widths 8, 4, 4, 4, 12 by group, without an array made for each call.
      for n in 0..<5 {
        let width = n == 0 ? 8 : n == 4 ? 12 : 4
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
    private func isSafe(_ c: UInt8) -> Bool { MessageTemplate.isSafe(c) }
  }

  /// The alphabet Kubernetes writes generated name suffixes in (`bcdfghjklmnpqrstvwxz2456789`,
  /// apimachinery's `rand.SafeEncodeString`), as a bit per ASCII byte: a test of a set of bytes
  /// hashed each byte (`MessageTemplateTests` holds the bits to the alphabet).
  static func isSafe(_ c: UInt8) -> Bool {
    c < 64 ? (safeLow >> UInt64(c)) & 1 == 1 : c < 128 ? (safeHigh >> UInt64(c - 64)) & 1 == 1 : false
  }

  static let safeAlphabet = "bcdfghjklmnpqrstvwxz2456789"
  private static let safeLow: UInt64 = 0x03F4_0000_0000_0000
  private static let safeHigh: UInt64 = 0x05DF_7DDC_0000_0000
}
