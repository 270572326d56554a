import Foundation

/// `once`, `twice`, `3 times`: how often, in a finding's words.
package func times(_ count: Int) -> String {
  switch count {
  case 1: "once"
  case 2: "twice"
  default: "\(count) times"
  }
}

/// `1 restart`, `3 restarts`: a count and its noun, singular or plural.
package func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
  count == 1 ? "1 \(noun)" : "\(count) \(plural ?? noun + "s")"
}

/// A finding's text written piece by piece into room on the stack, then made one string of
/// exactly its length (`written`). Gathering the pieces in a list first and writing them once
/// (`GatheredPieces` in the tests, the reference) cost the list's allocation, an
/// array slot and a retain for every piece, a pass over the pieces and the list's release
/// with every piece in it: about 2,200 instructions a title and 6,000 an explanation on the
/// 8 MiB EventList (callgrind). Here a piece costs the copy of its bytes. A text longer than the
/// room moves to an array and goes on there. The pieces are valid UTF-8, so their bytes end to
/// end are the text `+` gives, byte for byte, and decoding them repairs nothing
/// (docs/architecture.md "Diagnosis: read a pod once"; `ProbeFindingTextTests` holds it to
/// `GatheredPieces` and to `+`).
package struct TextPieces {
  /// Bytes on the stack: `withUnsafeTemporaryAllocation` takes up to 1,024 bytes there without
  /// asking the runtime whether the stack has room. A title or an explanation fits; a text with
  /// a long probe output or name moves to `spill`.
  private static let roomBytes = 1_024
  private let room: UnsafeMutableBufferPointer<UInt8>
  private var at = 0
  /// The text, once it no longer fits in `room`.
  private var spill: [UInt8] = []
  private var spilled = false

  private init(room: UnsafeMutableBufferPointer<UInt8>) { self.room = room }

  /// The text `body` writes, as one string of exactly its bytes.
  package static func written(_ body: (inout TextPieces) -> Void) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1_024) { room in
      var text = TextPieces(room: room)
      body(&text)
      return text.string()
    }
  }

  package mutating func add(_ piece: String) {
    // A native or small string always lends its bytes; any other is copied out first.
    let lent: Void? = piece.utf8.withContiguousStorageIfAvailable { bytes in write(bytes) }
    if lent == nil { Array(piece.utf8).withUnsafeBufferPointer { write($0) } }
  }

  private mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    let n = bytes.count
    guard n > 0, let from = bytes.baseAddress else { return }
    if !spilled {
      if n <= room.count &- at, let to = room.baseAddress {
        (to + at).update(from: from, count: n)
        at &+= n
        return
      }
      // Past the room: what is written moves to the array, which takes the rest.
      spill.reserveCapacity(at &+ n &+ Self.roomBytes)
      spill.append(contentsOf: UnsafeBufferPointer(rebasing: room[..<at]))
      spilled = true
    }
    spill.append(contentsOf: bytes)
  }

  /// `once`, `twice`, `3 times`, as `times(_:)` spells it.
  package mutating func addTimes(_ n: Int) {
    switch n {
    case 1: add("once")
    case 2: add("twice")
    default:
      add(String(n))
      add(" times")
    }
  }

  /// The bytes written, as a string.
  private func string() -> String {
    if spilled { return String(decoding: spill, as: UTF8.self) }
    return String(decoding: UnsafeBufferPointer(rebasing: room[..<at]), as: UTF8.self)
  }
}

/// Copies `text`'s UTF-8 bytes into `out` from `at` on, as many as fit, and moves `at` past them:
/// a text written at once into a string of its counted length (`Diagnoser.sortKey`,
/// `PodHistory.previousLogsCommand`). A function of its own, handed `at`: written as a function
/// nested in the writing closure, capturing `at`, each access to it was checked at run time
/// (`swift_beginAccess`, two a piece: a third of writing a sort key, callgrind).
func writeUTF8(_ text: String, into out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
  var text = text
  let start = at
  let written = text.withUTF8 { bytes -> Int in
    let k = min(bytes.count, out.count &- start)
    guard k > 0, let from = bytes.baseAddress, let to = out.baseAddress else { return 0 }
    (to + start).update(from: from, count: k)
    return k
  }
  at = start &+ written
}

/// Writes `byte` into `out` at `at` when it fits, and moves `at` past it (`writeUTF8`).
func writeByte(_ byte: UInt8, into out: UnsafeMutableBufferPointer<UInt8>, at: inout Int) {
  guard at >= 0, at < out.count else { return }
  out[at] = byte
  at &+= 1
}

/// `text.trimmingCharacters(in: .whitespaces)`. A text whose first and last bytes are printable
/// ASCII other than a space has nothing to trim: each is a character of its own (no combining
/// mark joins it from outside the text) and none is whitespace, so the text comes back as it is.
/// Any other end asks Foundation, whose NSString path cost about 105,000 instructions for one
/// eviction message (`EvictedRule`, callgrind on 1,000 describes); `SchedulingMessage.trimmed`
/// answers the same way (docs/architecture.md "Diagnosis: read a pod once").
/// `ExplanationTextTests` compares it with Foundation on seeded hostile texts.
package func trimmedWhitespace(_ text: String) -> String {
  let bytes = text.utf8
  if let first = bytes.first, let last = bytes.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
    return text
  }
  return text.trimmingCharacters(in: .whitespaces)
}

/// `text.trimmingCharacters(in: .whitespacesAndNewlines)`. The ASCII members of that set are
/// tab, line feed, vertical tab, form feed, carriage return (0x09–0x0D) and the space; every
/// other member lies past ASCII. So when the bytes at both ends, past any of those six, are
/// printable ASCII other than a space (0x21–0x7E, none in the set), the answer is the text between
/// them: each end is a scalar of its own, a boundary between characters (after a control or a
/// space, before one), and no member of the set. A text of those six bytes alone trims to
/// nothing. Any other text (a kept end past ASCII, NUL, DEL, another control) asks Foundation,
/// whose NSString path cost about 87,000 instructions for one init container's termination
/// message (`InitContainerFailingRule`, callgrind on 1,000 describes; docs/architecture.md
/// "Diagnosis: read a pod once"). `ExplanationTextTests` compares it with Foundation on seeded
/// hostile texts.
package func trimmedWhitespaceAndNewlines(_ text: String) -> String {
  let bytes = text.utf8
  var start = bytes.startIndex
  var end = bytes.endIndex
  while start < end, isASCIIWhitespaceOrNewline(bytes[start]) { start = bytes.index(after: start) }
  if start == end { return "" }
  while isASCIIWhitespaceOrNewline(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
  let first = bytes[start]
  let last = bytes[bytes.index(before: end)]
  guard (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) else {
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }
  if start == bytes.startIndex && end == bytes.endIndex { return text }
  return String(Substring(bytes[start..<end]))
}

/// Tab, line feed, vertical tab, form feed, carriage return or space.
private func isASCIIWhitespaceOrNewline(_ byte: UInt8) -> Bool {
  byte == 0x20 || (0x09...0x0D).contains(byte)
}
