import Foundation
import PodmortemTestSupport
import Testing

@testable import PodmortemIngest

/// `KubeletLogParser.splitPod` reads an ASCII pod reference in the string's own bytes: it must give
/// what the code before it gave (kept below as `reference`, the `Character` split with its ASCII
/// path on `UTF8View` slices), byte for byte, on seeded references (SplitMix64): `ns/name`,
/// `name_ns(uid)`, quotes, cut values, and non-ASCII text (combining marks, a Kelvin sign, CR LF).
@Suite struct SplitPodBytesTests {
  /// The split before byte reading (main at dda17fd).
  static func reference(_ raw: String) -> (String?, String?) {
    if raw.utf8.allSatisfy({ $0 < 0x80 }) {
      let all = raw.utf8
      let value = all.first == 0x22 ? all.dropFirst() : all[...]
      guard !value.isEmpty else { return (nil, nil) }
      if let slash = value.firstIndex(of: 0x2F) {
        let ns = String(Substring(value[..<slash]))
        return (ns.isEmpty ? nil : ns, String(Substring(value[value.index(after: slash)...])))
      }
      if let open = value.firstIndex(of: 0x28), value.last == 0x29, let underscore = value[..<open].lastIndex(of: 0x5F)
      {
        return (
          String(Substring(value[value.index(after: underscore)..<open])), String(Substring(value[..<underscore]))
        )
      }
      return (nil, String(Substring(value)))
    }
    let value = raw.hasPrefix("\"") ? String(raw.dropFirst()) : raw
    guard !value.isEmpty else { return (nil, nil) }
    if let slash = value.firstIndex(of: "/") {
      let ns = String(value[..<slash])
      return (ns.isEmpty ? nil : ns, String(value[value.index(after: slash)...]))
    }
    if let open = value.firstIndex(of: "("), value.hasSuffix(")"), let underscore = value[..<open].lastIndex(of: "_") {
      return (String(value[value.index(after: underscore)..<open]), String(value[..<underscore]))
    }
    return (nil, value)
  }

  static let pieces = [
    "shop", "/", "web-0", "_", "(", ")", "\"", "uid-1234", "kube-system", "", "a", "é", "e\u{301}", "\u{212A}",
    "\r\n", "\r", "\n", " ", "[", "]", "x_y", "🙂",
  ]

  static func bytes(_ s: String?) -> [UInt8]? { s.map { Array($0.utf8) } }

  @Test(arguments: 0..<10)
  func aPodReferenceSplitsAsBefore(seed: UInt64) {
    var rng = SplitMix64(seed: 16_200 + seed)
    let shapes = ["shop/web-0", "\"shop/web-0", "web-0_shop(uid-1)", "\"web-0_shop(uid-1)", "web-0", "/web", "ns/"]
    for _ in 0..<500 {
      var raw = Bool.random(using: &rng) ? shapes[Int.random(in: 0..<shapes.count, using: &rng)] : ""
      for _ in 0..<Int.random(in: 0...6, using: &rng) {
        let piece = Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &rng)]
        var b = Array(raw.utf8)
        b.insert(contentsOf: Array(piece.utf8), at: Int.random(in: 0...b.count, using: &rng))
        raw = String(decoding: b, as: UTF8.self)
      }
      let old = Self.reference(raw)
      let new = KubeletLogParser.splitPod(raw)
      #expect(Self.bytes(old.0) == Self.bytes(new.0) && Self.bytes(old.1) == Self.bytes(new.1), "\(raw)")
    }
  }
}
