import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemText
import Synchronization

/// What every string from the input passes through before a renderer sees it: secrets masked
/// (unless `--show-secrets`) and control characters made visible (always). `ReportInput.init`
/// applies it to everything a report prints, so no renderer — text, Markdown, JSON, HTML, the
/// events table, or one added later — can print a string of those parts that skipped it; the
/// parts no report prints (logs, earlier captures, nodes, workloads) are left as they are, and a
/// renderer that prints one filters it first (docs/architecture.md "Secrets").
package final class OutputFilter: @unchecked Sendable {
  /// nil with `--show-secrets`.
  package let masker: SecretMasker?
  // Source names repeat on every evidence line, and short strings (names, field values,
  // reasons) repeat across pods and log records: each is filtered once, or seldom
  // (`ShortMemo`). Guarded by `lock`, so the runtime's exclusivity check on each access (a
  // `swift_beginAccess` call, about 76 instructions, one per lock taken) checks what the lock
  // already ensures: it is left out (docs/architecture.md "Secrets"). The lock is the standard
  // library's `Mutex`, whose taking and giving back the compiler inlines (an atomic exchange
  // each, where `NSLock` cost about 77 instructions a pair, 87,000 pairs on 1,000 describes;
  // docs/architecture.md "Speed after ingest: two cores"); it guards these properties, not a value.
  private let lock = Mutex<Void>(())
  @exclusivity(unchecked) private var sources: [String: LastSource] = [:]
  @exclusivity(unchecked) private var short = ShortMemo()
  @exclusivity(unchecked) private var held = HeldMemo()
  @exclusivity(unchecked) private var long = LongMemo()
  @exclusivity(unchecked) private var givenBack = LongGivenBack()
  /// Strings up to this many bytes are remembered (`ShortMemo`).
  static let shortBytes = 96

  /// Set on a filter that works ahead on a second thread (`OutputFilterAhead.swift`): it numbers
  /// no token, and notes instead that it met a secret, after which its work is not used.
  let ahead: Ahead?

  package init(masker: SecretMasker?) {
    self.masker = masker
    self.ahead = nil
  }

  /// A filter working ahead of `masker`'s numbering (`OutputFilterAhead.swift`).
  init(ahead masker: SecretMasker?) {
    self.masker = masker
    self.ahead = Ahead()
  }

  /// One string: masked, then its control characters spelled out.
  ///
  /// A short string is looked up first by its representation (`HeldMemo`): most are the very
  /// string filtered before (one storage shared through the input's pools), and that look reads
  /// no byte; then by its bytes (`ShortMemo`), as before (docs/architecture.md "Speed after
  /// ingest: two cores").
  package func callAsFunction(_ text: String) -> String {
    guard text.utf8.count <= Self.shortBytes else { return filterLong(text) }
    let heldSlot = HeldMemo.slot(text)
    let (known, slot): (String?, Int) = lock.withLock { _ in
      if let known = held.filtered(text, slot: heldSlot) { return (known, 0) }
      let slot = ShortMemo.slot(text)
      let known = short.filtered(text, slot: slot)
      if let known { held.remember(text, slot: heldSlot, filtered: known) }
      return (known, slot)
    }
    if let known { return known }
    let filtered = filter(text)
    lock.withLock { _ in
      short.remember(text, slot: slot, filtered: filtered)
      held.remember(text, slot: heldSlot, filtered: filtered)
    }
    return filtered
  }

  /// A long string, filtered or taken from `long` when a string of the same bytes was filtered
  /// last in its place: a finding's explanation, title and remedy are built by its rule from a
  /// few templates and repeat across findings (about half of the findings' long strings of a
  /// kubelet log, EventList or describes report repeat), each a few hundred bytes that the
  /// masker's prefilter and the control scan read whole (docs/architecture.md "Secrets").
  ///
  /// A string of the event history that filtering gives back (`givenBack`, put in by
  /// `findingsAndState`) is answered first, by its representation, before its place is mixed from
  /// its bytes.
  private func filterLong(_ text: String) -> String {
    var text = text
    var slot = 0
    let known: String? = lock.withLock { _ in
      if givenBack.holds(text) { return text }
      slot = text.withUTF8 { LongMemo.slot($0) }
      return long.filtered(&text, slot: slot)
    }
    if let known { return known }
    let filtered = filter(text)
    lock.withLock { _ in long.remember(text, slot: slot, filtered: filtered) }
    return filtered
  }

  private func filter(_ text: String) -> String {
    if let ahead, let masker, masker.holdsSecret(text) {
      ahead.metSecret = true
      return text
    }
    return VisibleText.escapingControls(ahead == nil ? masker?.mask(text) ?? text : text)
  }

  package func callAsFunction(_ text: String?) -> String? { text.map { self($0) } }

  /// A diagnostic as the CLI prints it on stderr and the report lists it.
  package func diagnostic(_ d: Diagnostic) -> Diagnostic {
    var d = d
    d.ref = ref(d.ref)
    d.message = self(d.message)
    return d
  }

  func ref(_ r: SourceRef) -> SourceRef {
    var r = r
    let known = lock.withLock { _ in sources[r.source] }
    // `sources` is keyed by `String`, whose `==` and hash are canonical equivalence's: a name is
    // taken only for a source of the same bytes, so an accent spelt the other way keeps its own
    // spelling in the report (the name last filtered is the one held).
    if let known, RecentVerdicts.sameBytes(known.source, r.source) {
      r.source = known.filtered
      return r
    }
    let filtered = self(r.source)
    lock.withLock { _ in sources[r.source] = LastSource(source: r.source, filtered: filtered) }
    r.source = filtered
    return r
  }

  func evidence(_ e: Evidence) -> Evidence { Evidence(ref: ref(e.ref), text: self(e.text)) }

  /// A source name and the name `ref` gave it.
  struct LastSource {
    var source: String
    var filtered: String
  }

  /// `ref(r)`, taking the name from `last` when `last` is a source of the same bytes (`ref(_:)`
  /// gives such a source that name too). Otherwise `ref(r)`, remembered in `last`.
  func ref(_ r: SourceRef, after last: inout LastSource?) -> SourceRef {
    if let known = last, RecentVerdicts.sameBytes(known.source, r.source) {
      var r = r
      r.source = known.filtered
      return r
    }
    let filtered = ref(r)
    last = LastSource(source: r.source, filtered: filtered.source)
    return filtered
  }

  private static let pemBegin = Literal("-----BEGIN")

  /// Whether `text` holds `-----BEGIN`, byte for byte, as `pemBegin.occurs(in:)` answers. Every
  /// line of a list is tested for it before its lines are filtered, and every string of an
  /// EventList's events (`leavesUnchanged`); the literal's search copied the string out and cost
  /// about 200 instructions a line of a describe (docs/architecture.md "Secrets").
  static func holdsPEMBegin(_ text: String) -> Bool {
    guard text.utf8.count >= 10 else { return false }
    if let found = text.utf8.withContiguousStorageIfAvailable(holdsPEMBegin) { return found }
    return pemBegin.occurs(in: text)
  }

  /// `holdsPEMBegin` on bytes where they lie. Up to `pemStepped` bytes (an event's names,
  /// reasons, most messages and describe rows), a Horspool search: a window of ten bytes is
  /// compared as two words ("-----BEG" and "IN", little-endian on the machines Swift builds this
  /// for, hence `littleEndian:`) only when its last byte is `N`; else, and after a window that
  /// was not the literal, the window moves on by how far that last byte lies from the end of the
  /// literal's first nine (`pemShift`), ten when it is not among them. A longer string (a
  /// kubelet log line) is searched as before: `memchr` finds each `-` with room for the literal
  /// after it, and the ten bytes there are compared as the two words. `memchr` costs a call per
  /// dash, about 200 instructions a string of an EventList's events, whose names and messages are
  /// full of dashes; on long lines with few dashes its wide steps beat the window's ten bytes
  /// (docs/architecture.md "Speed of the EventList path"; `OutputFilterEvidenceTests` holds it to
  /// the literal's search and to the `memchr` loop alone).
  static func holdsPEMBegin(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress, bytes.count >= 10 else { return false }
    let raw = UnsafeRawPointer(base)
    let head = UInt64(littleEndian: 0x4745_422D_2D2D_2D2D)
    let tail = UInt16(littleEndian: 0x4E49)
    let lastStart = bytes.count - 10
    if bytes.count <= pemStepped {
      var at = 0
      while at <= lastStart {
        let last = base[at + 9]
        if last == UInt8(ascii: "N"),
          raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) == head,
          raw.loadUnaligned(fromByteOffset: at + 8, as: UInt16.self) == tail
        {
          return true
        }
        at += pemShift(last)
      }
      return false
    }
    var from = 0
    while from <= lastStart {
      guard let hit = memchr(raw + from, 0x2D, lastStart - from + 1) else { return false }
      let at = raw.distance(to: UnsafeRawPointer(hit))
      if raw.loadUnaligned(fromByteOffset: at, as: UInt64.self) == head,
        raw.loadUnaligned(fromByteOffset: at + 8, as: UInt16.self) == tail
      {
        return true
      }
      from = at + 1
    }
    return false
  }

  /// The longest string `holdsPEMBegin` searches with its Horspool window rather than `memchr`.
  static var pemStepped: Int { 128 }

  /// Horspool's shift for `-----BEGIN`: the distance from the last place of `byte` among the
  /// literal's first nine bytes to its tenth, or ten when it is not among them (`N` is not).
  @inline(__always)
  static func pemShift(_ byte: UInt8) -> Int {
    switch byte {
    case UInt8(ascii: "-"): return 5
    case UInt8(ascii: "B"): return 4
    case UInt8(ascii: "E"): return 3
    case UInt8(ascii: "G"): return 2
    case UInt8(ascii: "I"): return 1
    default: return 10
    }
  }

  /// Evidence lines in order: a private-key PEM block cited line by line (a describe's multi-line
  /// termination message) has every line inside it masked, also the short last one.
  func evidence(_ list: [Evidence]) -> [Evidence] {
    guard let masker, list.count > 1, list.contains(where: { Self.holdsPEMBegin($0.text) }) else {
      return linesAlone(list)
    }
    // A PEM block numbers tokens for lines no rule matches: not worked ahead.
    if let ahead {
      ahead.metSecret = true
      return list
    }
    var pem = PEMLines()
    var previous: SourceRef?
    var hits: [String] = []
    var out = list
    for i in list.indices.sorted(by: { list[$0].ref < list[$1].ref }) {
      let e = list[i]
      if let p = previous, p.source != e.ref.source || p.line + 1 != e.ref.line { pem.reset() }
      previous = e.ref
      let text = VisibleText.escapingControls(pem.mask(e.text, with: masker, hits: &hits))
      out[i] = Evidence(ref: ref(e.ref), text: text)
    }
    return out
  }

  /// The lines of a list filtered each alone (no PEM block among them), in order; `list` itself
  /// when none changes. The lines of a list nearly all name one source: a line whose source is the
  /// line before's takes the name that line got, without the lock and the look-up in `sources` (a
  /// describe's merged view cites its every line: 42,000 look-ups on 1,000 describes,
  /// docs/architecture.md "Speed after ingest: two cores"). This was `mapped(list)` with a closure,
  /// each result compared with its line through `Equatable` (a generic `==` on the line, its source
  /// and its text, and the retains and releases around it). A line is unchanged here when its
  /// source and text have the same bytes as filtered, or else are `==` as before, so the answer is
  /// the old one (`OutputFilterEvidenceTests` keeps that code as the reference).
  ///
  /// The lines from the first on whose text `HeldMemo` gives back as it is (the very string
  /// filtered before, unchanged by it) are found first, under one lock, where each line's look-up
  /// took the lock again; such a look-up numbers no token, so answering those lines before their
  /// sources are filtered numbers tokens in the same order (`OutputFilterHeldMemoTests`).
  private func linesAlone(_ list: [Evidence]) -> [Evidence] {
    var clean = 0
    lock.withLock { _ in
      list.withUnsafeBufferPointer { lines in
        while clean < lines.count, held.givesBack(lines[clean].text, slot: HeldMemo.slot(lines[clean].text)) {
          clean += 1
        }
      }
    }
    var last: LastSource? = nil
    // Whether `last` names its source by the source's own bytes: then a line of that source keeps
    // its source as it is, and only its text is looked at (`ref(_:after:)` would give a source
    // of the line's bytes, with nothing filtered, and the test below would pass it).
    var lastKeeps = false
    for i in list.indices {
      var looked: String? = nil
      if lastKeeps, let known = last, RecentVerdicts.sameBytes(known.source, list[i].ref.source) {
        if i < clean { continue }
        let text = self(list[i].text)
        if RecentVerdicts.sameBytes(text, list[i].text) || text == list[i].text { continue }
        looked = text
      }
      let filteredRef = ref(list[i].ref, after: &last)
      // Asked only when a line follows: most lists of an EventList's events hold one line.
      if i &+ 1 < list.count, let known = last { lastKeeps = RecentVerdicts.sameBytes(known.source, known.filtered) }
      let filteredText = looked ?? (i < clean ? list[i].text : self(list[i].text))
      if RecentVerdicts.sameBytes(filteredText, list[i].text) || filteredText == list[i].text,
        RecentVerdicts.sameBytes(filteredRef.source, list[i].ref.source) || filteredRef == list[i].ref
      {
        continue
      }
      var out = list
      out[i] = Evidence(ref: filteredRef, text: filteredText)
      for j in (i + 1)..<list.count {
        out[j] = Evidence(ref: self.ref(list[j].ref, after: &last), text: self(list[j].text))
      }
      return out
    }
    return list
  }

  func pairs(_ kv: [KeyValue]) -> [KeyValue] { kv.map { KeyValue(self($0.key), self($0.value)) } }

  func dictionary(_ d: [String: String]) -> [String: String] {
    Dictionary(d.map { (self($0.key), self($0.value)) }, uniquingKeysWith: { first, _ in first })
  }

  /// The finding filtered in place, in the order `finding(_:)` filters it (its subject's
  /// namespace, pod, container and object, title, explanation, remedy, each fact's key and value,
  /// evidence), so tokens are numbered as there; a field is written only when filtering changed
  /// its bytes, and a fact only when its key or value changed. `finding(_:)` copied the finding
  /// in and out, built a new subject and a new array of facts for every finding: on the 8 MiB
  /// EventList three copies and destroys of each of its 5,010 findings (docs/architecture.md
  /// "Speed after ingest: two cores"). `OutputFilterFindingInPlaceTests` keeps `finding(_:)` as
  /// the reference.
  func filterInPlace(_ f: inout Finding) {
    _ = put(&f.subject.namespace)
    _ = put(&f.subject.pod)
    _ = put(&f.subject.container)
    _ = put(&f.subject.object)
    _ = put(&f.title)
    _ = put(&f.explanation)
    _ = put(&f.remedy)
    for i in f.facts.indices {
      let key = self(f.facts[i].key)
      let value = self(f.facts[i].value)
      if !RecentVerdicts.sameBytes(key, f.facts[i].key) || !RecentVerdicts.sameBytes(value, f.facts[i].value) {
        f.facts[i] = KeyValue(key, value)
      }
    }
    f.evidence = evidence(f.evidence)
  }

  func finding(_ f: Finding) -> Finding {
    var f = f
    f.subject = subject(f.subject)
    f.title = self(f.title)
    f.explanation = self(f.explanation)
    f.remedy = self(f.remedy)
    f.facts = pairs(f.facts)
    f.evidence = evidence(f.evidence)
    return f
  }

  func subject(_ s: Subject) -> Subject {
    Subject(namespace: self(s.namespace), pod: self(s.pod), container: self(s.container), object: self(s.object))
  }

  func account(_ a: SourceAccount) -> SourceAccount {
    var a = a
    a.source = ref(SourceRef(source: a.source, line: 0)).source
    a.formats = a.formats.map { self($0) }
    a.layout = self(a.layout)
    return a
  }

  /// Filters in place what a report prints of `s`: its pods (key, merged view, events,
  /// timeline), its event history and its caveats, element by element, so a large state is not
  /// held twice at once. What no report prints — log records (a pod's and the nodes'), a pod's
  /// captures other than its merged view, nodes and workloads — is left as it is, unfiltered:
  /// masking costs what the report writes, not what the input held (docs/architecture.md
  /// "Secrets"). A renderer that starts printing one of those filters it first, with the
  /// functions below (`log`, `snapshot`, `node`, `workload`).
  func state(_ s: inout CorrelatedState) { state(&s, unchanged: unchangedEvents(s.events)) }

  /// `state(_:)` with the events that filtering leaves as they are already known
  /// (`unchangedEvents(s.events)`, of the events `s` holds).
  func state(_ s: inout CorrelatedState, unchanged: Set<ObjectIdentifier>) {
    for i in s.pods.indices { pod(&s.pods[i], unchanged: unchanged) }
    for i in s.events.indices where !unchanged.contains(s.events[i].storageIdentity) {
      s.events[i] = event(s.events[i])
    }
    s.caveats = strings(s.caveats)
  }

  /// The storage identities of the events in `events` that filtering leaves as they are
  /// (`MergedEvent.storageIdentity`), decided without numbering a token. A pod's events are the
  /// history's, their storage shared: each is looked at once here, and then neither its pod nor
  /// the history filters it again (the look cost as much as filtering, and every event was
  /// filtered twice, docs/architecture.md "Speed of the EventList path"). An identity stands for
  /// its event only while the event lives: the set is used while `events` holds them, and an
  /// event in it is never replaced (filtering gives it back).
  ///
  /// The verdicts on the strings that repeat from event to event (the source of every evidence
  /// line, kinds, namespaces, reasons, components, hosts, a template group's exemplars) are
  /// remembered by their bytes
  /// (`RecentVerdicts`): a look costs about 2,300 instructions a string, the prefilter of the
  /// secret rules most of it, and about half the strings of an EventList's events repeat
  /// (docs/architecture.md "Speed of the EventList path").
  func unchangedEvents<Events: Collection<MergedEvent>>(_ events: Events) -> Set<ObjectIdentifier> {
    var found: LongGivenBack? = nil
    return unchangedEvents(events, givenBack: &found)
  }

  /// `unchangedEvents(_:)`, and, when `givenBack` is given, the strings longer than `shortBytes`
  /// whose test `leavesUnchanged` passed put in it (each the first time its verdict is not
  /// remembered): strings filtering gives back as they are (`LongGivenBack`).
  func unchangedEvents<Events: Collection<MergedEvent>>(
    _ events: Events, givenBack found: inout LongGivenBack?
  ) -> Set<ObjectIdentifier> {
    var unchanged = Set<ObjectIdentifier>(minimumCapacity: events.count)
    var recent = RecentVerdicts()
    if found != nil { recent.passedLong = LongGivenBack() }
    for e in events where e.allStrings({ recent.verdict($0, leavesUnchangedBy: self) }) {
      unchanged.insert(e.storageIdentity)
    }
    if found != nil { found = recent.passedLong }
    return unchanged
  }

  /// Puts `strings`, long strings `leavesUnchanged` passed (`unchangedEvents(_:givenBack:)`), in
  /// the table `filterLong` answers first: filtering one gives its bytes back and numbers no token.
  func giveBack(_ strings: LongGivenBack?) {
    guard let strings else { return }
    lock.withLock { _ in givenBack.insert(contentsOf: strings) }
  }

  /// Whether `filterLong` answers `text` from `givenBack`, for tests.
  func answersAsGivenBack(_ text: String) -> Bool { lock.withLock { _ in givenBack.holds(text) } }

  /// The pod filtered in place; an event whose storage identity is in `unchanged`
  /// (`unchangedEvents`, of events still held) is left as it is without a look.
  func pod(_ p: inout PodHistory, unchanged: Set<ObjectIdentifier> = []) {
    let looked = Self.keyLooked(p, unchanged: unchanged)
    if !looked {
      p.key.namespace = self(p.key.namespace)
      p.key.name = self(p.key.name)
      p.key.uid = self(p.key.uid)
    }
    p.key.pastedAt = p.key.pastedAt.map(ref)
    // The merged view is filtered on a copy, each field written only when filtering changed it
    // (`filterInPlace`), and put back only then: unchanged, it keeps sharing its storage with the
    // capture it came from.
    var latest = p.latest
    if filterInPlace(&latest, clean: looked ? p.key : nil) { p.latest = latest }
    for i in p.events.indices where !unchanged.contains(p.events[i].storageIdentity) {
      let e = event(p.events[i])
      if !e.sharesStorage(with: p.events[i]) { p.events[i] = e }
    }
    // Assigned only when filtering changed an entry: a pod filtered ahead on a copy then copies
    // no timeline that stays the same (`OutputFilterAhead.swift`).
    p.timeline = Self.mapped(p.timeline, timelineEntry)
  }

  /// Whether the pod's namespace, name and uid have the bytes of the involved object of one of
  /// its events that `unchangedEvents` found filtering leaves as it is: `leavesUnchanged` said so
  /// of each of those strings, so filtering them gives their bytes back and numbers no token. A
  /// pod's key is its events' involved object, and on an EventList its name and uid are unique:
  /// filtering them missed the memo and masked them, about 920 instructions a string on the 8 MiB
  /// EventList (docs/architecture.md "Secrets"). Only the first such event is compared; when the
  /// bytes differ the key is filtered as before.
  static func keyLooked(_ p: PodHistory, unchanged: Set<ObjectIdentifier>) -> Bool {
    guard !unchanged.isEmpty, let e = p.events.first(where: { unchanged.contains($0.storageIdentity) }) else {
      return false
    }
    let involved = e.involved
    guard let namespace = involved.namespace, RecentVerdicts.sameBytes(namespace, p.key.namespace),
      RecentVerdicts.sameBytes(involved.name, p.key.name)
    else { return false }
    switch (p.key.uid, involved.uid) {
    case (nil, _): return true
    case (let uid?, let known?): return RecentVerdicts.sameBytes(known, uid)
    case (_?, nil): return false
    }
  }

  /// `list` filtered; `list` itself, its storage shared and nothing allocated, when no string
  /// changes.
  func strings(_ list: [String]) -> [String] { Self.mapped(list) { self($0) } }

  /// `list` with `transform` applied to each element; `list` itself when no element changes.
  static func mapped<T: Equatable>(_ list: [T], _ transform: (T) -> T) -> [T] {
    for i in list.indices {
      let first = transform(list[i])
      guard first != list[i] else { continue }
      var out = list
      out[i] = first
      for j in (i + 1)..<list.count { out[j] = transform(list[j]) }
      return out
    }
    return list
  }

  /// The snapshot filtered: `s` itself when filtering changes none of its strings.
  func snapshot(_ s: PodSnapshot) -> PodSnapshot {
    var s = s
    _ = filterInPlace(&s)
    return s
  }

  /// What a report prints of the snapshot filtered in place, in the order tokens were always
  /// numbered (its strings, then its finalizers, labels, conditions, tolerations, containers,
  /// evidence and source); whether anything changed. A field is written only when filtering
  /// changed its bytes, a list or a map only when an element changed, so an unchanged snapshot
  /// keeps sharing every storage with the one it was copied from. Filtering built a new snapshot
  /// (every map and list allocated again, each map's strings hashed into it) and compared it whole
  /// with the original to find, nearly always, that nothing had changed: 33,500 instructions a
  /// container on 1,000 describes (docs/architecture.md "Secrets"). A condition is rebuilt from its
  /// four strings, as `condition(_:)` always did: one that carries its message's pattern or captures
  /// (which no report prints) counts as changed, so the snapshot is the one filtering gave before.
  ///
  /// `clean`, when given, is a pod key whose strings filtering gives back (`keyLooked`): a
  /// namespace, name or uid of its bytes is not filtered again. Without it the unique name and uid
  /// were masked here, missing the memo, once the key was no longer filtered before them.
  func filterInPlace(_ s: inout PodSnapshot, clean: PodKey? = nil) -> Bool {
    // Each `put` runs before `|| changed`: every field is filtered, in order.
    var changed = put(&s.namespace, unlessLike: clean?.namespace)
    changed = put(&s.name, unlessLike: clean?.name) || changed
    changed = put(&s.uid, unlessLike: clean?.uid) || changed
    changed = put(&s.node) || changed
    changed = put(&s.hostIP) || changed
    changed = put(&s.podIP) || changed
    changed = put(&s.phase) || changed
    changed = put(&s.displayStatus) || changed
    changed = put(&s.reason) || changed
    changed = put(&s.message) || changed
    changed = put(&s.finalizers) || changed
    changed = put(&s.labels) || changed
    changed = put(&s.controlledBy) || changed
    changed = put(&s.qosClass) || changed
    var conditionsChanged = false
    for i in s.conditions.indices {
      // A copy of the element: writing through `s.conditions[i]` would copy a shared list first.
      var c = s.conditions[i]
      var one = put(&c.type)
      one = put(&c.status) || one
      one = put(&c.reason) || one
      one = put(&c.message) || one
      if one { s.conditions[i] = c }
      if one || c.patternID != nil || !c.messageCaptures.isEmpty { conditionsChanged = true }
    }
    if conditionsChanged {
      s.conditions = s.conditions.map {
        PodCondition(type: $0.type, status: $0.status, reason: $0.reason, message: $0.message)
      }
      changed = true
    }
    changed = put(&s.tolerations) || changed
    for i in s.containers.indices {
      var c = s.containers[i]
      if filterInPlace(&c) {
        s.containers[i] = c
        changed = true
      }
    }
    changed = put(&s.evidence) || changed
    changed = put(&s.pastedAt) || changed
    return changed
  }

  func condition(_ c: PodCondition) -> PodCondition {
    PodCondition(type: self(c.type), status: self(c.status), reason: self(c.reason), message: self(c.message))
  }

  /// The container filtered in place, as `filterInPlace(_:)` filters a snapshot; whether anything
  /// changed.
  func filterInPlace(_ c: inout ContainerSnapshot) -> Bool {
    var changed = put(&c.name)
    changed = put(&c.image) || changed
    changed = put(&c.state) || changed
    changed = put(&c.lastState) || changed
    changed = put(&c.limits) || changed
    changed = put(&c.requests) || changed
    for (kind, probe) in c.probes {
      // The map's own order, as `mapValues` walked it; a value written back keeps its place.
      var p = probe
      if filterInPlace(&p) {
        c.probes[kind] = p
        changed = true
      }
    }
    changed = put(&c.preStop) || changed
    changed = put(&c.postStart) || changed
    changed = put(&c.environmentNames) || changed
    changed = put(&c.evidence) || changed
    return changed
  }

  /// The probe filtered in place: its handler's strings, then its line; whether anything changed.
  func filterInPlace(_ p: inout ProbeSpec) -> Bool {
    var changed = false
    switch p.handler {
    case .httpGet(var scheme, var host, var port, var path):
      changed = put(&scheme)
      changed = put(&host) || changed
      changed = put(&port) || changed
      changed = put(&path) || changed
      if changed { p.handler = .httpGet(scheme: scheme, host: host, port: port, path: path) }
    case .tcpSocket(var host, var port):
      changed = put(&host)
      changed = put(&port) || changed
      if changed { p.handler = .tcpSocket(host: host, port: port) }
    case .exec(var command):
      changed = put(&command)
      if changed { p.handler = .exec(command: command) }
    case .grpc(var port, var service):
      changed = put(&port)
      changed = put(&service) || changed
      if changed { p.handler = .grpc(port: port, service: service) }
    case .unknown: break
    }
    if let e = p.evidence {
      let filtered = evidence(e)
      if !RecentVerdicts.sameBytes(filtered.ref.source, e.ref.source)
        || !RecentVerdicts.sameBytes(filtered.text, e.text)
      {
        p.evidence = filtered
        changed = true
      }
    }
    return changed
  }

  /// `text` filtered, written only when filtering changed its bytes (a string of the same bytes
  /// is the same text to every renderer); whether it was.
  private func put(_ text: inout String) -> Bool {
    let filtered = self(text)
    if RecentVerdicts.sameBytes(filtered, text) { return false }
    text = filtered
    return true
  }

  /// `put(&text)`, or false without filtering when `text` has the bytes of `clean`, a string
  /// filtering gives back (`filterInPlace(_:clean:)`).
  private func put(_ text: inout String?, unlessLike clean: String?) -> Bool {
    if let t = text, let c = clean, RecentVerdicts.sameBytes(t, c) { return false }
    return put(&text)
  }

  private func put(_ text: inout String, unlessLike clean: String?) -> Bool {
    if let c = clean, RecentVerdicts.sameBytes(text, c) { return false }
    return put(&text)
  }

  private func put(_ text: inout String?) -> Bool {
    guard let original = text else { return false }
    let filtered = self(original)
    if RecentVerdicts.sameBytes(filtered, original) { return false }
    text = filtered
    return true
  }

  /// Each string filtered in order; the list written (and so copied) only when one changed.
  private func put(_ list: inout [String]) -> Bool {
    var changed = false
    for i in list.indices {
      let filtered = self(list[i])
      if !RecentVerdicts.sameBytes(filtered, list[i]) {
        list[i] = filtered
        changed = true
      }
    }
    return changed
  }

  /// The map's keys and values filtered in its order; when one changes, the map is built again
  /// by `dictionary(_:)` as before (its strings are filtered again, to the same text and tokens).
  private func put(_ map: inout [String: String]) -> Bool {
    for (key, value) in map {
      let k = self(key)
      let v = self(value)
      if !RecentVerdicts.sameBytes(k, key) || !RecentVerdicts.sameBytes(v, value) {
        map = dictionary(map)
        return true
      }
    }
    return false
  }

  /// The lines filtered (`evidence(_:)`, which gives the list itself when no line changes).
  private func put(_ list: inout [Evidence]) -> Bool {
    let filtered = evidence(list)
    if filtered == list { return false }
    list = filtered
    return true
  }

  private func put(_ source: inout SourceRef?) -> Bool {
    guard let original = source else { return false }
    let filtered = ref(original)
    if RecentVerdicts.sameBytes(filtered.source, original.source) { return false }
    source = filtered
    return true
  }

  private func put(_ state: inout ContainerState?) -> Bool {
    switch state {
    case .waiting(var reason, var message):
      var changed = put(&reason)
      changed = put(&message) || changed
      if changed { state = .waiting(reason: reason, message: message) }
      return changed
    case .terminated(var t):
      var changed = put(&t.reason)
      changed = put(&t.message) || changed
      if changed { state = .terminated(t) }
      return changed
    case .running, nil: return false
    }
  }

  func node(_ n: NodeSnapshot) -> NodeSnapshot {
    var n = n
    n.name = self(n.name)
    n.uid = self(n.uid)
    n.conditions = n.conditions.map(condition)
    n.taints = n.taints.map { self($0) }
    n.displayStatus = self(n.displayStatus)
    n.evidence = evidence(n.evidence)
    return n
  }

  func workload(_ w: WorkloadSnapshot) -> WorkloadSnapshot {
    var w = w
    w.kind = self(w.kind)
    w.namespace = self(w.namespace)
    w.name = self(w.name)
    w.replicas = self(w.replicas)
    w.podsStatus = self(w.podsStatus)
    w.conditions = w.conditions.map(condition)
    w.evidence = evidence(w.evidence)
    return w
  }

  func object(_ o: ObjectRef) -> ObjectRef {
    var o = o
    o.kind = self(o.kind)
    o.namespace = self(o.namespace)
    o.name = self(o.name)
    o.uid = self(o.uid)
    o.fieldPath = self(o.fieldPath)
    o.pastedAt = o.pastedAt.map(ref)
    return o
  }

  /// Whether filtering gives `text` back unchanged, decided on its bytes without filtering it
  /// and without numbering a token: no control character to spell out, no secret a rule masks
  /// (`SecretMasker.holdsSecret`, the prefilter first), and no `-----BEGIN`, which may open a PEM
  /// block whose lines are masked without a rule (`evidence(_:)` with a list). False says only
  /// that the string must be filtered.
  func leavesUnchanged(_ text: String) -> Bool {
    if VisibleText.needsEscaping(text) { return false }
    guard let masker else { return true }
    return !Self.holdsPEMBegin(text) && !masker.holdsSecret(text)
  }

  /// The event filtered; the original, whose storage its pod and the history share, when there
  /// is nothing to mask or spell out. That is decided first on the event's strings where they lie
  /// (`leavesUnchanged`): nearly every event has nothing to change, and filtering it field by
  /// field copied each field out, looked every short string up in the memo and compared every
  /// result with the original, twice per event (its pod's and the history's), to return the
  /// original (docs/architecture.md "Speed of the EventList path").
  func event(_ original: MergedEvent) -> MergedEvent {
    if original.allStrings({ leavesUnchanged($0) }) { return original }
    return eventFieldByField(original)
  }

  /// `event(_:)` without the look first: its fields filtered one by one and the event copied only
  /// when one changed (copying first and comparing after copied every event's storage).
  func eventFieldByField(_ original: MergedEvent) -> MergedEvent {
    let involved = object(original.involved)
    var type = original.type
    if case .other(let text) = type { type = .other(self(text)) }
    let reason = self(original.reason)
    let message = self(original.message)
    let template = self(original.template)
    let exemplars = strings(original.exemplars)
    let sourceComponent = self(original.sourceComponent)
    let sourceHost = self(original.sourceHost)
    let caveats = strings(original.caveats)
    let evidence = evidence(original.evidence)
    guard
      involved == original.involved && type == original.type && reason == original.reason
        && message == original.message && template == original.template && exemplars == original.exemplars
        && sourceComponent == original.sourceComponent && sourceHost == original.sourceHost
        && caveats == original.caveats && evidence == original.evidence
    else {
      var e = original
      e.involved = involved
      e.type = type
      e.reason = reason
      e.message = message
      e.template = template
      e.exemplars = exemplars
      e.sourceComponent = sourceComponent
      e.sourceHost = sourceHost
      e.caveats = caveats
      e.evidence = evidence
      return e
    }
    return original
  }

  func log(_ l: LogRecord) -> LogRecord {
    var l = l
    l.severity = self(l.severity)
    l.message = self(l.message)
    l.text = self(l.text)
    l.fields = pairs(l.fields)
    l.captures = pairs(l.captures)
    l.namespace = self(l.namespace)
    l.pod = self(l.pod)
    l.container = self(l.container)
    l.pastedAt = l.pastedAt.map(ref)
    l.evidence = evidence(l.evidence)
    return l
  }

  func timelineEntry(_ t: TimelineEntry) -> TimelineEntry {
    var t = t
    t.container = self(t.container)
    t.summary = self(t.summary)
    t.evidence = evidence(t.evidence)
    return t
  }
}
