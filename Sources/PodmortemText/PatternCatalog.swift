import Foundation
import PodmortemModel
import Synchronization

/// The patterns podmortem recognises: the shipped `patterns/*.json` plus any `--patterns DIR`.
///
/// `firstMatch` looks only at the patterns of the text's kind, checks each pattern's literals
/// with a byte search, and runs PCRE2 only when they all occur. A match that hits a limit counts
/// as no match and is counted in `matchFailures`, so one bad pattern cannot hang or end a run.
package struct PatternCatalog: Sendable {
  /// Every pattern, in match order: the order of the files, then the order within each file.
  package let patterns: [Pattern]
  /// Per kind (at `slot(kind)`), in match order, just what matching needs, behind one literal
  /// automaton; built on first use, so a run compiles only what the kinds it reads need. An array
  /// by the case, not a dictionary: a `String`-backed enum hashes its raw value, a SipHash of the
  /// kind's name on every line (docs/architecture.md "Speed of the kubelet-log path").
  private let byKind: [LazyIndex?]
  /// The `detail` patterns per domain (at `domainSlots[domain]`), in match order. A matcher's
  /// classifications name their domain's slot, found once here, so classifying a capture does not
  /// hash the domain's name (docs/architecture.md "Speed of the kubelet-log path").
  private let details: [LazyIndex]
  private let domainSlots: [String: Int]
  private let byID: [String: Int]
  private let failures = MatchFailures()
  /// What the details and `firstMatch(recurring:kind:)` answered for the short texts seen last,
  /// which repeat (docs/architecture.md "Speed of the kubelet-log path").
  private let memo = RecognitionMemo()

  package init(patterns: [Pattern]) {
    self.patterns = patterns
    byID = Dictionary(patterns.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    var domainSlots: [String: Int] = [:]
    for pattern in patterns {
      if let domain = pattern.detail, domainSlots[domain] == nil { domainSlots[domain] = domainSlots.count }
    }
    var byKind: [PatternKind: [Matcher]] = [:]
    var byDomain = [[Matcher]](repeating: [], count: domainSlots.count)
    for pattern in patterns {
      let matcher = Matcher(
        id: pattern.id, literals: pattern.literals, regex: pattern.regex, sets: pattern.sets,
        classify: pattern.classify.map { Classifying(capture: $0.capture, domain: domainSlots[$0.domain]) })
      if let domain = pattern.detail, let slot = domainSlots[domain] {
        byDomain[slot].append(matcher)
        continue
      }
      for kind in Set(pattern.kinds) { byKind[kind, default: []].append(matcher) }
    }
    var slots = [LazyIndex?](repeating: nil, count: Self.kindSlots)
    for (kind, matchers) in byKind { slots[Self.slot(kind)] = LazyIndex(matchers) }
    self.byKind = slots
    self.details = byDomain.map(LazyIndex.init)
    self.domainSlots = domainSlots
  }

  package static let empty = PatternCatalog(patterns: [])

  /// How many kinds there are, and each one's place in `byKind`.
  private static let kindSlots = PatternKind.allCases.count
  private static func slot(_ kind: PatternKind) -> Int {
    switch kind {
    case .event: 0
    case .kubelet: 1
    case .container: 2
    case .node: 3
    case .reference: 4
    case .detail: 5
    }
  }

  /// Loads pattern files in the given order. Ids must be unique across all of them: a repeated id
  /// is a diagnostic and the later pattern is skipped.
  /// `checked: false` is for the shipped files only (`PatternFile.parse`).
  package static func load(
    files: [(name: String, contents: String)], checked: Bool = true, diagnostics: @escaping DiagnosticSink
  ) -> PatternCatalog {
    load(
      files.map { file in
        (file.name, { PatternFile.parse(name: file.name, contents: file.contents, checked: checked, diagnostics: $0) })
      }, diagnostics: diagnostics)
  }

  /// The patterns of each file in order; a repeated id is a diagnostic and the later pattern is skipped.
  private static func load(
    _ files: [(name: String, patterns: (DiagnosticSink) -> [Pattern])], diagnostics: @escaping DiagnosticSink
  ) -> PatternCatalog {
    var patterns: [Pattern] = []
    var seen: [String: String] = [:]
    for file in files {
      for pattern in file.patterns(diagnostics) {
        if let first = seen[pattern.id] {
          diagnostics(
            Diagnostic(
              .warning, SourceRef(source: file.name, line: 0),
              "pattern '\(pattern.id)' skipped: id already defined in '\(first)'"))
          continue
        }
        seen[pattern.id] = file.name
        patterns.append(pattern)
      }
    }
    return PatternCatalog(patterns: patterns)
  }

  /// Loads every `*.json` file in `directory` (sorted by name) — the `--patterns DIR` option.
  /// Pattern files are small configuration, so each is read whole, up to `maximumFileSize`.
  package static func load(directory: URL, diagnostics: @escaping DiagnosticSink) -> PatternCatalog {
    let directoryRef = SourceRef(source: directory.path, line: 0)
    let urls: [URL]
    do {
      urls = try FileManager.default.contentsOfDirectory(
        at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]
      )
      .filter { $0.pathExtension == "json" }
      .sorted { $0.lastPathComponent < $1.lastPathComponent }
    } catch {
      diagnostics(Diagnostic(.error, directoryRef, "cannot read pattern directory: \(error.localizedDescription)"))
      return .empty
    }
    if urls.isEmpty { diagnostics(Diagnostic(.note, directoryRef, "no '.json' pattern files in directory")) }
    var files: [(name: String, contents: String)] = []
    for url in urls {
      let ref = SourceRef(source: url.path, line: 0)
      let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
      guard values?.isRegularFile != false else { continue }
      if let size = values?.fileSize, size > maximumFileSize {
        diagnostics(Diagnostic(.error, ref, "pattern file is \(size) bytes, more than the \(maximumFileSize) allowed"))
        continue
      }
      do {
        let data = try Data(contentsOf: url)
        guard let contents = String(data: data, encoding: .utf8) else {
          diagnostics(Diagnostic(.error, ref, "pattern file is not valid UTF-8"))
          continue
        }
        files.append((url.path, contents))
      } catch {
        diagnostics(Diagnostic(.error, ref, "cannot read pattern file: \(error.localizedDescription)"))
      }
    }
    return load(files: files, diagnostics: diagnostics)
  }

  /// The largest pattern file `load(directory:)` reads.
  package static let maximumFileSize = 4 << 20

  /// The patterns built into the binary (`ShippedPatterns.swift`, generated from `patterns/*.json`).
  /// The tests load them `checked` (every regex compiled, every example and counterexample run);
  /// a run only decodes them, and compiles a regex when a text first reaches it.
  package static func shipped(checked: Bool = false, diagnostics: @escaping DiagnosticSink) -> PatternCatalog {
    guard !checked else {
      return load(files: shippedFiles.map { ("patterns/\($0.name)", $0.contents) }, diagnostics: diagnostics)
    }
    // Decoded when ShippedPatterns.swift was generated: no JSON decoding on every start.
    return load(
      shippedSources.map { file in
        let name = "patterns/\(file.name)"
        return (name, { PatternFile.patterns(name: name, sources: file.patterns, checked: false, diagnostics: $0) })
      }, diagnostics: diagnostics)
  }

  /// This catalog with `other`'s patterns added in front, so a user's pattern wins over a shipped
  /// one; a pattern of `other` replaces the one of this catalog with the same id.
  package func merging(_ other: PatternCatalog) -> PatternCatalog {
    let replaced = Set(other.patterns.map(\.id))
    return PatternCatalog(patterns: other.patterns + patterns.filter { !replaced.contains($0.id) })
  }

  /// The pattern with this id.
  package func pattern(id: String) -> Pattern? { byID[id].map { patterns[$0] } }

  /// The first pattern of `kind` that matches `text`, with its captures, and for each capture the
  /// pattern classifies, the captures and facts of the first detail pattern of its domain that
  /// matches it (a key the hit already has keeps its first value).
  package func firstMatch(_ text: String, kind: PatternKind) -> PatternHit? {
    var failed = false
    return firstMatch(text, kind: kind, failed: &failed)
  }

  /// `firstMatch(text, kind: kind)` for a text whose parser read `values` from it already (a klog
  /// line's fields): a capture of the same bytes as a value is that value's string
  /// (`Regex.namedCapturePairs(in:then:sharing:)`), not a new one. The answer is the same.
  package func firstMatch(_ text: String, kind: PatternKind, sharing values: [KeyValue]) -> PatternHit? {
    var failed = false
    return firstMatch(text, kind: kind, sharing: values, failed: &failed)
  }

  /// `firstMatch(text, kind: kind)` for a text that recurs (the message of the kubelet's "Event
  /// occurred" line, the same few reasons over and over): answered from the catalog's memo when
  /// the text was the last of its place there, with the same bytes and kind.
  package func firstMatch(recurring text: String, kind: PatternKind) -> PatternHit? {
    var failed = false
    return memo.answer(text, code: Self.slot(kind), failed: &failed) { firstMatch(text, kind: kind, failed: &$0) }
  }

  /// `firstMatch`, with `failed` set when a match on the way hit a limit (such a look is not
  /// remembered, so every failure is met and counted as before).
  private func firstMatch(
    _ text: String, kind: PatternKind, sharing values: [KeyValue] = [], failed: inout Bool
  ) -> PatternHit? {
    guard let index = byKind[Self.slot(kind)]?.value,
      case let (hit, classify)? = index.first(matching: text, sharing: values, failures: failures, failed: &failed)
    else { return nil }
    return classified(hit, classify, depth: 0, failed: &failed)
  }

  /// The first detail pattern of `domain` that matches `text` (a value that did not come from a
  /// pattern's capture, such as a container's waiting message), its id and what it captured and sets.
  package func detail(_ text: String, _ domain: String) -> PatternHit? {
    guard let slot = domainSlots[domain] else { return nil }
    var failed = false
    return detail(text, slot, depth: 0, failed: &failed)
  }

  /// How deep details classify their own captures (`sandbox-error.pause-image` → `pull-error`): a
  /// bound, so domains that name each other cannot loop.
  static let maximumDetailDepth = 3

  /// The first detail pattern of the domain at `slot` that matches `text`, classified in turn.
  /// A detail's text is a capture that recurs (a probe's output, a pull error, a waiting
  /// message): answered from the memo when it holds the same bytes for this domain and depth,
  /// where the walk and the regex cost about 3,400 instructions a look (docs/architecture.md
  /// "Speed of the kubelet-log path"). `failed` is set when this look or one it made hit a limit.
  private func detail(_ text: String, _ slot: Int, depth: Int, failed: inout Bool) -> PatternHit? {
    guard depth < Self.maximumDetailDepth else { return nil }
    let code = Self.kindSlots &+ slot &* Self.maximumDetailDepth &+ depth
    return memo.answer(text, code: code, failed: &failed) { failed in
      guard case let (hit, classify)? = details[slot].value.first(matching: text, failures: failures, failed: &failed)
      else { return nil }
      return classified(hit, classify, depth: depth + 1, failed: &failed)
    }
  }

  /// `hit` with the captures and facts of the details of each capture its pattern classifies
  /// (`classify`, its pattern's). The hit is taken, not lent: its captures were shared with the
  /// tuple it came in, so appending a detail's copied the array (docs/architecture.md "Speed of
  /// the kubelet-log path").
  private func classified(
    _ hit: consuming PatternHit, _ classify: [Classifying], depth: Int, failed: inout Bool
  ) -> PatternHit {
    for classification in classify {
      guard let value = hit.capture(classification.capture), let slot = classification.domain,
        let detail = detail(value, slot, depth: depth, failed: &failed)
      else { continue }
      // The detail's captures whose key none of the hit's had before them, appended in place:
      // filtering them into an array of their own and appending that made two arrays a detail.
      // Each is compared with the captures the hit had before this detail only, as the filter
      // did, so a key the detail itself repeats is appended each time.
      let before = hit.captures.count
      for new in detail.captures {
        var present = false
        for k in 0..<before where hit.captures[k].key == new.key {
          present = true
          break
        }
        guard !present else { continue }
        if hit.captures.count == before { hit.captures.reserveCapacity(before + detail.captures.count) }
        hit.captures.append(new)
      }
    }
    return hit
  }

  /// The detail domains some pattern classifies in, and the ones detail patterns exist for.
  package var detailDomains: (classified: Set<String>, defined: Set<String>) {
    (Set(patterns.flatMap { $0.classify.map(\.domain) }), Set(domainSlots.keys))
  }

  /// How many matches hit a PCRE2 limit, per pattern id, sorted by id.
  package var matchFailures: [(id: String, count: Int)] { failures.snapshot() }
  /// The total number of matches that hit a PCRE2 limit.
  package var matchFailureCount: Int { failures.total() }
}

