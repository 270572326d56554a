import CPCRE2
import Foundation
import PodmortemModel
import Synchronization

/// Why a regex could not be compiled or a match could not finish.
///
/// This is the one place where PCRE2 return codes become Swift values (docs/architecture.md: one type owns
/// each C handle, one place turns C codes into typed errors).
package enum RegexError: Error, Hashable, Sendable, CustomStringConvertible {
  /// PCRE2 rejected the pattern; `offset` is the byte offset in the pattern where it gave up.
  case compile(message: String, offset: Int, pattern: String)
  /// The match needed more backtracking steps than `RegexLimits.matchLimit` allows.
  case matchLimitExceeded
  /// The interpreter's backtracking nested deeper than `RegexLimits.depthLimit`.
  case depthLimitExceeded
  /// The interpreter's backtracking frames needed more memory than `RegexLimits.heapLimitKiB`.
  case heapLimitExceeded
  /// The JIT code needed more stack than `RegexLimits.jitStackBytes`.
  case jitStackLimitExceeded
  /// PCRE2 could not allocate match data, a match context or a JIT stack.
  case outOfMemory
  /// Any other PCRE2 match error, with PCRE2's own message.
  case match(code: Int32, message: String)

  package var description: String {
    switch self {
    case .compile(let message, let offset, let pattern):
      "cannot compile regex '\(pattern)': \(message) at offset \(offset)"
    case .matchLimitExceeded: "match limit exceeded"
    case .depthLimitExceeded: "depth limit exceeded"
    case .heapLimitExceeded: "heap limit exceeded"
    case .jitStackLimitExceeded: "jit stack limit exceeded"
    case .outOfMemory: "out of memory"
    case .match(let code, let message): "match failed: \(message) (pcre2 error \(code))"
    }
  }
}

/// How much work one match may do before it gives up with an error instead of hanging.
package struct RegexLimits: Hashable, Sendable {
  /// PCRE2's match limit: calls of its internal match function (interpreter) or backtracking
  /// points (JIT). PCRE2's own default is 10,000,000; log lines need far fewer.
  package var matchLimit: UInt32
  /// Backtracking depth (interpreter only; JIT ignores it and is bounded by its stack).
  package var depthLimit: UInt32
  /// Heap for the interpreter's backtracking frames, in KiB.
  package var heapLimitKiB: UInt32
  /// The largest JIT stack one match may grow to.
  package var jitStackBytes: Int

  package init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32, jitStackBytes: Int) {
    self.matchLimit = matchLimit
    self.depthLimit = depthLimit
    self.heapLimitKiB = heapLimitKiB
    self.jitStackBytes = jitStackBytes
  }

  /// Enough for any sane pattern on a capped log line; a catastrophic one fails in milliseconds.
  package static let standard = RegexLimits(
    matchLimit: 1_000_000, depthLimit: 100_000, heapLimitKiB: 20_000, jitStackBytes: 1 << 20)
}

