import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemText

/// Everything a renderer may show, produced by the stages before Report. Renderers never
/// re-parse input: they only format this.
///
/// Every string a report prints passes through `OutputFilter` here, at construction: secrets are
/// masked unless `revealSecrets`, control characters are always made visible, so a renderer only
/// ever sees filtered text; the state's log records, earlier captures, nodes and workloads, which
/// no report prints, are left unfiltered (docs/architecture.md "Secrets"). The properties stay
/// settable for narrowing a report (a selection keeps some of its findings and pods); what is
/// assigned must come from a `ReportInput`, never straight from the stages before it.
package struct ReportInput: Sendable {
  /// podmortem's version, for the JSON document and the HTML footer.
  package var toolVersion: String
  /// What became of every line of every source, in source order.
  package var accounts: [SourceAccount]
  /// Problems with the input, sorted.
  package var diagnostics: [Diagnostic]
  /// The correlated state (pods, events, timelines).
  package var state: CorrelatedState
  /// Findings, most severe first.
  package var findings: [Finding]
  /// Show environment values and anything that looks like a secret (off by default).
  package var revealSecrets: Bool
  /// What a `.podmortem.yaml` suppressed; nil when no config file was applied.
  package var suppressed: Suppressed? = nil
  /// `--all-pods`: show the timeline of every pod, not only of the pods a finding is about.
  package var allPods = false

  package init(
    toolVersion: String, accounts: [SourceAccount], diagnostics: [Diagnostic], state: CorrelatedState,
    findings: [Finding], revealSecrets: Bool = false, masker: SecretMasker? = nil
  ) {
    self.init(
      toolVersion: toolVersion, accounts: accounts, diagnostics: diagnostics, state: state, findings: findings,
      filter: OutputFilter(masker: revealSecrets ? nil : masker ?? SecretMasker()))
  }

  /// Filters everything through `filter`; pass the filter that already filtered the diagnostics
  /// streamed to stderr, so a secret gets the same token there and in the report. Findings go
  /// first, so tokens are numbered in the order a reader meets them.
  package init(
    toolVersion: String, accounts: [SourceAccount], diagnostics: [Diagnostic], state: consuming CorrelatedState,
    findings: consuming [Finding], filter: OutputFilter
  ) {
    self.toolVersion = toolVersion
    self.revealSecrets = filter.masker == nil
    // In place: each finding's unfiltered text is freed as its filtered copy replaces it. A large
    // report is filtered on two threads, with the same tokens (OutputFilterAhead.swift).
    var filtered = consume findings
    filter.findingsAndState(&filtered, &state)
    self.findings = filtered
    self.state = state
    self.diagnostics = diagnostics.map(filter.diagnostic)
    self.accounts = accounts.map(filter.account)
  }
}

extension ReportInput {
  /// The findings about `pod` (its subject is the pod, one of its containers, or the unnamed pod).
  package func findings(about pod: PodHistory) -> [Finding] {
    findings.filter { f in
      if pod.key.name.isEmpty { return f.subject.object == pod.key.description }
      return f.subject.pod == pod.key.name && (f.subject.namespace ?? pod.key.namespace) == pod.key.namespace
    }
  }

  /// The pods whose timelines a report shows, and how many it folds: the pods a finding is about
  /// (all of them with `allPods`, or when no finding names a pod); the rest are counted, not drawn.
  /// The pods are picked by position, not copied (a copy of every shown pod was the text
  /// report's largest allocation, docs/architecture.md "What must hold").
  package var timelinePods: (shown: PickedPods, folded: Int) {
    let pods = state.pods
    let withTimeline = pods.indices.filter { !pods[$0].timeline.isEmpty }
    if allPods { return (PickedPods(pods, withTimeline), 0) }
    let affected = podsFindingsAreAbout(among: withTimeline)
    if affected.isEmpty && findings.isEmpty { return (PickedPods(pods, []), withTimeline.count) }
    return (PickedPods(pods, affected), withTimeline.count - affected.count)
  }