/// The part of a `Pattern` that `firstMatch` reads.
private struct Matcher: Sendable {
  let id: String
  let literals: [Literal]
  let regex: Regex
  let sets: [KeyValue]
  let classify: [Classifying]
}

/// A `Classification` with its domain's slot in `PatternCatalog.details` (nil when no detail
/// pattern has that domain, so the capture is never classified).
private struct Classifying: Sendable {
  let capture: String
  let domain: Int?
}

/// The patterns of one kind or detail domain in match order, and the automaton that finds all
/// their literals in one pass over a text: PCRE2 runs only for a pattern whose literals all occur,
/// which is what checking each pattern's literals in turn decided, at one table step per byte
/// instead of a search per literal per pattern (docs/patterns.md "Matching").
///
/// `@unchecked Sendable` is sound: the look's tables behind pointers are written once, by `init`,
/// and only read after it, as the arrays beside them are.
private final class MatchIndex: @unchecked Sendable {
  let matchers: [Matcher]
  /// Each matcher's regex, not retained: `matchers` holds them as long as this index lives, and a
  /// candidate's regex is all a match needs before it hits (its id, `sets` and classifications
  /// are read on a hit only), where copying the candidate out of `matchers` retained and
  /// released its five references for every regex run.
  private let regexes: [Unmanaged<Regex>]
  let literals: LiteralSet
  /// Per matcher, `literals.wordCount` words: the bits of the literals it needs.
  let required: [UInt64]
  /// How many 64-bit words a mask of matchers has.
  let matcherWords: Int
  /// Per literal, `matcherWords` words: the bits of the matchers that need it.
  let needing: [UInt64]
  /// The bits of the matchers that need no literal (tried on every text).
  let unconditional: [UInt64]
  /// The look in order's tables (`first`), made once and read through pointers: read as arrays
  /// of a class, each step of the look paid a bounds check and a retain and release of the array
  /// (docs/architecture.md "Speed of the kubelet-log path"). Per matcher, the range of `starts`
  /// one of which a text must begin with for its anchored regex to run (`AnchoredStart`; an empty
  /// range for a regex with no such start), at `startBounds[index]`; per matcher, the range of
  /// `ownLiterals` holding the ids of its literals, the one whose first byte is rarer in text first
  /// (`rarity`), at `literalBounds[index]`; every literal's bytes one after another
  /// (`literalBytes`), literal `id` from `literalStarts[id]` to `literalStarts[id + 1]`.
  private let startBounds: UnsafeMutablePointer<Int>
  private let starts: UnsafeMutablePointer<AnchoredStart.Alternative>
  private let literalBounds: UnsafeMutablePointer<Int>
  private let ownLiterals: UnsafeMutablePointer<Int>
  private let literalStarts: UnsafeMutablePointer<Int>
  private let literalBytes: UnsafeMutablePointer<UInt8>
  /// The start table (`StartTable`): per text's first two bytes, the matchers whose regex may
  /// begin there, the ones the look in order visits.
  private let admitted: StartTable
  /// Whether texts are looked at in order before the walk: when the first matcher is anchored.
  /// Where it is not (the event kind's first matchers search for their literals anywhere in a
  /// message), the look would spend its searches before any start could turn a matcher away.
  let looksInOrder: Bool

