import PodmortemModel

/// The findings' sort keys as bytes in one buffer, for a sort whose subjects are all ASCII.
///
/// `Diagnoser.sorted` wrote each finding's key into a string of its own (an allocation and the
/// standard library's UTF-8 check, about 950 instructions a key) and compared keys as strings
/// (`_stringCompareWithSmolCheck`, about 130 a comparison): on the 8 MiB EventList, whose whole
/// run's findings are sorted once, 5.9M and 4.3M instructions (callgrind; docs/architecture.md
/// "Diagnosis: read a pod once"). An ASCII string's `==` is equality of its bytes and its `<`
/// is their lexicographic order (each byte is a scalar of its own and a character of its own,
/// and ASCII is in normal form, so canonical order is scalar order is byte order). So when every
/// key's bytes are ASCII, the keys are written once into one buffer and compared byte by byte,
/// which answers every comparison as the strings did; a key holding any other byte sends the
/// whole sort back to the strings. `SortKeyBytesTests` holds the bytes to `Diagnoser.sortKey`
/// and the order to the plain comparator on ASCII, mixed and hostile subjects.
struct SortKeyBytes {
  /// Every key's bytes, one after another.
  private let bytes: [UInt8]
  /// Where each key starts in `bytes`, and where the last one ends.
  private let starts: [Int]

  /// The keys of `findings`' subjects, nil when one holds a byte past ASCII.
  init?(_ findings: [Finding]) {
    var starts: [Int] = []
    starts.reserveCapacity(findings.count + 1)
    var total = 0
    for i in findings.indices {
      starts.append(total)
      total += Self.length(findings[i].subject)
    }
    starts.append(total)
    var bytes = [UInt8](repeating: 0, count: total)
    let ascii = bytes.withUnsafeMutableBufferPointer { out -> Bool in
      var at = 0
      for i in findings.indices { Self.write(findings[i].subject, into: out, at: &at) }
      var seen: UInt8 = 0
      for k in out.indices { seen |= out[k] }
      return seen < 0x80
    }
    guard ascii else { return nil }
    self.bytes = bytes
    self.starts = starts
  }

  /// Reads the keys in place for the length of `body`.
  func withKeys<R>(_ body: (Keys) -> R) -> R {
    bytes.withUnsafeBufferPointer { b in starts.withUnsafeBufferPointer { s in body(Keys(bytes: b, starts: s)) } }
  }

  /// The keys, read in place.
  struct Keys {
    let bytes: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<Int>

    /// Negative, zero or positive as key `i` orders before, equal to or after key `j`: their
    /// bytes compared in turn, a key that is a prefix of the other first.
    func compare(_ i: Int, _ j: Int) -> Int {
      var a = starts[i]
      var b = starts[j]
      let aEnd = starts[i + 1]
      let bEnd = starts[j + 1]
      while a < aEnd, b < bEnd {
        let x = bytes[a]
        let y = bytes[b]
        if x != y { return x < y ? -1 : 1 }
        a &+= 1
        b &+= 1
      }
      if a < aEnd { return 1 }
      return b < bEnd ? -1 : 0
    }

    /// Key `i`'s bytes (tests).
    func key(_ i: Int) -> [UInt8] { Array(bytes[starts[i]..<starts[i + 1]]) }
  }

  /// `Diagnoser.sortKey(subject).utf8.count`.
  static func length(_ subject: Subject) -> Int {
    var n = 0
    if let namespace = subject.namespace { n += namespace.utf8.count }
    if let pod = subject.pod { n += pod.utf8.count + (subject.namespace != nil ? 1 : 0) }
    if let o = subject.object { n += o.utf8.count + (n > 0 ? 1 : 0) }
    if let c = subject.container { n += c.utf8.count + (n > 0 ? 3 : 0) }
    return n
  }

  /// Writes `Diagnoser.sortKey(subject)`'s bytes into `out` from `at` on, the same parts and
  /// separators in the same order.
  static func write(_ subject: Subject, into out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
    let start = at
    if let namespace = subject.namespace { writeUTF8(namespace, into: out, at: &at) }
    if let pod = subject.pod {
      if subject.namespace != nil { writeByte(UInt8(ascii: "/"), into: out, at: &at) }
      writeUTF8(pod, into: out, at: &at)
    }
    if let o = subject.object {
      if at > start { writeByte(UInt8(ascii: " "), into: out, at: &at) }
      writeUTF8(o, into: out, at: &at)
    }
    if let c = subject.container {
      let leads = at > start
      if leads {
        writeByte(UInt8(ascii: " "), into: out, at: &at)
        writeByte(UInt8(ascii: "("), into: out, at: &at)
      }
      writeUTF8(c, into: out, at: &at)
      if leads { writeByte(UInt8(ascii: ")"), into: out, at: &at) }
    }
  }
}

extension Diagnoser {
  /// `order(findings, sortKeys(findings))`, the keys compared as bytes (`SortKeyBytes`); nil
  /// when a key is not ASCII.
  static func orderByBytes(_ findings: [Finding]) -> [Int]? {
    guard let keys = SortKeyBytes(findings) else { return nil }
    return keys.withKeys { k in
      findings.indices.sorted { i, j in
        let (ri, rj) = (rank(findings[i].severity), rank(findings[j].severity))
        if ri != rj { return ri > rj }
        let c = k.compare(i, j)
        if c != 0 { return c < 0 }
        if findings[i].subject != findings[j].subject { return false }
        if findings[i].ruleID != findings[j].ruleID { return findings[i].ruleID < findings[j].ruleID }
        return findings[i].title < findings[j].title
      }
    }
  }
}
