import PodmortemText

/// What the pattern catalog answered for the messages recognised last (`PatternCatalog.firstMatch`
/// of an event's message, as `.event` and as `.reference`): a fixed table of `slots` places, each
/// the last message whose place it was with its kind and the hit. An EventList repeats its messages
/// (the 8 MiB bench slice has 6,648 events and 2,687 distinct messages) and a describe's Events
/// table repeats its rows across pods, and each look at the catalog costs about 6,800
/// instructions. A message is answered from its place only when the one held there has the same
/// bytes (`UTF8Bytes.same`; `==` would answer an accent spelt the other way with the held
/// spelling's captures) and the same kind, so the hit is the catalog's own answer for it. A
/// look in which a pattern failed to match (PCRE2's match limit; the catalog counts these, and
/// the report says how many) is not remembered, so every such failure is met and counted as
/// before. One per reading (a source, or the part of one another thread reads): no lock.
struct MessageMatchMemo {
  static let bits = 10
  static let slots = 1 << bits
  private var texts: [String?] = []
  private var kinds: [PatternKind?] = []
  private var hits: [PatternHit?] = []
  /// False for a memo that only asks the catalog (one event classified on its own).
  private let remembering: Bool

  init(remembering: Bool = true) { self.remembering = remembering }

  /// `patterns.firstMatch(text, kind: kind)`, or what it answered for a message of the same bytes
  /// and kind held in `text`'s place.
  mutating func firstMatch(_ text: String, kind: PatternKind, in patterns: PatternCatalog) -> PatternHit? {
    guard remembering else { return patterns.firstMatch(text, kind: kind) }
    let slot = Int(truncatingIfNeeded: UTF8Bytes.mixed(text) >> (64 - Self.bits))
    if !texts.isEmpty, kinds[slot] == kind, let held = texts[slot], UTF8Bytes.same(held, text) {
      return hits[slot]
    }
    let failures = patterns.matchFailureCount
    let hit = patterns.firstMatch(text, kind: kind)
    guard patterns.matchFailureCount == failures else { return hit }
    if texts.isEmpty {
      texts = [String?](repeating: nil, count: Self.slots)
      kinds = [PatternKind?](repeating: nil, count: Self.slots)
      hits = [PatternHit?](repeating: nil, count: Self.slots)
    }
    texts[slot] = text
    kinds[slot] = kind
    hits[slot] = hit
    return hit
  }
}