  init(_ matchers: [Matcher]) {
    self.matchers = matchers
    regexes = matchers.map { Unmanaged.passUnretained($0.regex) }
    var ids: [[UInt8]: Int] = [:]
    var distinct: [[UInt8]] = []
    var needs: [[Int]] = []
    for matcher in matchers {
      var own: [Int] = []
      for literal in matcher.literals where !literal.text.isEmpty {
        let bytes = Array(literal.text.utf8)
        if let id = ids[bytes] {
          own.append(id)
        } else {
          ids[bytes] = distinct.count
          own.append(distinct.count)
          distinct.append(bytes)
        }
      }
      needs.append(own)
    }
    literals = LiteralSet(distinct)
    let words = literals.wordCount
    var required = [UInt64](repeating: 0, count: matchers.count * words)
    for (index, own) in needs.enumerated() {
      for id in own { required[index * words + id >> 6] |= 1 << UInt64(id & 63) }
    }
    self.required = required
    let matcherWords = (matchers.count + 63) / 64
    var needing = [UInt64](repeating: 0, count: distinct.count * matcherWords)
    var unconditional = [UInt64](repeating: 0, count: max(matcherWords, 1))
    for (index, own) in needs.enumerated() {
      let bit: UInt64 = 1 << UInt64(index & 63)
      if own.isEmpty { unconditional[index >> 6] |= bit }
      for id in own { needing[id * matcherWords + index >> 6] |= bit }
    }
    self.matcherWords = matcherWords
    self.needing = needing
    self.unconditional = unconditional
    // Read from each regex's source once the kind is first asked for, as the automaton is.
    var startBounds = [0]
    var starts: [AnchoredStart.Alternative] = []
    for matcher in matchers {
      if let start = AnchoredStart(pattern: matcher.regex.pattern, caseless: matcher.regex.caseless) {
        starts += start.alternatives
      }
      startBounds.append(starts.count)
    }
    var literalBounds = [0]
    var ownLiterals: [Int] = []
    for own in needs {
      // Sorted stably: a literal that begins with a byte rare in text fails its search sooner.
      ownLiterals += own.enumerated().sorted { a, b in
        let (ra, rb) = (Self.rarity(distinct[a.element]), Self.rarity(distinct[b.element]))
        return ra != rb ? ra > rb : a.offset < b.offset
      }.map(\.element)
      literalBounds.append(ownLiterals.count)
    }
    var literalStarts = [0]
    for literal in distinct { literalStarts.append(literalStarts[literalStarts.count - 1] + literal.count) }
    self.startBounds = Self.stored(startBounds)
    self.starts = Self.stored(starts)
    self.literalBounds = Self.stored(literalBounds)
    self.ownLiterals = Self.stored(ownLiterals)
    self.literalStarts = Self.stored(literalStarts)
    literalBytes = Self.stored(distinct.flatMap { $0 })
    looksInOrder = startBounds.count > 1 && startBounds[1] > startBounds[0]
    admitted =
      looksInOrder
      ? StartTable(
        matchers: matchers.count,
        starts: matchers.indices.map { Array(starts[startBounds[$0]..<startBounds[$0 + 1]]) })
      : StartTable(matchers: 0, starts: [])
  }

