/// Makes control characters from input visible instead of letting them act (docs/architecture.md
/// "Secrets"): an escape sequence in a pod name or a log line would otherwise recolour the
/// reader's terminal, move its cursor, or write its clipboard (OSC 52).
///
/// C0 controls other than newline and tab, DEL and C1 controls become `\x1b`-style text; the
/// bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what a
/// reader sees, become `\u{202e}`-style text. Everything else is kept.
package enum VisibleText {
  /// `text` with every control character spelled out; `text` itself when it has none.
  package static func escapingControls(_ text: String) -> String {
    guard needsEscaping(text) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 16)
    for scalar in text.unicodeScalars {
      let v = scalar.value
      switch v {
      case 0x0A, 0x09: out.unicodeScalars.append(scalar)
      case 0x00...0x1F, 0x7F...0x9F: out += "\\x" + hex(v, width: 2)
      case 0x202A...0x202E, 0x2066...0x2069: out += "\\u{" + hex(v, width: 4) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// One pass over the bytes: C0 (but `\n`, `\t`), DEL, C1 (`C2 80`–`C2 9F`), and the bidi
  /// controls (`E2 80 AA`–`E2 80 AE`, `E2 81 A6`–`E2 81 A9`): whether `escapingControls(text)`
  /// changes `text`.
  package static func needsEscaping(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      let count = bytes.count
      var i = 0
      while i < count {
        let b = bytes[i]
        if b < 0x20 {
          if b != 0x0A && b != 0x09 { return true }
        } else if b == 0x7F {
          return true
        } else if b == 0xC2, i + 1 < count, (0x80...0x9F).contains(bytes[i + 1]) {
          return true
        } else if b == 0xE2, i + 2 < count {
          let b1 = bytes[i + 1]
          let b2 = bytes[i + 2]
          if (b1 == 0x80 && (0xAA...0xAE).contains(b2)) || (b1 == 0x81 && (0xA6...0xA9).contains(b2)) { return true }
        }
        i += 1
      }
      return false
    }
  }

  private static func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