/// A compiled PCRE2 regular expression (UTF-8, named groups, JIT-compiled when available).
///
/// `@unchecked Sendable` is sound: the compiled `pcre2_code` (including its JIT code) is written
/// once, under `lock`, and never again; PCRE2 documents compiled patterns as shareable between
/// threads. Everything a match writes — match data, match context, JIT stack — lives in a
/// `MatchScratch` that only one match uses at a time: it is taken from a lock-protected pool for
/// the duration of one call and returned afterwards, so concurrent callers never share one.
///
/// `Regex(deferred:)` compiles on first use instead: the shipped patterns are checked by the
/// tests, so a run compiles only those its input reaches (docs/patterns.md "Matching").
package final class Regex: @unchecked Sendable {
  /// The source pattern as written.
  package let pattern: String
  package let caseless: Bool
  package let limits: RegexLimits
  private let jit: Bool
  // Guarded by `lock`; set once, by `init` or by the first use of a deferred regex.
  private var compiledValue: Compiled?
  // Guarded by `lock`: reusable `MatchScratch`es, so a match allocates nothing in the common case;
  // one in `free` is used by nobody. The compiled code and a free scratch are taken under one
  // lock, where a pool of its own took a second lock on every match; the lock is what makes it
  // safe, so the runtime's exclusivity check (two `swift_beginAccess` calls on every match, 80
  // instructions each) is left out (docs/architecture.md "Speed of the kubelet-log path"). The
  // lock is the standard library's `Mutex`, which the compiler inlines (an atomic exchange a side,
  // where `NSLock` cost about 75 instructions a pair through Foundation, twice a match); it guards
  // these properties, not a value, as `OutputFilter`'s does.
  @exclusivity(unchecked) private var free: [MatchScratch] = []
  private let lock = Mutex<Void>(())
  /// More would only hold memory: at most this many matches of one regex run at once in practice.
  private static let scratchCapacity = 8

  /// Whether the pattern runs as JIT code (false when PCRE2 was built without JIT or JIT failed,
  /// or when a deferred pattern does not compile).
  package var isJITCompiled: Bool { (try? compiled())?.isJITCompiled ?? false }
  /// The named groups, in group-number order.
  package var groupNames: [String] { (try? compiled())?.groupNames ?? [] }
  /// The number of capturing groups, named or not.
  package var captureCount: Int { (try? compiled())?.captureCount ?? 0 }

  /// What compiling produced: the code, and what was read from it once.
  private final class Compiled {
    let code: OpaquePointer
    let isJITCompiled: Bool
    let groupNames: [String]
    /// The group number of each entry of `groupNames`.
    let groupNumbers: [Int]
    let captureCount: Int

    init(code: OpaquePointer, jit: Bool) {
      self.code = code
      // A JIT failure is not fatal: the interpreter runs the same pattern under the same limits.
      isJITCompiled = jit && Regex.isJITAvailable && pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
      var captures: UInt32 = 0
      pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
      captureCount = Int(captures)
      let names = Regex.nameTable(code)
      groupNames = names.map(\.name)
      groupNumbers = names.map(\.number)
    }

    deinit { pcre2_code_free_8(code) }
  }

  /// Whether this PCRE2 library can JIT-compile at all.
  package static let isJITAvailable: Bool = {
    var available: UInt32 = 0
    return pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &available) >= 0 && available == 1
  }()

  /// Compiles `pattern` in UTF mode. `jit: false` forces the interpreter (for tests and for
  /// patterns that must be checked against the depth and heap limits).
  package init(
    _ pattern: String, caseless: Bool = false, jit: Bool = true, limits: RegexLimits = .standard
  ) throws(RegexError) {
    self.pattern = pattern
    self.caseless = caseless
    self.limits = limits
    self.jit = jit
    compiledValue = try Regex.compile(pattern, caseless: caseless, jit: jit)
  }

  /// A regex compiled on its first use, for patterns a test has already compiled (the shipped
  /// ones); if it does not compile after all, every match fails with `RegexError.compile`.
  package init(
    deferred pattern: String, caseless: Bool = false, jit: Bool = true, limits: RegexLimits = .standard
  ) {
    self.pattern = pattern
    self.caseless = caseless
    self.limits = limits
    self.jit = jit
  }

  private static func compile(_ pattern: String, caseless: Bool, jit: Bool) throws(RegexError) -> Compiled {
    var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_NEVER_BACKSLASH_C)
    if caseless { options |= UInt32(PCRE2_CASELESS) }
    var errorCode: Int32 = 0
    var errorOffset = 0
    let compiled: OpaquePointer? = Regex.withBytes(pattern) { base, count in
      pcre2_compile_8(base, count, options, &errorCode, &errorOffset, nil)
    }
    guard let compiled else {
      throw .compile(message: Regex.errorMessage(errorCode), offset: errorOffset, pattern: pattern)
    }
    return Compiled(code: compiled, jit: jit)
  }

  /// The compiled code, compiling it on first use.
  private func compiled() throws(RegexError) -> Compiled {
    try lock.withLock { _ throws(RegexError) -> Compiled in
      if let compiledValue { return compiledValue }
      let value = try Regex.compile(pattern, caseless: caseless, jit: jit)
      compiledValue = value
      return value
    }
  }

  /// The compiled code (compiling it on first use) and a free scratch if there is one, under one
  /// lock: what every match takes before it runs.
  private func compiledAndScratch() throws(RegexError) -> (Compiled, MatchScratch?) {
    try lock.withLock { _ throws(RegexError) -> (Compiled, MatchScratch?) in
      if let compiledValue { return (compiledValue, free.popLast()) }
      let value = try Regex.compile(pattern, caseless: caseless, jit: jit)
      compiledValue = value
      return (value, free.popLast())
    }
  }

  /// Hands a scratch back after its match, kept for the next when fewer than `scratchCapacity` are.
  private func give(_ scratch: MatchScratch) {
    lock.withLock { _ in
      if free.count < Self.scratchCapacity { free.append(scratch) }
    }
  }

  /// The first match in `text` at or after UTF-8 byte offset `start` (lookbehinds still see the
  /// text before it), or nil. Throws when a limit stops the match.
  package func firstMatch(in text: String, from start: Int = 0) throws(RegexError) -> RegexMatch? {
    let (compiled, spare) = try compiledAndScratch()
    let outcome = Regex.withBytes(text) { base, count in run(compiled, spare, base, count, from: start, extract: true) }
    switch outcome {
    case .noMatch: return nil
    case .failed(let error): throw error
    case .named, .pairs: return nil  // not asked for here
    case .matched(let range, let groups):
      var captures: [(name: String, value: String)] = []
      captures.reserveCapacity(compiled.groupNames.count)
      for (name, number) in zip(compiled.groupNames, compiled.groupNumbers) where number < groups.count {
        if let value = groups[number] { captures.append((name, value)) }
      }
      return RegexMatch(subject: text, utf8Range: range, groups: groups, captures: captures)
    }
  }

  /// `firstMatch(in: text)?.captures`: the named groups of the first match that participated, in
  /// group order, without building the whole match's text or an unnamed group's (a recognised
  /// line's captures are all a pattern reads of its match: docs/architecture.md "Speed of the
  /// kubelet-log path").
  package func namedCaptures(in text: String) throws(RegexError) -> [(name: String, value: String)]? {
    let (compiled, spare) = try compiledAndScratch()
    let outcome = Regex.withBytes(text) { base, count in
      run(compiled, spare, base, count, from: 0, extract: true, named: true)
    }
    switch outcome {
    case .noMatch: return nil
    case .failed(let error): throw error
    case .matched, .pairs: return []
    case .named(let captures): return captures
    }
  }

  /// Whether `text` contains a match; cheaper than `firstMatch` because nothing is copied out.
  package func matches(_ text: String) throws(RegexError) -> Bool {
    let (compiled, spare) = try compiledAndScratch()
    let outcome = Regex.withBytes(text) { base, count in run(compiled, spare, base, count, from: 0, extract: false) }
    switch outcome {
    case .noMatch: return false
    case .matched, .named, .pairs: return true
    case .failed(let error): throw error
    }
  }

  /// `namedCaptures(in:)` as key-value pairs, followed by `extra`: one array made at its final
  /// size, where the caller mapped the named pairs into a second array and appended `extra` to
  /// make a third (a recognised line's captures and its pattern's `sets`, `MatchIndex.first`).
  package func namedCapturePairs(in text: String, then extra: [KeyValue]) throws(RegexError) -> [KeyValue]? {
    try namedCapturePairs(in: text, then: extra, sharing: [])
  }

  /// `namedCapturePairs(in:then:)`, a capture whose bytes are those of one of `values`' values
  /// taken as that value (the first such), not made again: a string of those very bytes, which is
  /// what `String(decoding:as:)` makes of them (a `String` is always valid UTF-8, so bytes equal
  /// to one are valid and decode to themselves). A kubelet line's captures are mostly its
  /// fields' values (a pod's name and UID, a container), read already by the klog parser; each
  /// was a new string, over 15 bytes an allocation (docs/architecture.md "Speed of the
  /// kubelet-log path").
  package func namedCapturePairs(
    in text: String, then extra: [KeyValue], sharing values: [KeyValue]
  ) throws(RegexError) -> [KeyValue]? {
    let (compiled, spare) = try compiledAndScratch()
    let outcome = Regex.withBytes(text) { base, count in
      run(compiled, spare, base, count, from: 0, extract: true, pairs: extra, sharing: values)
    }
    switch outcome {
    case .noMatch: return nil
    case .failed(let error): throw error
    case .matched, .named: return extra
    case .pairs(let pairs): return pairs
    }
  }

  private enum Outcome {
    case noMatch
    /// The whole match's byte range and every group's text (index 0 is the whole match).
    case matched(Range<Int>, [String?])
    /// The named groups that participated, in group order (what `firstMatch` calls `captures`).
    case named([(name: String, value: String)])
    /// `named` as key-value pairs, followed by the caller's extra pairs.
    case pairs([KeyValue])
    case failed(RegexError)
  }

  /// One match with `spare` (taken with the code) or a new scratch, handed back afterwards.
  private func run(
    _ compiled: Compiled, _ spare: MatchScratch?, _ base: UnsafePointer<UInt8>, _ count: Int, from start: Int,
    extract: Bool, named: Bool = false, pairs extra: [KeyValue]? = nil, sharing values: [KeyValue] = []
  ) -> Outcome {
    guard start >= 0, start <= count else {
      if let spare { give(spare) }
      return .noMatch
    }
    let code = compiled.code
    let captureCount = compiled.captureCount
    guard let scratch = spare ?? MatchScratch(code: code, limits: limits) else {
      return .failed(.outOfMemory)
    }
    defer { give(scratch) }
    // Swift strings are always valid UTF-8, so PCRE2's own validity scan would be wasted work.
    // JIT code is entered directly: `pcre2_match` with no UTF check and no option the JIT lacks
    // calls `pcre2_jit_match` with the same arguments after argument checks that `start <= count`
    // and a non-null subject already pass (pcre2api(3), pcre2jit(3) "JIT fast path API").
    let jit = compiled.isJITCompiled
    func match() -> Int32 {
      jit
        ? pcre2_jit_match_8(code, base, count, start, UInt32(PCRE2_NO_UTF_CHECK), scratch.matchData, scratch.context)
        : pcre2_match_8(code, base, count, start, UInt32(PCRE2_NO_UTF_CHECK), scratch.matchData, scratch.context)
    }
    var rc = match()
    // JIT code starts on 32 KiB of machine stack; only a match that needs more gets a JIT stack
    // (kept with the scratch for later matches) and runs again.
    if rc == PCRE2_ERROR_JIT_STACKLIMIT && scratch.growJITStack(limits.jitStackBytes) {
      rc = match()
    }
    if rc < 0 { return rc == PCRE2_ERROR_NOMATCH ? .noMatch : .failed(Regex.matchError(rc)) }
    guard let ovector = pcre2_get_ovector_pointer_8(scratch.matchData) else { return .failed(.outOfMemory) }
    let unset = CPCRE2_unset()
    let wholeStart = ovector[0]
    let wholeEnd = max(ovector[0], ovector[1])
    guard extract else { return .matched(wholeStart..<wholeEnd, []) }
    // rc is the highest set pair plus one; groups above it did not participate.
    let setPairs = rc == 0 ? captureCount + 1 : Int(rc)
    if let extra {
      // The groups `named` reads, tested as it tests them.
      var pairs: [KeyValue] = []
      pairs.reserveCapacity(compiled.groupNames.count + extra.count)
      for (name, group) in zip(compiled.groupNames, compiled.groupNumbers) where group <= captureCount {
        let start = ovector[2 * group]
        let end = ovector[2 * group + 1]
        guard group < setPairs, start != unset, end != unset, start <= end, end <= count else { continue }
        let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
        pairs.append(KeyValue(name, Regex.value(of: bytes, in: values) ?? String(decoding: bytes, as: UTF8.self)))
      }
      pairs += extra
      return .pairs(pairs)
    }
    if named {
      // The groups `firstMatch` reads its captures from, tested as the loop below tests them.
      var captures: [(name: String, value: String)] = []
      captures.reserveCapacity(compiled.groupNames.count)
      for (name, group) in zip(compiled.groupNames, compiled.groupNumbers) where group <= captureCount {
        let start = ovector[2 * group]
        let end = ovector[2 * group + 1]
        guard group < setPairs, start != unset, end != unset, start <= end, end <= count else { continue }
        captures.append(
          (name, String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self)))
      }
      return .named(captures)
    }
    var groups: [String?] = []
    groups.reserveCapacity(captureCount + 1)
    for group in 0...captureCount {
      let start = ovector[2 * group]
      let end = ovector[2 * group + 1]
      // `\K` in a lookbehind can report start > end; PCRE2 documents it, treat it as empty.
      guard group < setPairs, start != unset, end != unset, start <= end, end <= count else {
        groups.append(nil)
        continue
      }
      groups.append(String(decoding: UnsafeBufferPointer(start: base + start, count: end - start), as: UTF8.self))
    }
    return .matched(wholeStart..<wholeEnd, groups)
  }

  /// The first of `values`' values whose UTF-8 bytes are `bytes`, or nil: its length compared
  /// first, then its bytes where it has contiguous storage (a native string always has).
  private static func value(of bytes: UnsafeBufferPointer<UInt8>, in values: [KeyValue]) -> String? {
    guard !values.isEmpty, let p = bytes.baseAddress else { return nil }
    let n = bytes.count
    return values.withUnsafeBufferPointer { values -> String? in
      for k in values.indices {
        let utf8 = values[k].value.utf8
        guard utf8.count == n else { continue }
        let same = utf8.withContiguousStorageIfAvailable { held in
          held.baseAddress.map { memcmp($0, p, n) == 0 } ?? (n == 0)
        }
        if same == true { return values[k].value }
      }
      return nil
    }
  }

  /// Calls `body` with `text`'s UTF-8 bytes, without copying a native string.
  private static func withBytes<R>(_ text: String, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    var text = text
    return text.withUTF8 { buffer in
      if let base = buffer.baseAddress { return body(base, buffer.count) }
      // An empty string may have no storage; PCRE2 wants a pointer even for length 0.
      return withUnsafePointer(to: UInt8(0)) { body($0, 0) }
    }
  }

  private static func nameTable(_ code: OpaquePointer) -> [(name: String, number: Int)] {
    var count: UInt32 = 0
    var entrySize: UInt32 = 0
    var table: UnsafePointer<UInt8>?
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
    pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
    guard let table, count > 0 else { return [] }
    // Each entry: a big-endian 16-bit group number, then the NUL-terminated name (pcre2api(3)).
    var entries: [(name: String, number: Int)] = []
    for index in 0..<Int(count) {
      let entry = table + index * Int(entrySize)
      let number = Int(entry[0]) << 8 | Int(entry[1])
      entries.append((String(cString: entry + 2), number))
    }
    return entries.sorted { $0.number < $1.number }
  }

  private static func matchError(_ rc: Int32) -> RegexError {
    switch rc {
    case PCRE2_ERROR_MATCHLIMIT: .matchLimitExceeded
    case PCRE2_ERROR_DEPTHLIMIT: .depthLimitExceeded
    case PCRE2_ERROR_HEAPLIMIT: .heapLimitExceeded
    case PCRE2_ERROR_JIT_STACKLIMIT: .jitStackLimitExceeded
    case PCRE2_ERROR_NOMEMORY: .outOfMemory
    default: .match(code: rc, message: errorMessage(rc))
    }
  }

  private static func errorMessage(_ code: Int32) -> String {
    var buffer = [UInt8](repeating: 0, count: 256)
    let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
    return length > 0 ? String(decoding: buffer.prefix(Int(length)), as: UTF8.self) : "pcre2 error \(code)"
  }
}