  deinit {
    startBounds.deallocate()
    starts.deallocate()
    literalBounds.deallocate()
    ownLiterals.deallocate()
    literalStarts.deallocate()
    literalBytes.deallocate()
    admitted.free()
  }

  /// How many literals the look in order may search for before it leaves the rest of a text to
  /// the walk: about what three searches cost is what a line's walk costs a few times over
  /// (docs/architecture.md "Speed of the kubelet-log path").
  static let searchBudget = 3
  /// The budget for a text of at most `shortText` bytes: there a search (a `memchr` over a few
  /// hundred bytes and a `memcmp` where the first byte occurs) costs about a twentieth of the
  /// walk, and the literals of every unanchored kubelet matcher and of the anchored ones a
  /// line's start admits fit in it, so most lines the walk read are answered, or found to have no
  /// match, by the look. A longer text keeps `searchBudget`: a search stops at every place its
  /// first byte occurs, and on a long text made of that byte it costs far more than the walk
  /// (docs/architecture.md "Speed of the kubelet-log path").
  static let shortBudget = 16
  static let shortText = 1_024

  /// 1 when a literal's first byte is one text is full of (a lowercase letter, a digit, a space,
  /// a quote, `=`, `-`, `/`, `:`, `.`), else 2: its search stops at fewer places.
  private static func rarity(_ literal: [UInt8]) -> Int {
    guard let c = literal.first else { return 0 }
    if (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || " \"=-/:.".utf8.contains(c) { return 1 }
    return 2
  }

  /// `values` in storage of their own (room for one at least), never written again.
  private static func stored<T>(_ values: [T]) -> UnsafeMutablePointer<T> {
    let storage = UnsafeMutablePointer<T>.allocate(capacity: max(values.count, 1))
    _ = UnsafeMutableBufferPointer(start: storage, count: values.count).initialize(from: values)
    return storage
  }

  /// The first matcher whose literals all occur and whose regex matches `text`; `failed` is set
  /// when a regex run hit a limit (it is counted in `failures` and taken as no match).
  ///
  /// Two ways, one answer. First, where the kind's first matcher is anchored (`looksInOrder`),
  /// the matchers are taken in order, as the walk's candidates are: those the start table admits
  /// for the text's first two bytes (`StartTable`), and of them an anchored regex whose start
  /// the text does not begin with is passed over (it cannot match, `AnchoredStart`), and another's
  /// literals are searched for one by one (`ASCIISearch.offset`, what `Literal.occurs` and so the
  /// walk's answer is); a matcher whose literals all occur runs its regex. Most kubelet lines are one of the first matchers' (`"Probe failed"` is the first), so
  /// their answer comes after a search or two, where the walk read the whole line. When more than
  /// the budget's literals would be searched (`shortBudget` for a text of at most `shortText`
  /// bytes, else `searchBudget`), the walk finds them all and its candidates are
  /// tried from the matcher the look stopped at; every matcher before it was decided as the walk
  /// would have decided it, so each regex runs at most once and in the same order as before
  /// (docs/architecture.md "Speed of the kubelet-log path").
  func first(
    matching text: String, sharing values: [KeyValue] = [], failures: MatchFailures, failed: inout Bool
  ) -> (hit: PatternHit, classify: [Classifying])? {
    var subject = text
    let words = literals.wordCount
    return subject.withUTF8 { bytes in
      // The text's first eight bytes, for the anchored regexes' starts.
      let firstWord = AnchoredStart.firstWord(bytes)
      // The look in order, until the budget of searches would be passed: only the matchers the
      // start table admits for the text's first two bytes are visited, the others' regexes being
      // anchored at starts the text does not begin with (`begins` would pass them over).
      var from = 0
      if looksInOrder {
        let budget = bytes.count <= Self.shortText ? Self.shortBudget : Self.searchBudget
        var searched = 0
        var stopped = false
        let visit = admitted.matchers(firstWord)
        look: for m in 0..<admitted.words {
          var bits = visit[m]
          while bits != 0 {
            let index = m &* 64 &+ bits.trailingZeroBitCount
            bits &= bits &- 1
            guard begins(index, bytes.count, firstWord) else { continue }
            let lower = literalBounds[index]
            let upper = literalBounds[index &+ 1]
            guard searched &+ (upper &- lower) <= budget else {
              from = index
              stopped = true
              break look
            }
            searched &+= upper &- lower
            var all = true
            for k in lower..<upper where !occurs(ownLiterals[k], bytes) {
              all = false
              break
            }
            if all, let hit = run(index, text, values, failures, &failed) { return hit }
          }
        }
        if !stopped { return nil }
      }
      // Which literals occur: in a temporary allocation (on the stack when small).
      return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(words, 1)) { found in
        found.initialize(repeating: 0)
        literals.scan(bytes, into: found)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(matcherWords, 1)) { candidates in
          // The matchers some found literal is needed by, and those that need none: a text holds
          // a few of the kind's literals, so this visits a few matchers, where every matcher's
          // words were tested on every text (docs/architecture.md "Speed of the kubelet-log path").
          for w in 0..<max(matcherWords, 1) { candidates[w] = unconditional[w] }
          for w in 0..<words {
            var bits = found[w]
            while bits != 0 {
              let id = w &* 64 &+ bits.trailingZeroBitCount
              bits &= bits &- 1
              for m in 0..<matcherWords { candidates[m] |= needing[id &* matcherWords &+ m] }
            }
          }
          // The matchers before `from` were decided by the look in order.
          for m in 0..<matcherWords {
            let below = from &- m &* 64
            if below >= 64 {
              candidates[m] = 0
            } else if below > 0 {
              candidates[m] &= ~((1 << UInt64(below)) &- 1)
            }
          }
          return required.withUnsafeBufferPointer { required in
            // In match order: a candidate's bits in increasing index. A matcher is read (its
            // references retained) only once its literals all occur.
            for m in 0..<matcherWords {
              var bits = candidates[m]
              while bits != 0 {
                let index = m &* 64 &+ bits.trailingZeroBitCount
                bits &= bits &- 1
                var passes = true
                for w in 0..<words where required[index &* words &+ w] & ~found[w] != 0 {
                  passes = false
                  break
                }
                guard passes, begins(index, bytes.count, firstWord) else { continue }
                if let hit = run(index, text, values, failures, &failed) { return hit }
              }
            }
            return nil
          }
        }
      }
    }
  }

  /// Whether matcher `index`'s regex may match a text of `count` bytes beginning with `firstWord`:
  /// always, unless it is anchored and the text begins with none of its starts. A regex turned
  /// away has no match, and none of PCRE2's limits could be met on the way (`AnchoredStart`), so
  /// it is not run.
  @inline(__always)
  private func begins(_ index: Int, _ count: Int, _ firstWord: UInt64) -> Bool {
    let lower = startBounds[index]
    let upper = startBounds[index &+ 1]
    guard lower != upper else { return true }
    for k in lower..<upper where count >= starts[k].length && firstWord & starts[k].mask == starts[k].value {
      return true
    }
    return false
  }

  /// Whether literal `id` occurs in `bytes`: `Literal.occurs`, the walk's answer for it.
  @inline(__always)
  private func occurs(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let start = literalStarts[id]
    let needle = UnsafeBufferPointer(start: literalBytes + start, count: literalStarts[id &+ 1] &- start)
    return ASCIISearch.offset(of: needle, in: bytes) != nil
  }

  /// Matcher `index`'s regex run on `text`: its hit, or nil (a failure counted and `failed` set).
  @inline(__always)
  private func run(
    _ index: Int, _ text: String, _ values: [KeyValue], _ failures: MatchFailures, _ failed: inout Bool
  ) -> (hit: PatternHit, classify: [Classifying])? {
    do {
      // The named captures and the pattern's `sets` made as one array, where the captures were
      // mapped into a second and `sets` appended into a third.
      let captures = try regexes[index]._withUnsafeGuaranteedRef {
        try $0.namedCapturePairs(in: text, then: matchers[index].sets, sharing: values)
      }
      if let captures {
        return (PatternHit(patternID: matchers[index].id, captures: captures), matchers[index].classify)
      }
    } catch {
      failures.record(matchers[index].id)
      failed = true
    }
    return nil
  }
}

