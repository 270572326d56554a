/// What a paste puts in front of a log line: indentation, markdown quote markers (`> `), list
/// markers (`- `, `* `), a backtick, and `grep -n`'s line number (`123:`, or `123-` for a context
/// line). The log parsers read the line after it; the evidence keeps the line as pasted.
enum PastePrefix {
  /// The line's bytes after its paste prefix (the whole line when it has none).
  static func payload(_ text: String) -> [UInt8] {
    let b = Array(text.utf8)
    let n = length(b)
    return n == 0 ? b : Array(b[n...])
  }

  /// How many bytes of `b` are paste prefix.
  static func length(_ b: [UInt8]) -> Int {
    var i = 0
    var changed = true
    // Each kind at most a few times: `> > - ` nests, nothing longer is a prefix.
    var rounds = 0
    while changed && rounds < 6 {
      changed = false
      rounds += 1
      // Spaces only: a tab opens a klog multi-line value's line.
      while i < b.count, b[i] == 0x20 {
        i += 1
        changed = true
      }
      if i + 1 < b.count, b[i] == 0x3E || b[i] == 0x2D || b[i] == 0x2A, b[i + 1] == 0x20 {  // "> " "- " "* "
        i += 2
        changed = true
      } else if i < b.count, b[i] == 0x60 {  // a backtick opening inline code
        i += 1
        changed = true
      } else if let digits = grepNumber(b, from: i) {
        i += digits
        changed = true
      }
    }
    return i
  }

  /// `123:` or `123-` (grep -n) followed by a letter, a `[`, a `{` or a quote: its length.
  private static func grepNumber(_ b: [UInt8], from start: Int) -> Int? {
    var i = start
    while i < b.count, i - start < 9, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
    guard i > start, i + 1 < b.count, b[i] == 0x3A || b[i] == 0x2D else { return nil }
    let next = b[i + 1]
    let letter = (next >= 0x41 && next <= 0x5A) || (next >= 0x61 && next <= 0x7A)
    guard letter || next == 0x5B || next == 0x7B || next == 0x22 else { return nil }
    return i + 1 - start
  }
}