/// One successful match: the whole match and its named groups.
package struct RegexMatch: Sendable {
  /// The text that was searched.
  package let subject: String
  /// The whole match as UTF-8 byte offsets into `subject`.
  package let utf8Range: Range<Int>
  /// Group texts by number (0 is the whole match); nil for groups that did not participate.
  private let groups: [String?]
  /// The named groups that participated, in group order.
  package let captures: [(name: String, value: String)]

  init(subject: String, utf8Range: Range<Int>, groups: [String?], captures: [(name: String, value: String)]) {
    self.subject = subject
    self.utf8Range = utf8Range
    self.groups = groups
    self.captures = captures
  }

  /// The whole match.
  package var text: String { groups.first.flatMap { $0 } ?? "" }

  /// The whole match as a range of `subject`.
  package var range: Range<String.Index> {
    let utf8 = subject.utf8
    let lower = utf8.index(utf8.startIndex, offsetBy: utf8Range.lowerBound)
    return lower..<utf8.index(lower, offsetBy: utf8Range.count)
  }

  /// The text of the named group, or nil when it did not participate (or does not exist).
  package subscript(name: String) -> String? {
    captures.first { $0.name == name }?.value
  }

  /// The text of group `number`, or nil when it did not participate (or does not exist).
  package subscript(group number: Int) -> String? {
    number >= 0 && number < groups.count ? groups[number] : nil
  }
}