/// A `MatchIndex` built on first use (under a lock, so concurrent first uses build it once).
/// The lock is the standard library's `Mutex`, which the compiler inlines, where `NSLock` cost
/// about 75 instructions a pair through Foundation on every text recognised (docs/architecture.md
/// "Speed of the kubelet-log path").
private final class LazyIndex: @unchecked Sendable {
  private let matchers: [Matcher]
  // Guarded by `lock`; the lock is what makes it safe, so the exclusivity check is left out, as
  // `Regex.free` does.
  @exclusivity(unchecked) private var built: MatchIndex?
  private let lock = Mutex<Void>(())

  init(_ matchers: [Matcher]) { self.matchers = matchers }

  var value: MatchIndex {
    lock.withLock { _ in
      if let built { return built }
      let index = MatchIndex(matchers)
      built = index
      return index
    }
  }
}

/// What the catalog answered for the short texts it was asked about last, for texts that recur:
/// a fixed table of `slots` places, each holding the last text whose place it was, with the code of
/// what was asked (a kind, or a detail domain at a depth) and the answer. An answer is given from
/// its place only for a text of the same bytes (`UTF8Bytes.same`: `==` would answer an accent spelt
/// the other way with the held spelling's captures) and the same code, so it is the answer the
/// catalog would make again. A look in which a match hit a limit is not remembered, so every such
/// failure is met and counted as before (`MessageMatchMemo` in the ingestor does the same for an
/// EventList's messages). The catalog is shared by threads, so the table is read and written
/// under a lock; it is made at its first store, and texts longer than `longest` bytes are never
/// held, so what it holds is bounded (docs/architecture.md "Speed of the kubelet-log path").
private final class RecognitionMemo: @unchecked Sendable {
  static let bits = 8
  static let slots = 1 << bits
  static let longest = 1_024