  /// Which of the pods at `positions` in `state.pods` a finding is about.
  ///
  /// When every finding's namespace and pod are ASCII, they are held by their bytes
  /// (`ASCIIPodNames`), and an ASCII pod is looked up there: two ASCII strings are `==` exactly
  /// when their bytes are (no ASCII character has a decomposition or combines), so the answer is
  /// the sets'. A pod whose namespace or name is not ASCII may still be `==` to an ASCII name (a
  /// Kelvin sign is a K), so it is asked of the sets (`podsFindingsAreAboutByEquivalence`, the
  /// code before), as is everything when a finding names a pod in non-ASCII. The sets hashed
  /// every name with SipHash: about 2,600 instructions a pod on the 8 MiB EventList
  /// (docs/architecture.md "JSON, fast and streamed"; `PodsFindingsAreAboutTests`).
  package func podsFindingsAreAbout(among positions: [Int]) -> [Int] {
    guard let names = ASCIIPodNames(findings) else { return podsFindingsAreAboutByEquivalence(among: positions) }
    let pods = state.pods
    var objects: Set<String> = []
    for f in findings { if let object = f.subject.object { objects.insert(object) } }
    var byEquivalence: Set<Int>? = nil
    return positions.filter { i in
      if pods[i].key.name.isEmpty { return objects.contains(pods[i].key.description) }
      if let known = names.contains(namespace: pods[i].key.namespace, name: pods[i].key.name) { return known }
      if byEquivalence == nil { byEquivalence = Set(podsFindingsAreAboutByEquivalence(among: positions)) }
      return byEquivalence?.contains(i) ?? false
    }
  }

  /// `podsFindingsAreAbout` by sets of strings (`==` is canonical equivalence).
  package func podsFindingsAreAboutByEquivalence(among positions: [Int]) -> [Int] {
    let pods = state.pods
    // One pass over the findings, then one lookup per pod: a report of 20,000 pods and thousands
    // of findings must not compare every pod with every finding.
    var named: Set<PodName> = []
    var objects: Set<String> = []
    for f in findings {
      if let pod = f.subject.pod { named.insert(PodName(namespace: f.subject.namespace ?? "", name: pod)) }
      if let object = f.subject.object { objects.insert(object) }
    }
    return positions.filter { i in
      pods[i].key.name.isEmpty
        ? objects.contains(pods[i].key.description)
        : named.contains(PodName(namespace: pods[i].key.namespace, name: pods[i].key.name))
          || named.contains(PodName(namespace: "", name: pods[i].key.name))
    }
  }

  /// The events the analyze report lists (docs/findings-schema.md "Top level", `events`): those a
  /// finding cites (one of its evidence lines is the event's) and those of the pods whose
  /// timelines the text report draws (the pods a finding is about; every pod with `allPods`),
  /// whose entries cite them; in history order. The whole history is `podmortem events`'.
  package var citedEvents: [MergedEvent] {
    let pods = state.pods
    let shown = allPods ? Array(pods.indices) : podsFindingsAreAbout(among: Array(pods.indices))
    let ofShownPods = ShownEvents(pods, shown)
    let lines = CitedLines(findings)
    return state.events.filter { e in
      e.evidence.contains { lines.contains($0.ref) } || ofShownPods.contains(e)
    }
  }

  /// `1 critical, 2 warnings`: the findings by severity, worst first.
  package var severityCounts: String {
    Severity.allCases.reversed().compactMap { severity in
      let n = findings.filter { $0.severity == severity }.count
      guard n > 0 else { return nil }
      return severity == .critical ? "\(n) critical" : n == 1 ? "1 \(severity.rawValue)" : "\(n) \(severity.rawValue)s"
    }.joined(separator: ", ")
  }

  /// The sentence that says how many pod timelines were folded, and how to see them.
  package func foldedText(_ folded: Int) -> String {
    folded == 1
      ? "1 pod without findings is not shown (--all-pods shows its timeline)."
      : "\(folded) pods without findings are not shown (--all-pods shows their timelines)."
  }
}