/// A literal substring searched with `memmem`: the cheap prefilter run before a regex.
package struct Literal: Hashable, Sendable {
  package let text: String
  private let bytes: [UInt8]

  package init(_ text: String) {
    self.text = text
    self.bytes = Array(text.utf8)
  }

  /// Whether `subject` contains the literal (case-sensitive, byte-wise).
  package func occurs(in subject: String) -> Bool {
    if bytes.isEmpty { return true }
    var subject = subject
    return subject.withUTF8 { haystack in
      bytes.withUnsafeBufferPointer { needle in
        guard let h = haystack.baseAddress, let n = needle.baseAddress, haystack.count >= needle.count else {
          return false
        }
        return Literal.search(h, haystack.count, n, needle.count)
      }
    }
  }
}

extension Literal {
  /// Whether `needle` occurs in `haystack` (an empty needle does).
  static func occurs(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
    if needle.isEmpty { return true }
    return needle.withUnsafeBufferPointer { n in
      guard let h = haystack.baseAddress, let nb = n.baseAddress, haystack.count >= n.count else { return false }
      return search(h, haystack.count, nb, n.count)
    }
  }

  /// `ASCIISearch.offset`, the one byte search.
  fileprivate static func search(
    _ haystack: UnsafePointer<UInt8>, _ haystackCount: Int, _ needle: UnsafePointer<UInt8>, _ needleCount: Int
  ) -> Bool {
    ASCIISearch.offset(
      of: UnsafeBufferPointer(start: needle, count: needleCount),
      in: UnsafeBufferPointer(start: haystack, count: haystackCount)) != nil
  }
}