  private struct Entry {
    let text: String
    let code: Int
    let hit: PatternHit?
  }

  // Guarded by `lock`; the lock is what makes it safe, so the exclusivity check is left out, as
  // `Regex.free` does.
  @exclusivity(unchecked) private var entries: [Entry?] = []
  private let lock = Mutex<Void>(())

  /// `look()`'s answer for `text` asked as `code`, or the one held for the same bytes and code.
  /// `look` sets its argument when a match hit a limit; then `failed` is set and nothing is held.
  func answer(
    _ text: String, code: Int, failed: inout Bool, _ look: (inout Bool) -> PatternHit?
  ) -> PatternHit? {
    guard text.utf8.count <= Self.longest else { return look(&failed) }
    let mixed = UTF8Bytes.mixed(text) ^ (UInt64(truncatingIfNeeded: code) &* 0x9E37_79B9_7F4A_7C15)
    let place = Int(truncatingIfNeeded: mixed >> (64 - UInt64(Self.bits)))
    if let known = held(text, code: code, place: place) { return known }
    var lookFailed = false
    let hit = look(&lookFailed)
    guard !lookFailed else {
      failed = true
      return hit
    }
    keep(hit, text, code: code, place: place)
    return hit
  }

  // The two locked sections stay calls of their own, so `answer` stays small enough to be inlined
  // where it is asked, as it was with `NSLock` (inlined, the look's closure copied the catalog).

