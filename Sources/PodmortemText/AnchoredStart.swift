/// What every match of an anchored regex run from a text's start begins with, read from the
/// regex's source: one to eight bytes for each alternative of its first group, or of the regex
/// itself, each byte one value or two to eight values told apart by a few bits (`[Bb]`). A text
/// that begins with none of them has no match, and PCRE2 finds none at once: each way through the
/// pattern fails on its first bytes, before any repetition or group could make it backtrack, so
/// no limit can be hit either. `MatchIndex.first` turns such a text away before it takes the
/// regex's lock, its scratch and the JIT entry (docs/architecture.md "Speed of the kubelet-log
/// path"; pcre2pattern(3) for the syntax read). Anything the reading is not sure of gives nil:
/// a caseless regex, an alternation at the top level (its other branches are not anchored),
/// an inline option, a comment or a verb anywhere, a `\Q`, an unclosed class, and a first group
/// or first byte that may match nothing.
package struct AnchoredStart: Sendable, Equatable {
  /// One alternative's first `length` bytes: the text's first eight bytes (zeros past its end),
  /// masked, equal `value`.
  package struct Alternative: Sendable, Equatable {
    package let value: UInt64
    package let mask: UInt64
    package let length: Int
  }

  package let alternatives: [Alternative]

  /// The most bytes an alternative is read to.
  package static let longest = 8

  package init?(pattern: String, caseless: Bool) {
    guard !caseless, let alternatives = Self.read(Array(pattern.utf8)) else { return nil }
    self.alternatives = alternatives
  }

  /// Whether a text of these bytes may match: it begins with one of the alternatives.
  package func admits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let word = Self.firstWord(bytes)
    for alternative in alternatives
    where bytes.count >= alternative.length && word & alternative.mask == alternative.value {
      return true
    }
    return false
  }

  /// The first eight bytes as a little-endian word, zeros past the text's end.
  @inline(__always)
  package static func firstWord(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    guard let base = bytes.baseAddress else { return 0 }
    if bytes.count >= 8 { return UInt64(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)) }
    var word: UInt64 = 0
    for k in 0..<bytes.count { word |= UInt64(base[k]) << UInt64(8 &* k) }
    return word
  }

  private static let caret = UInt8(ascii: "^")
  private static let open = UInt8(ascii: "(")
  private static let close = UInt8(ascii: ")")
  private static let bar = UInt8(ascii: "|")
  private static let backslash = UInt8(ascii: "\\")
  private static let question = UInt8(ascii: "?")

  /// The alternatives, or nil when the source is not one this reading is sure of.
  private static func read(_ s: [UInt8]) -> [Alternative]? {
    guard s.count > 1, s[0] == caret, wellNested(s) else { return nil }
    var i = 1
    guard s[i] == open else {
      // No top-level alternation (checked above): the regex is one alternative.
      let first = prefix(s, &i)
      return first.isEmpty ? nil : [alternative(first)]
    }
    // The first group: `(`, `(?:`, `(?<name>` or `(?P<name>`, at least once.
    guard i + 2 < s.count else { return nil }
    if s[i + 1] != question {
      i += 1
    } else if s[i + 2] == UInt8(ascii: ":") {
      i += 3
    } else {
      i += 2
      if s[i] == UInt8(ascii: "P") { i += 1 }
      guard i + 1 < s.count, s[i] == UInt8(ascii: "<"), isNameStart(s[i + 1]) else { return nil }
      i += 1
      while i < s.count, isNameByte(s[i]) { i += 1 }
      guard i < s.count, s[i] == UInt8(ascii: ">") else { return nil }
      i += 1
    }
    var alternatives: [Alternative] = []
    while true {
      let first = prefix(s, &i)
      guard !first.isEmpty else { return nil }
      alternatives.append(alternative(first))
      // To this alternative's end: the next `|` or `)` of this group.
      guard skipToBranchEnd(s, &i) else { return nil }
      if s[i] == close { break }
      i += 1  // past `|`
    }
    i += 1  // past `)`
    // A group that may be left out (`?`, `*`, `{0,…}`) does not have to begin a match.
    if i < s.count, s[i] == question || s[i] == UInt8(ascii: "*") || s[i] == UInt8(ascii: "{") { return nil }
    return alternatives
  }

  /// The alternative matching exactly the texts whose first bytes are in `positions`' sets.
  private static func alternative(_ positions: [(value: UInt8, mask: UInt8)]) -> Alternative {
    var value: UInt64 = 0
    var mask: UInt64 = 0
    for (k, position) in positions.enumerated() {
      value |= UInt64(position.value & position.mask) << UInt64(8 * k)
      mask |= UInt64(position.mask) << UInt64(8 * k)
    }
    return Alternative(value: value, mask: mask, length: positions.count)
  }

  /// The bytes every match of the branch at `i` begins with, up to `longest` (each a value and a
  /// mask), read until the first token that is not a plain byte or a small class, or that a
  /// quantifier follows; `i` is left at that token.
  private static func prefix(_ s: [UInt8], _ i: inout Int) -> [(value: UInt8, mask: UInt8)] {
    var positions: [(value: UInt8, mask: UInt8)] = []
    while positions.count < longest, i < s.count {
      let start = i
      var token: (value: UInt8, mask: UInt8)
      let c = s[i]
      if c == backslash {
        // An escaped ASCII punctuation mark or space is that byte; any other escape ends it.
        guard i + 1 < s.count, isEscapedLiteral(s[i + 1]) else { break }
        token = (s[i + 1], 0xFF)
        i += 2
      } else if c == UInt8(ascii: "[") {
        guard let set = smallClass(s, &i) else {
          i = start
          break
        }
        token = set
      } else if isPlain(c) {
        token = (c, 0xFF)
        i += 1
      } else {
        break
      }
      // A token a quantifier follows may match nothing (`?`, `*`, `{0,…}`) or more than once
      // (`+`): it ends the prefix, included only for `+`.
      if i < s.count, s[i] == question || s[i] == UInt8(ascii: "*") || s[i] == UInt8(ascii: "{") {
        i = start
        break
      }
      positions.append(token)
      if i < s.count, s[i] == UInt8(ascii: "+") { break }
    }
    return positions
  }

  /// A class of two to eight ASCII bytes, no range, negation or escape, that one value and mask
  /// describe exactly (`[Bb]`: the bytes equal to `B` outside bit 5), read from `[` to past `]`.
  private static func smallClass(_ s: [UInt8], _ i: inout Int) -> (value: UInt8, mask: UInt8)? {
    var j = i + 1
    var members: [UInt8] = []
    while j < s.count, s[j] != UInt8(ascii: "]") {
      let c = s[j]
      guard isPlain(c), c != UInt8(ascii: "-"), c != caret, c != UInt8(ascii: "["), c != backslash,
        !members.contains(c)
      else { return nil }
      members.append(c)
      j += 1
    }
    guard j < s.count, members.count >= 2, members.count <= 8 else { return nil }
    let all = members.reduce(UInt8(0xFF)) { $0 & $1 }
    let any = members.reduce(UInt8(0)) { $0 | $1 }
    let free = all ^ any
    // Exactly the bytes that agree with `all` outside `free`: as many as `free`'s bits can make.
    guard 1 << free.nonzeroBitCount == members.count else { return nil }
    i = j + 1
    return (all, ~free)
  }

  /// From inside a branch at `i`, to the `|` or `)` that ends it at this depth; false when the
  /// source ends first.
  private static func skipToBranchEnd(_ s: [UInt8], _ i: inout Int) -> Bool {
    var depth = 0
    while i < s.count {
      let c = s[i]
      if c == backslash {
        i += 2
        continue
      }
      if c == UInt8(ascii: "[") {
        guard let end = classEnd(s, i) else { return false }
        i = end
        continue
      }
      if c == open { depth += 1 }
      if c == close {
        if depth == 0 { return true }
        depth -= 1
      }
      if c == bar, depth == 0 { return true }
      i += 1
    }
    return false
  }

  /// Whether the source's groups nest, with no `|` outside every group, no inline option,
  /// comment, verb or `\Q`, and every class closed.
  private static func wellNested(_ s: [UInt8]) -> Bool {
    var depth = 0
    var i = 0
    while i < s.count {
      let c = s[i]
      if c == backslash {
        guard i + 1 < s.count, s[i + 1] != UInt8(ascii: "Q") else { return false }
        i += 2
        continue
      }
      if c == UInt8(ascii: "[") {
        guard let end = classEnd(s, i) else { return false }
        i = end
        continue
      }
      if c == open {
        if i + 1 < s.count, s[i + 1] == UInt8(ascii: "*") { return false }
        if i + 1 < s.count, s[i + 1] == question {
          // Groups that set no option and are no comment.
          guard i + 2 < s.count, ":=!<>|'P(".utf8.contains(s[i + 2]) else { return false }
        }
        depth += 1
      } else if c == close {
        guard depth > 0 else { return false }
        depth -= 1
      } else if c == bar, depth == 0 {
        return false
      }
      i += 1
    }
    return depth == 0
  }

  /// Past the `]` that closes the class opening at `i` (a `]` first, or after `^`, is a member;
  /// `[:name:]` is read whole), or nil when it does not close.
  private static func classEnd(_ s: [UInt8], _ i: Int) -> Int? {
    var j = i + 1
    if j < s.count, s[j] == caret { j += 1 }
    if j < s.count, s[j] == UInt8(ascii: "]") { j += 1 }
    while j < s.count {
      let c = s[j]
      if c == backslash {
        j += 2
        continue
      }
      if c == UInt8(ascii: "["), j + 1 < s.count, s[j + 1] == UInt8(ascii: ":") {
        // A POSIX class `[:alpha:]` inside; anything else is a member `[`.
        var k = j + 2
        while k + 1 < s.count, !(s[k] == UInt8(ascii: ":") && s[k + 1] == UInt8(ascii: "]")) { k += 1 }
        if k + 1 < s.count {
          j = k + 2
          continue
        }
      }
      if c == UInt8(ascii: "]") { return j + 1 }
      j += 1
    }
    return nil
  }

  /// An ASCII byte that stands for itself outside a class.
  private static func isPlain(_ c: UInt8) -> Bool {
    c >= 0x20 && c < 0x7F && !#"\^$.|?*+()[]{}"#.utf8.contains(c)
  }

  /// A byte a backslash makes literal: ASCII that is neither a letter nor a digit.
  private static func isEscapedLiteral(_ c: UInt8) -> Bool {
    c >= 0x20 && c < 0x7F && !(c >= 0x30 && c <= 0x39) && !((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
  }

  private static func isNameStart(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A || c == 0x5F }
  private static func isNameByte(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) }
}