/// The namespaces and pods the findings name, by their bytes, all of them ASCII: a table of
/// open addressing, each place a hash of the namespace's and the name's bytes (`UTF8Bytes.mixed`)
/// and the two strings, compared by bytes (`RecentVerdicts.sameBytes`).
struct ASCIIPodNames {
  private var hashes: [UInt64]
  private var namespaces: [String]
  private var names: [String]
  private let mask: Int
  /// `UTF8Bytes.mixed("")`, the namespace a finding without one is held under.
  private let emptyHash = UTF8Bytes.mixed("")

  /// The findings' (namespace, pod) pairs, a missing namespace as ""; nil when one of them is not
  /// ASCII.
  init?(_ findings: [Finding]) {
    var size = 16
    while size < 2 * findings.count { size *= 2 }
    mask = size - 1
    hashes = [UInt64](repeating: 0, count: size)
    namespaces = [String](repeating: "", count: size)
    names = [String](repeating: "", count: size)
    for f in findings {
      guard let pod = f.subject.pod else { continue }
      let namespace = f.subject.namespace ?? ""
      guard Self.isASCII(namespace), Self.isASCII(pod) else { return nil }
      let hash = Self.hash(UTF8Bytes.mixed(namespace), UTF8Bytes.mixed(pod))
      var at = Int(truncatingIfNeeded: hash) & mask
      while hashes[at] != 0 {
        if hashes[at] == hash, RecentVerdicts.sameBytes(namespaces[at], namespace),
          RecentVerdicts.sameBytes(names[at], pod)
        {
          break
        }
        at = (at + 1) & mask
      }
      if hashes[at] == 0 {
        hashes[at] = hash
        namespaces[at] = namespace
        names[at] = pod
      }
    }
  }

  /// Whether a finding names the pod (`namespace`, `name`) or (`""`, `name`); nil when either is
  /// not ASCII, which only canonical equivalence answers.
  func contains(namespace: String, name: String) -> Bool? {
    guard Self.isASCII(namespace), Self.isASCII(name) else { return nil }
    let nameHash = UTF8Bytes.mixed(name)
    return find(Self.hash(UTF8Bytes.mixed(namespace), nameHash), namespace, name)
      || find(Self.hash(emptyHash, nameHash), "", name)
  }

  private func find(_ hash: UInt64, _ namespace: String, _ name: String) -> Bool {
    var at = Int(truncatingIfNeeded: hash) & mask
    while hashes[at] != 0 {
      if hashes[at] == hash, RecentVerdicts.sameBytes(names[at], name),
        RecentVerdicts.sameBytes(namespaces[at], namespace)
      {
        return true
      }
      at = (at + 1) & mask
    }
    return false
  }

  /// Never 0 (an empty place); the top bits of the mixing folded into the low ones the place takes.
  static func hash(_ namespace: UInt64, _ name: UInt64) -> UInt64 {
    let mixed = ((namespace &* 0xC2B2_AE3D_27D4_EB4F) ^ name) &* 0x9E37_79B9_7F4A_7C15
    return (mixed ^ (mixed >> 32)) | 1
  }

  static func isASCII(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable(ASCIISearch.isASCII) ?? text.utf8.allSatisfy { $0 < 0x80 }
  }
}

/// A pod's namespace and name as a set's key (an array of the two cost two allocations per pod).
private struct PodName: Hashable {
  var namespace: String
  var name: String
}

/// A merged event as a set's key, equal when the events are (`MergedEvent.==`), hashed on a few
/// cheap fields only: equal events agree on them, so membership is `Set<MergedEvent>`'s, without
/// hashing every string of every event.
struct EventKey: Hashable {
  let event: MergedEvent

  init(_ event: MergedEvent) { self.event = event }

  /// The same storage, or the cheap fields and then all of them: a set's probe compares the key
  /// with every event on its way, and `MergedEvent.==` copies both events' fields before it
  /// compares (on 10,000 describes that copy was most of `citedEvents`' set work).
  static func == (a: EventKey, b: EventKey) -> Bool {
    if a.event.sharesStorage(with: b.event) { return true }
    return a.event.count == b.event.count && a.event.objects == b.event.objects
      && a.event.evidence.count == b.event.evidence.count
      && a.event.evidence.first?.ref.line == b.event.evidence.first?.ref.line
      && a.event.reason.utf8.count == b.event.reason.utf8.count
      && a.event.message.utf8.count == b.event.message.utf8.count && a.event == b.event
  }

