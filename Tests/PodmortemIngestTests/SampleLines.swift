import PodmortemInput
import PodmortemTestSupport

/// Every distinct line of every sample under samples/, read as the tool reads them (directories
/// walked, tar and gzip members opened), sorted so that every run draws the same lines.
enum SampleLines {
  static let all: [String] = {
    var lines = Set<String>()
    InputReader(diagnostics: { _ in }).read([Samples.folder.path]) { _, reader in
      while let line = reader.next() { lines.insert(line.text) }
    }
    return lines.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }()

  /// What a hostile line may hold: nothing, NUL, CR, tabs, non-ASCII, a Kelvin sign and a dotted
  /// capital I (both lower to ASCII), combining accents, a quote and a backslash.
  static let hostile = [
    "", "\u{0}", "\r", "\r\n", "\t", "\t\t", "é", "e\u{301}", "\u{212A}", "\u{130}", "🙂", "\"", "\\", "\\\"", " ",
    "ß", "\u{FFFD}",
  ]

  /// A seeded random line: a sample line, cut, spliced with another and with hostile pieces, or
  /// repeated into a long one (up to 64 KiB).
  static func random(_ rng: inout SplitMix64) -> String {
    var bytes = Array(all[rng.below(all.count)].utf8)
    for _ in 0..<rng.below(4) {
      let piece =
        rng.below(3) == 0 ? Array(all[rng.below(all.count)].utf8) : Array(hostile[rng.below(hostile.count)].utf8)
      bytes.insert(contentsOf: piece, at: rng.below(bytes.count + 1))
    }
    switch rng.below(8) {
    case 0: bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
    case 1: bytes = Array(bytes.suffix(rng.below(bytes.count + 1)))
    case 2:
      let copies = 1 + rng.below(max(1, 65_536 / max(bytes.count, 1)))
      bytes = Array([[UInt8]](repeating: bytes, count: copies).joined())
    default: break
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
