/// What a paste puts in front of a log line: indentation, markdown quote markers (`> `), list
/// markers (`- `, `* `), a backtick, `grep -n`'s line number (`123:`, or `123-` for a context
/// line), `grep -H`'s file or a multi-node tool's host (`sourceName`), and the local date and time a web UI's log viewer writes before each line, glued to it
/// or not (Rancher: `5/24/2017 4:45:04 PMI0524 08:45:04.581562 …`, docs/kubernetes.md §10.1).
/// The log parsers read the line after it; the evidence keeps the line as pasted.
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
      } else if let stamp = viewerTime(b, from: i) {
        i += stamp
        changed = true
      } else if rounds == 1, let name = sourceName(b, from: i) {
        i += name
        changed = true
      }
    }
    return i
  }

  /// What names a line's source in front of it, only as the first thing on the line: `grep -H`'s
  /// file (`kubelet.log:E1127 …`, `/var/log/messages:Nov 27 …`, `kubelet.log:123:E1127 …` with
  /// `-n`), or the node `talosctl logs` and parallel-ssh tools write (`10.5.0.2: {"ts":…}`,
  /// `node-1.example: I1127 …`). The name is a path or host: letters, digits and `._/-`, with a
  /// `.` or `/` in it (so `E1127`, `Warning` or `http` are no names). After `name:` comes the
  /// line itself, glued (a letter, `[`, `{` or a quote, or `grep -n`'s number and colon), or one
  /// space and then a JSON object or a klog header's severity and date (`I1127`).
  static func sourceName(_ b: [UInt8], from start: Int) -> Int? {
    var i = start
    var pathLike = false
    while i < b.count, i - start < 256 {
      let c = b[i]
      let word = (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c >= 0x30 && c <= 0x39 || c == 0x5F || c == 0x2D
      guard word || c == 0x2E || c == 0x2F else { break }
      if c == 0x2E || c == 0x2F { pathLike = true }
      i += 1
    }
    guard pathLike, i > start, i + 1 < b.count, b[i] == 0x3A else { return nil }
    let next = b[i + 1]
    let letter = (next | 0x20) >= 0x61 && (next | 0x20) <= 0x7A
    if letter || next == 0x5B || next == 0x7B || next == 0x22 { return i + 1 - start }
    if next >= 0x30, next <= 0x39 { return grepNumber(b, from: i + 1) != nil ? i + 1 - start : nil }
    guard next == 0x20, i + 2 < b.count else { return nil }
    let after = b[i + 2]
    if after == 0x7B { return i + 2 - start }
    // A klog header: severity, then MMDD.
    guard [0x49, 0x57, 0x45, 0x46].contains(after), i + 6 < b.count,
      b[(i + 3)...(i + 6)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
    else { return nil }
    return i + 2 - start
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

  /// `M/D/YYYY h:mm:ss AM` or `PM` and an optional space (a US-locale log viewer's time): its length.
  /// Only this exact shape: a slash date, a 12-hour time with seconds and the meridiem.
  static func viewerTime(_ b: [UInt8], from start: Int) -> Int? {
    var i = start
    func number(_ minDigits: Int, _ maxDigits: Int) -> Bool {
      let s = i
      while i < b.count, i - s < maxDigits, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
      return i - s >= minDigits
    }
    func byte(_ c: UInt8) -> Bool {
      guard i < b.count, b[i] == c else { return false }
      i += 1
      return true
    }
    guard number(1, 2), byte(0x2F), number(1, 2), byte(0x2F), number(4, 4), byte(0x20), number(1, 2), byte(0x3A),
      number(2, 2), byte(0x3A), number(2, 2), byte(0x20), i + 1 < b.count, b[i] == 0x41 || b[i] == 0x50,
      b[i + 1] == 0x4D
    else { return nil }
    i += 2
    if i < b.count, b[i] == 0x20 { i += 1 }
    return i - start
  }
}
