#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A substring search on bytes for the texts where it gives Foundation's answer.
///
/// Foundation's `StringProtocol.contains(_:)` and `range(of:)` without options search through
/// NSString by canonical equivalence, at a few hundred instructions a byte: the sniffers ran a
/// dozen of them on each line of a source's head, and on a head of long lines (512 KiB of
/// single-line JSON events) that was about half a billion instructions before the first line was
/// parsed (docs/architecture.md, "Sniffing a head of long lines").
///
/// When the text and the needle are both ASCII and the needle has no CR or LF, the byte search
/// finds what Foundation finds: every ASCII character is one `Character`, one UTF-16 unit and one
/// byte, no ASCII text is canonically equivalent to any other ASCII text, and a CR LF pair (one
/// `Character`) cannot be cut by a needle that holds neither. Anything else is left to the caller
/// (`.undecided`), which asks Foundation as before. `ASCIISearchTests` compares the two on seeded
/// random texts.
package enum ASCIISearch {
  package enum Answer: Equatable {
    /// The needle's first occurrence starts this many UTF-8 bytes into the text.
    case found(Int)
    case absent
    /// The text or the needle is not ASCII, or the needle holds a CR or LF (or is empty).
    case undecided
  }

  /// Where `needle` first occurs in `text`, when bytes can say.
  package static func first(_ needle: String, in text: Substring) -> Answer {
    var needle = needle
    return needle.withUTF8 { key in
      guard let keyBase = key.baseAddress, !key.isEmpty, isASCII(key), !key.contains(0x0A), !key.contains(0x0D)
      else { return .undecided }
      return text.utf8.withContiguousStorageIfAvailable { bytes -> Answer in
        guard isASCII(bytes) else { return .undecided }
        return offset(of: UnsafeBufferPointer(start: keyBase, count: key.count), in: bytes).map { .found($0) }
          ?? .absent
      } ?? .undecided
    }
  }

  /// Whether `needle` occurs in `text`, when bytes can say; nil when Foundation must.
  package static func contains(_ needle: String, in text: String) -> Bool? {
    switch first(needle, in: text[...]) {
    case .found: true
    case .absent: false
    case .undecided: nil
    }
  }

  /// The range of `needle`'s first occurrence in `text` as Foundation's `range(of:)` gives it, when
  /// bytes can say: `.some(nil)` when it does not occur, nil when Foundation must answer.
  package static func range(of needle: String, in text: Substring) -> Range<String.Index>?? {
    switch first(needle, in: text) {
    case .found(let offset):
      let lower = text.utf8.index(text.startIndex, offsetBy: offset)
      return .some(lower..<text.utf8.index(lower, offsetBy: needle.utf8.count))
    case .absent: return .some(nil)
    case .undecided: return nil
    }
  }

  /// `text.firstIndex(of: needle)` for a one-byte ASCII `needle` (not CR or LF), on bytes when they
  /// can say: in an ASCII text every `Character` is one byte. `.some(nil)` when it does not occur,
  /// nil when the text's `Character`s must be walked.
  package static func firstIndex(of needle: Character, in text: Substring) -> String.Index?? {
    switch first(String(needle), in: text) {
    case .found(let offset): return .some(text.utf8.index(text.startIndex, offsetBy: offset))
    case .absent: return .some(nil)
    case .undecided: return nil
    }
  }

  /// Where `needle`'s bytes first occur in `bytes` (0 for an empty needle), nil when they do not:
  /// `memchr` for each candidate first byte and `memcmp` for the rest, which glibc vectorises
  /// (`memmem` is a GNU extension the Glibc module does not export). The one byte search of the
  /// prefilters (`Literal`), the JSON evidence picker and this type.
  package static func offset(of needle: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard let keyBase = needle.baseAddress, !needle.isEmpty else { return 0 }
    guard let base = bytes.baseAddress, bytes.count >= needle.count else { return nil }
    let last = bytes.count - needle.count
    var from = 0
    while from <= last {
      guard let hit = memchr(base + from, Int32(keyBase[0]), last - from + 1) else { return nil }
      let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
      if memcmp(base + at, keyBase, needle.count) == 0 { return at }
      from = at + 1
    }
    return nil
  }

  /// True when `text`'s bytes lie in one run and every one is below 0x80 (`isASCII`); false for a
  /// string that cannot lend its bytes (never a native one), which sends a caller that asks to
  /// its `String` path. An ASCII string is `==` to another exactly when their bytes are equal.
  package static func isContiguousASCII(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { isASCII($0) } ?? false
  }

  /// True when every byte is below 0x80, tested eight bytes at a time.
  package static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= bytes.count {
      if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
      i += 8
    }
    while i < bytes.count {
      if bytes[i] >= 0x80 { return false }
      i += 1
    }
    return true
  }
}