  /// The answer held at `place` for the same bytes and code (`.some(nil)`: no match), or nil.
  @inline(never)
  private func held(_ text: String, code: Int, place: Int) -> PatternHit?? {
    lock.withLock { _ in
      guard !entries.isEmpty, let held = entries[place], held.code == code, UTF8Bytes.same(held.text, text) else {
        return nil
      }
      return .some(held.hit)
    }
  }

  /// Holds `hit` at `place` for `text` asked as `code`.
  @inline(never)
  private func keep(_ hit: PatternHit?, _ text: String, code: Int, place: Int) {
    lock.withLock { _ in
      if entries.isEmpty { entries = [Entry?](repeating: nil, count: Self.slots) }
      entries[place] = Entry(text: text, code: code, hit: hit)
    }
  }
}

/// Counts matches that failed with a PCRE2 error. A class so that a `Sendable` catalog can be
/// shared by concurrent tasks and still count; the lock guards the counts.
private final class MatchFailures: @unchecked Sendable {
  private var counts: [String: Int] = [:]
  private let lock = NSLock()

  func record(_ id: String) {
    lock.lock()
    defer { lock.unlock() }
    counts[id, default: 0] += 1
  }

  func snapshot() -> [(id: String, count: Int)] {
    lock.lock()
    defer { lock.unlock() }
    return counts.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
  }

  func total() -> Int {
    lock.lock()
    defer { lock.unlock() }
    return counts.values.reduce(0, +)
  }
}