  func hash(into hasher: inout Hasher) {
    hasher.combine(event.count)
    hasher.combine(event.objects)
    hasher.combine(event.reason.utf8.count)
    hasher.combine(event.message.utf8.count)
    hasher.combine(event.evidence.count)
    hasher.combine(event.evidence.first?.ref.line ?? -1)
  }
}

/// The events of the shown pods, asked whether a history event is one of them, with the answer a
/// `Set<EventKey>` of them gave: whether one of them is `EventKey.==` to it. `==` holds only
/// between events that agree on the numbers `EventKey` hashes (count, objects, the UTF-8 lengths
/// of reason and message, the evidence's count and first line; storage shared implies all of
/// them), so the events are kept sorted by those numbers and only the few that agree with the
/// asked one are compared with it, found by halving. The set hashed every shown event's numbers
/// through `Hasher` and grew its table as it went: 26M instructions of 1,000 describes' report
/// (docs/architecture.md "Speed after ingest: two cores"). `EventKey.==` is an equivalence (a
/// shared storage holds equal fields), so which of several equal events a set kept did not
/// matter, and "some event is `==`" is its answer.
struct ShownEvents {
  /// `EventKey`'s numbers for an event, in the order they are sorted by.
  struct Numbers: Comparable {
    var count: Int
    var objects: Int
    var reasonBytes: Int
    var messageBytes: Int
    var evidence: Int
    var firstLine: Int

    init(_ e: MergedEvent) {
      let sizes = e.sizes
      (count, objects) = (e.count, e.objects)
      (reasonBytes, messageBytes, evidence, firstLine) = (
        sizes.reasonBytes, sizes.messageBytes, sizes.evidence, sizes.firstLine
      )
    }

    static func < (a: Numbers, b: Numbers) -> Bool {
      (a.count, a.objects, a.reasonBytes, a.messageBytes, a.evidence, a.firstLine)
        < (b.count, b.objects, b.reasonBytes, b.messageBytes, b.evidence, b.firstLine)
    }
  }

  private var events: [MergedEvent] = []
  /// Each event's numbers and its position in `events`, sorted.
  private var sorted: [(numbers: Numbers, at: Int)] = []

  /// The events of `pods` at `positions`.
  init(_ pods: [PodHistory], _ positions: [Int]) {
    for i in positions { events.append(contentsOf: pods[i].events) }
    let numbers = events.map(Numbers.init)
    if let order = Self.packedOrder(numbers) {
      sorted = order.map { (numbers[$0], $0) }
    } else {
      sorted = numbers.indices.map { (numbers[$0], $0) }
      sorted.sort { $0.numbers < $1.numbers }
    }
  }

  /// The positions of `numbers` in the order of the sort above (by `Numbers.<`, stable), found by
  /// sorting one `UInt128` per event: its numbers side by side, first the highest, each in bits
  /// of its own (the first line plus one, so that -1 for none is 0), and its position in the
  /// lowest. Numbers that fit their bits compare as the tuple does, and equal numbers by
  /// position, which is the stable sort's order. The sort through the closure moved 56-byte
  /// tuples and compared six numbers a step: 3.2M instructions for 5,010 events on the 8 MiB
  /// EventList (docs/architecture.md "Speed of the EventList path"; `ShownEventsTests`). Nil when
  /// a number is negative (the first line below -1) or too large for its bits, or there are
  /// too many events: the tuples are sorted then.
  static func packedOrder(_ numbers: [Numbers]) -> [Int]? {
    let positionBits = 24
    guard numbers.count < 1 << positionBits else { return nil }
    var keys: [UInt128] = []
    keys.reserveCapacity(numbers.count)
    for (position, n) in numbers.enumerated() {
      var key: UInt128 = 0
      guard n.firstLine >= -1, n.firstLine < Int.max, Self.put(n.count, 20, &key), Self.put(n.objects, 10, &key),
        Self.put(n.reasonBytes, 12, &key), Self.put(n.messageBytes, 20, &key), Self.put(n.evidence, 10, &key),
        Self.put(n.firstLine + 1, 32, &key), Self.put(position, positionBits, &key)
      else { return nil }
      keys.append(key)
    }
    keys.sort()
    return keys.map { Int(truncatingIfNeeded: $0 & (1 << positionBits - 1)) }
  }

