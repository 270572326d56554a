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

/// A finding's text gathered as its pieces and written once, into a string of exactly their
/// length. Appending each piece to a reserved string cost about 350 instructions a piece
/// (`prepareForAppendInPlace`, the count and flags update), and the reserved string was copied
/// again to its own length (`compacted`); here a piece costs its count, an array slot and one
/// copy of its bytes (docs/architecture.md "Diagnosis: read a pod once"). The pieces are valid
/// UTF-8, so their bytes end to end are the text `+` gives, byte for byte (`TextPiecesTests`).
package struct TextPieces {
  private var pieces: [String] = []
  private var count = 0

  /// Room for `capacity` pieces: a finding's text has at most a few dozen.
  package init(capacity: Int) { pieces.reserveCapacity(capacity) }

  package mutating func add(_ piece: String) {
    count += piece.utf8.count
    pieces.append(piece)
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

  /// The pieces end to end.
  package func joined() -> String {
    String(unsafeUninitializedCapacity: count) { out in
      var at = 0
      for piece in pieces {
        let n = piece.utf8.count
        // A native or small string always lends its bytes; any other is copied byte by byte.
        let lent: Void? = piece.utf8.withContiguousStorageIfAvailable { bytes in
          guard let from = bytes.baseAddress, let to = out.baseAddress else { return }
          (to + at).update(from: from, count: n)
        }
        if lent == nil {
          for (i, byte) in piece.utf8.enumerated() { out[at + i] = byte }
        }
        at += n
      }
      return at
    }
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
