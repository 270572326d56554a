import Foundation

extension ASCIISearch {
  /// Needles that each begin with `"` (quoted JSON keys, `"kind"`, `"ts":`), looked for in a text
  /// at once: `found(in:)` has bit `i` set when the text contains `needles[i]` as Foundation's
  /// `contains` answers (the answer `ASCIISearch.contains` gives on bytes where it can).
  ///
  /// The JSON sniffer asked every line of a head for a dozen keys one by one, each a pass over the
  /// line and a needle built by interpolation: a third of a cluster-info-dump bundle's run
  /// (docs/architecture.md, "Sniffing a head of long lines"). On an ASCII text, where the search
  /// compares bytes, every occurrence of a needle starts at one of the text's quotes, so the quotes
  /// are found with `memchr` and each needle not yet found is compared there; any other text is
  /// asked needle by needle, as before.
  package struct QuotedNeedles: Sendable {
    package let needles: [String]
    private let bytes: [[UInt8]]
    /// Every needle's bit.
    package let all: UInt64

    /// `needles`: at most 64, each starting with `"`, ASCII, without CR or LF (where the byte
    /// search is Foundation's answer).
    package init(_ needles: [String]) {
      precondition(needles.count <= 64)
      precondition(
        needles.allSatisfy { n in
          n.utf8.first == 0x22 && n.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0A && $0 != 0x0D }
        })
      self.needles = needles
      self.bytes = needles.map { Array($0.utf8) }
      self.all = needles.isEmpty ? 0 : UInt64.max >> UInt64(64 - needles.count)
    }

    /// The bit of `needle`, 0 when it is not one.
    package func bit(_ needle: String) -> UInt64 {
      needles.firstIndex(of: needle).map { UInt64(1) << UInt64($0) } ?? 0
    }

    package func found(in text: String) -> UInt64 {
      var text = text
      let onBytes = text.withUTF8 { b -> UInt64? in
        guard ASCIISearch.isASCII(b) else { return nil }
        guard let base = b.baseAddress else { return 0 }
        var found: UInt64 = 0
        var from = 0
        while from < b.count, let hit = memchr(base + from, 0x22, b.count - from) {
          let at = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
          for (i, needle) in bytes.enumerated() where found & (UInt64(1) << UInt64(i)) == 0 {
            guard needle.count <= b.count - at else { continue }
            let same = needle.withUnsafeBufferPointer { n in
              n.baseAddress.map { memcmp(base + at, $0, n.count) == 0 } ?? false
            }
            if same { found |= UInt64(1) << UInt64(i) }
          }
          from = at + 1
        }
        return found
      }
      if let onBytes { return onBytes }
      var found: UInt64 = 0
      for (i, needle) in needles.enumerated() where ASCIISearch.contains(needle, in: text) ?? text.contains(needle) {
        found |= UInt64(1) << UInt64(i)
      }
      return found
    }
  }
}