  /// `value` put below the bits of `key`, in `bits` bits; false when it does not fit them.
  @inline(__always)
  private static func put(_ value: Int, _ bits: Int, _ key: inout UInt128) -> Bool {
    guard value >= 0, value < 1 << bits else { return false }
    key = key << bits | UInt128(value)
    return true
  }

  /// Whether one of the events is `EventKey.==` to `event`.
  func contains(_ event: MergedEvent) -> Bool {
    let numbers = Numbers(event)
    var (low, high) = (0, sorted.count)
    while low < high {
      let middle = low + (high - low) / 2
      if sorted[middle].numbers < numbers { low = middle + 1 } else { high = middle }
    }
    let key = EventKey(event)
    while low < sorted.count, sorted[low].numbers == numbers {
      if EventKey(events[sorted[low].at]) == key { return true }
      low += 1
    }
    return false
  }
}

/// The lines the findings' evidence cites, as one array sorted by line number: a `Set` of them
/// held, while it grew, its old and new tables side by side, the JSON report's peak on 10,000
/// describes (136,000 evidence lines: 9.5 MB, docs/architecture.md "Memory of the EventList and
/// describe paths"). An array of exactly their count is a third of that. Membership is the
/// `Set`'s: the same line number and an equal (`==`) source name.
struct CitedLines {
  private var refs: [SourceRef] = []

  init(_ findings: [Finding]) {
    refs.reserveCapacity(findings.reduce(0) { $0 + $1.evidence.count })
    for f in findings { for e in f.evidence { refs.append(e.ref) } }
    refs.sort { $0.line != $1.line ? $0.line < $1.line : $0.source < $1.source }
  }

  func contains(_ ref: SourceRef) -> Bool {
    // The first position not below `ref` in (line, source) order, found by halving: a source of
    // its own per cited line (a bundle of many files) costs a few comparisons more, not a scan.
    var (low, high) = (0, refs.count)
    while low < high {
      let middle = low + (high - low) / 2
      // Fields read in place: a copy of the ref would retain its source name at every step.
      let line = refs[middle].line
      if line != ref.line ? line < ref.line : refs[middle].source < ref.source {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return low < refs.count && refs[low].line == ref.line && refs[low].source == ref.source
  }
}

/// Some of a report's pods, in their order, read where they lie in the report's pod list.
package struct PickedPods: RandomAccessCollection, Sendable {
  private let all: [PodHistory]
  private let picked: [Int]

  /// The pods of `all` at `positions` (each a valid index of `all`).
  package init(_ all: [PodHistory], _ positions: [Int]) {
    self.all = all
    self.picked = positions
  }

  package var startIndex: Int { 0 }
  package var endIndex: Int { picked.count }
  package subscript(position: Int) -> PodHistory { all[picked[position]] }
}

/// The output formats podmortem renders.
package enum ReportFormat: String, CaseIterable, Sendable {
  case text, markdown, json, html, junit, sarif

  /// Renders `input` in this format. `failOn` is the severity at which a JUnit test case fails;
  /// `palette` and `wide` only matter for text.
  package func render(
    _ input: ReportInput, failOn: Severity = .warning, palette: Palette = .plain, wide: Bool = false
  ) -> String {
    switch self {
    case .text: TextRenderer(palette: palette, wide: wide).render(input)
    case .markdown: MarkdownRenderer().render(input)
    case .json: JSONRenderer().render(input)
    case .html: HTMLRenderer().render(input)
    case .junit: JUnitRenderer(failOn: failOn).render(input)
    case .sarif: SARIFRenderer().render(input)
    }
  }
}