/// The per-match state PCRE2 writes: match data sized for the pattern, a match context carrying
/// the limits, and the JIT stack assigned to that context once a match needed one. Owned by one
/// match at a time.
private final class MatchScratch {
  let matchData: OpaquePointer
  let context: OpaquePointer
  private(set) var jitStack: OpaquePointer?

  init?(code: OpaquePointer, limits: RegexLimits) {
    guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
    guard let context = pcre2_match_context_create_8(nil) else {
      pcre2_match_data_free_8(matchData)
      return nil
    }
    pcre2_set_match_limit_8(context, limits.matchLimit)
    pcre2_set_depth_limit_8(context, limits.depthLimit)
    pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
    self.matchData = matchData
    self.context = context
  }

  /// Assigns a JIT stack that can grow to `maximum` bytes; false when there already is one (so
  /// the limit is real) or it cannot be allocated.
  func growJITStack(_ maximum: Int) -> Bool {
    guard jitStack == nil, maximum > 32 * 1024, let stack = pcre2_jit_stack_create_8(32 * 1024, maximum, nil) else {
      return false
    }
    pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(stack))
    jitStack = stack
    return true
  }

  deinit {
    pcre2_match_data_free_8(matchData)
    pcre2_match_context_free_8(context)
    if let jitStack { pcre2_jit_stack_free_8(jitStack) }
  }
}
