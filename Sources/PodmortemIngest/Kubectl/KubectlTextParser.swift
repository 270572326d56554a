import PodmortemInput
import PodmortemModel

/// Reads the kubectl text people paste: `kubectl describe` (pods, nodes, workloads, any Events
/// table), `kubectl get pods`, `kubectl get events` and `kubectl events`, in any order and glued
/// together (docs/kubernetes.md §1, §3).
///
/// The format is chosen line by line from content: a table header starts a table, `Name:` at
/// column 0 starts a describe block, and each ends when another begins. Colour codes, markdown
/// fences and bold, `grep -A` separators, shell command lines and collapsed padding are tolerated;
/// what still cannot be read is counted as unrecognised, never guessed.
package struct KubectlTextParser: LineParser {
  package static let format = "kubectl-text"

  package static func sniff(head: [Line], info: SourceInfo) -> Int { score(head: head, info: info) }

  package static func sniff(head: [Line], info: SourceInfo, atLeast bar: Int) -> Int {
    score(head: head, info: info, atLeast: bar)
  }

  /// Asked after the cheap sniffers: on a head that is not kubectl's output every line is tried
  /// against the headerless table layouts, unless a bar above 60 spares it.
  package static var sniffCost: Int { 1 }

  /// The sniff score; `exhaustive` asks every question of every line, as the score was computed
  /// before it stopped early (the reference `KubectlBytesTests` compares it with). Given `bar`
  /// (not exhaustive), the questions whose answer could raise the score only to less than `bar`
  /// are not asked: the score is then exact when it reaches `bar`, and below `bar` when it does not.
  static func score(head: [Line], info: SourceInfo, exhaustive: Bool = false, atLeast bar: Int = 0) -> Int {
    // 90 is the most this sniffer gives.
    if !exhaustive, bar > 90 { return 0 }
    var sawName = false
    var sawDescribeField = false
    var notes = 0
    var others = 0
    var score = 0
    var consoleLabels = 0
    var consoleStarts = false
    let probeContext = ParseContext(
      source: info, captureTime: CaptureTime(date: .distantPast, origin: .currentTime), diagnostics: { _ in })
    let probe = DescribeReader(context: probeContext)
    for line in head {
      // 90 is the most any line gives, and `Name:` with a describe field gives 90 at the end: past
      // either, no line can change the score.
      if !exhaustive, score >= 90 || (sawName && sawDescribeField) { break }
      let read = KubectlLine(line)
      if read.isBlank { continue }
      if isNote(read) {
        notes += 1
        continue
      }
      others += 1
      let asked = exhaustive || score < 60 && bar <= 60
      // The fragments that read a row (a headerless table row, a describe or console event row, a
      // node condition row) each insist on a cell an ASCII line shows in its bytes: when it shows
      // none (`KubectlBytes.mayHoldRow`), none of them is asked and the line is not split into
      // words for them (docs/architecture.md, "Sniffing a head of long lines").
      let rows = asked && (!read.isASCII || KubectlBytes.mayHoldRow(read.body, readyWords: Self.readyWords))
      // While rows are asked about (below), nearly every question splits the line into its
      // words, and a line not asked for them by `withTokensRead` splits it again for each: read
      // once here, the same words.
      let l = rows ? read.withTokensRead() : read
      // The web-console test only counts while it could still raise the score (to 50).
      if exhaustive || score < 50 && bar <= 50 {
        // Asked once: both answers depend on the line alone.
        let starts = ConsolePodDetails.starts(l)
        if starts { consoleStarts = true }
        if starts || ConsolePodDetails.label(l.body) != nil { consoleLabels += 1 }
      }
      if rows, NodeConditionRows.row(l) != nil { score = max(score, 60) }
      if let header = TableHeader(l) {
        score = max(score, header.kind == .other ? 40 : 90)
      } else if DescribeEventsTable.header(l) != nil {
        score = max(score, 85)
      } else {
        if l.indent == 0, let f = l.field {
          sawName = sawName || f.key == "Name"
          // Nodes have no namespace; their describe goes on with Roles and Labels.
          sawDescribeField =
            sawDescribeField || ["Namespace", "Roles", "Labels", "CreationTimestamp"].contains(f.key)
        }
        // A fragment (an event row, a container's State line, a headerless row) at any indentation;
        // an event row's message may hold a `key: value` of its own. Asked only while it could
        // still raise the score: trying every headerless layout on every line is the costly part.
        if asked,
          rows
            ? probe.canStart(l) || readsHeaderless(l, context: probeContext)
              || ConsoleEventRow.row(l, block: SourceRef(source: "", line: 0), context: probeContext) != nil
            : probe.startsWithoutRow(l)
        {
          score = max(score, 60)
        }
      }
    }
    if sawName { score = max(score, sawDescribeField ? 90 : 50) }
    // A web console's pod page: labels alone on their lines or before a tab (`ConsolePodDetails`).
    if consoleStarts, consoleLabels >= 2 { score = max(score, 50) }
    // kubectl's stderr saved on its own (`2> err.txt`, `&>`): nothing to read, but not unknown text.
    if notes > 0 && others == 0 { score = max(score, 30) }
    return score
  }

  private let context: ParseContext
  private var describe: DescribeReader
  private var table: TableHeader?
  /// Where the current table begins: the unnamed object of rows whose OBJECT column has a kind
  /// but no name (`-o custom-columns` with KIND, a cut OBJECT cell).
  private var tableBlock: SourceRef?
  /// A `get events` row held back in case its message was wrapped onto the next line.
  private var pendingEvent: Event?
  /// A pre-1.0 `get pods` row, held until its container rows end (`LegacyPodsTable`).
  private var pendingPod: PodSnapshot?
  /// How many lines the held row's message has gone on for.
  private var continuations = 0
  /// The namespace the last command line named (`kubectl get events -n kube-system`): rows without
  /// a NAMESPACE column are in it.
  private var commandNamespace: String?
  /// The first line of a run of web-console event rows: their unnamed object's `pastedAt`.
  private var consoleBlock: SourceRef?
  /// A pod details page copied from a web console, while one is being read.
  private var consoleDetails: ConsolePodDetails
  /// A node's Conditions rows pasted without their describe.
  private var nodeConditions: NodeConditionRows
  /// JSON pasted among the output (`kubectl get pod x -o json` after a table), while it lasts.
  private var json: ObjectStreamParser?
  /// A piece of a pod's YAML pasted among the output, while it lasts.
  private var yaml: EmbeddedYAML?
  /// The strings of the records emitted so far, shared where their bytes repeat.
  private var strings = KubectlStrings()
  /// The lines read so far, by text (`KubectlLineMemo`).
  private var lines = KubectlLineMemo()

  package init(context: ParseContext) { self.init(context: context, memo: true) }

  /// `memo: false` reads every line afresh (`KubectlLineMemo`): the reference its tests compare with;
  /// `scratch: false` grows every describe block's arrays afresh (`DescribeScratch`), likewise.
  init(context: ParseContext, memo: Bool, scratch: Bool = true) {
    self.context = context
    self.lines = KubectlLineMemo(slots: memo ? 4096 : 0)
    self.describe = DescribeReader(context: context, scratch: scratch)
    self.consoleDetails = ConsolePodDetails(context: context)
    self.nodeConditions = NodeConditionRows(context: context)
  }

  package mutating func feed(_ line: Line, emit: (Record) -> Void) -> SourceAccount.Verdict {
    // Every record leaves with its repeated strings shared (`KubectlStrings`); the table is moved
    // out of `self` for the line, so the closure and the readers below do not overlap on it.
    var strings = self.strings
    self.strings = KubectlStrings()
    defer { self.strings = strings }
    if json != nil, let verdict = pasted(line, emit: { emit(strings.share($0)) }) { return verdict }
    // Read once per distinct text (`KubectlLineMemo`): a run of describes repeats its lines. A line
    // the memo holds from now on is made of the copy of its text `strings` holds, if any.
    let (l, slot) = lines.read(line, strings: &strings)
    return read(l, slot: slot) { emit(strings.share($0)) }
  }

  /// `line` read as a part of the object pasted among the kubectl output, until it ends (fed in
  /// place: a copy of the reader per line would copy the value's buffer each time); nil when no
  /// such object is being read or `line` is not part of it.
  private mutating func pasted(_ line: Line, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    guard let verdict = json?.feed(line, emit: emit) else { return nil }
    if json?.isWithinValue == false {
      json?.finish(emit: emit)
      json = nil
    }
    return verdict
  }

  /// Reads with `Ingestor.run` offering each line's bytes (`feed(bytes:number:emit:)`).
  package static var readsBytes: Bool { true }

  /// `feed(_:emit:)` of line `number`, whose text is `bytes` decoded, when the line memo holds a
  /// line of those bytes and no pasted JSON is being read (it reads `Line`s): the held reading,
  /// as `feed(_:emit:)` would have been given it by the memo, with no `String` made of the line
  /// (a run of describes repeats nearly all its lines; `LineReader` decoding each into a `String`
  /// the memo then dropped was about 3 % of a run's instructions). Nil otherwise, with nothing
  /// changed: the line is then fed as a `Line` (docs/architecture.md "Speed of the describe path").
  package mutating func feed(
    bytes: UnsafeBufferPointer<UInt8>, number: Int, emit: (Record) -> Void
  ) -> SourceAccount.Verdict? {
    guard json == nil, let (l, slot) = lines.held(bytes, number: number) else { return nil }
    var strings = self.strings
    self.strings = KubectlStrings()
    defer { self.strings = strings }
    return read(l, slot: slot) { emit(strings.share($0)) }
  }

  /// `read(_:emit:)` of a line once the memo has read it (`slot`: `KubectlLineMemo.read`'s).
  private mutating func read(
    _ l: KubectlLine, slot: Int, emit: (consuming Record) -> Void
  ) -> SourceAccount.Verdict {
    if yaml != nil {
      if let verdict = yaml?.feed(l, emit: emit) { return verdict }
      yaml?.finish(emit: emit)
      yaml = nil
    }
    if l.isBlank {
      flushEvent(emit: emit)
      describe.blank(emit: emit)
      return .ignored
    }
    if lines.isBoundary(l, slot: slot) {
      endAll(emit: emit)
      rememberDescribedPod(l)
      // A fence or a separator between a command and its output keeps the command's namespace.
      if KubectlCommand.isCommand(l.body) || l.body.hasPrefix("$ ") {
        commandNamespace = KubectlCommand.namespace(l.body)
      }
      return .ignored
    }
    if let header = lines.header(l, slot: slot) {
      endAll(emit: emit)
      table = header
      tableBlock = context.ref(l.number)
      return .ignored
    }
    if consoleDetails.isActive {
      // kubectl's own describe after the page (`Name:  web-0` with its aligned value) ends it.
      if describe.canStart(l), l.field?.value.isEmpty == false, !l.body.contains("\t") {
        consoleDetails.end(emit: emit)
      } else if let verdict = consoleDetails.feed(l, emit: emit) {
        return verdict
      }
    }
    if let header = table {
      if l.isUnderline { return .ignored }
      if let verdict = tableRow(l, header: header, emit: emit) { return verdict }
      guard describe.canStart(l) else { return fallback(l, emit: emit) }
      endAll(emit: emit)
    }
    if let verdict = describe.feed(l, emit: emit) { return verdict }
    return fallback(l, emit: emit)
  }

  /// A line nothing else read: a console event row, a headerless table row, or a describe command
  /// behind a prompt the boundary test does not know (`ops@host:~$ k describe pod x`).
  private mutating func fallback(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict {
    if line.indent == 0, ObjectStreamParser.opensObject(line.body) {
      // `kubectl get pod x -o json` after a table: JSON from its first line to its last.
      endAll(emit: emit)
      var reader = ObjectStreamParser(context: context, firstLine: line.number)
      let verdict = reader.feed(line.line, emit: emit)
      if reader.isWithinValue { json = reader } else { reader.finish(emit: emit) }
      return verdict
    }
    if let verdict = consoleRow(line, emit: emit) ?? headerlessRow(line, emit: emit) { return verdict }
    if nodeConditions.isActive, let verdict = nodeConditions.feed(line, emit: emit) { return verdict }
    if NodeConditionRows.row(line) != nil || NodeConditionRows.header(line) {
      endAll(emit: emit)
      if let described = describe.describedPod, described.kind == "Node" {
        nodeConditions.name(described.name, evidence: described.evidence)
        describe.describedPod = nil
      }
      return nodeConditions.feed(line, emit: emit) ?? .unrecognised
    }
    if !consoleDetails.isActive, ConsolePodDetails.starts(line) {
      // A `Name:` just read as a describe's is the page's own when the page follows at once.
      let name = describe.loneName
      if name != nil { describe.discard() }
      endAll(emit: emit)
      if let name { _ = consoleDetails.feed(KubectlLine(Line(number: name.ref.line, text: name.text)), emit: emit) }
      if let verdict = consoleDetails.feed(line, emit: emit) { return verdict }
    }
    // A Markdown table's separator row (`-- | -- | --`) under pasted console rows, and the
    // console's column titles above them.
    if line.isUnderline, line.line.text.contains("|") { return .ignored }
    if ConsoleEventRow.isHeader(line) {
      endAll(emit: emit)
      return .ignored
    }
    if let verdict = continuation(line) { return verdict }
    if var piece = EmbeddedYAML(line, context: context) {
      // `state:` / `  waiting:` … beside a describe's `State:  Waiting`: the object's own YAML.
      endAll(emit: emit)
      let verdict = piece.feed(line, emit: emit) ?? .unrecognised
      yaml = piece
      return verdict
    }
    guard DescribeCommand.pod(in: line) != nil else { return .unrecognised }
    endAll(emit: emit)
    rememberDescribedPod(line)
    return .ignored
  }

  /// Remembers the pod a `kubectl describe pod NAME` line names (`$ kubectl describe pod web-0`):
  /// the fragment after it is about that pod even without `Name:`.
  private mutating func rememberDescribedPod(_ line: KubectlLine) {
    guard let command = DescribeCommand.object(in: line) else { return }
    describe.describedPod = (command.kind, command.namespace, command.name, context.evidence(line.line))
  }

  /// A web console's event row (`ConsoleEventRow`), or the count line after one.
  private mutating func consoleRow(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    if consoleBlock != nil, var event = pendingEvent, let count = ConsoleEventRow.repeatCount(line) {
      event.count = count
      event.evidence.append(context.evidence(line.line))
      pendingEvent = event
      return .parsed
    }
    let block = consoleBlock ?? context.ref(line.number)
    guard let event = ConsoleEventRow.row(line, block: block, context: context) else { return nil }
    if consoleBlock == nil {
      endAll(emit: emit)
      consoleBlock = block
    }
    flushEvent(emit: emit)
    pendingEvent = event
    return .parsed
  }

  /// The layouts a `get events` or `get pods` row may have when its header was not pasted, in the
  /// order tried: each row parser checks every cell's shape (an age, `Normal`/`Warning`, `1/1`, a
  /// count), so a line of another layout or of prose does not read as one.
  static let headerlessLayouts: [TableHeader] = [
    "LAST SEEN   TYPE   REASON   OBJECT   MESSAGE",
    "NAMESPACE   LAST SEEN   TYPE   REASON   OBJECT   MESSAGE",
    "LAST SEEN   TYPE   REASON   OBJECT   SUBOBJECT   SOURCE   MESSAGE   FIRST SEEN   COUNT   NAME",
    "NAMESPACE   LAST SEEN   TYPE   REASON   OBJECT   SUBOBJECT   SOURCE   MESSAGE   FIRST SEEN   COUNT   NAME",
    "LAST SEEN   TYPE   REASON   KIND   MESSAGE",
    "LAST SEEN   FIRST SEEN   COUNT   NAME   KIND   SUBOBJECT   TYPE   REASON   SOURCE   MESSAGE",
    "NAMESPACE   LAST SEEN   FIRST SEEN   COUNT   NAME   KIND   SUBOBJECT   TYPE   REASON   SOURCE   MESSAGE",
    "FIRST SEEN   LAST SEEN   COUNT   NAME   KIND   SUBOBJECT   TYPE   REASON   SOURCE   MESSAGE",
    "FIRST SEEN   LAST SEEN   COUNT   NAME   KIND   SUBOBJECT   REASON   SOURCE   MESSAGE",
    "NAME   READY   STATUS   RESTARTS   AGE",
    "NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE",
    "NAME   READY   STATUS   RESTARTS   AGE   IP   NODE",
    "NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE   IP   NODE",
    "NAME   READY   STATUS   RESTARTS   AGE   LABELS",
    "NAME   READY   STATUS   RESTARTS   AGE   IP   NODE   NOMINATED NODE   READINESS GATES",
    "NAMESPACE   NAME   READY   STATUS   RESTARTS   AGE   IP   NODE   NOMINATED NODE   READINESS GATES",
    "NAME   STATUS   ROLES   AGE   VERSION",
  ].compactMap { TableHeader(KubectlLine(Line(number: 0, text: $0))) }

  /// True when some headerless layout reads `line`.
  static func readsHeaderless(_ line: KubectlLine, context: ParseContext) -> Bool {
    let line = line.withTokensRead()
    var shape = RowShape(line.tokens)
    return headerlessLayouts.indices.contains {
      shape.allows(headerlessGates[$0]) && reads(line, as: headerlessLayouts[$0], context: context)
    }
  }

  /// What a row must show before a headerless layout is tried on it, cells each layout's row
  /// parser insists on (so the answer is the same with or without the gate): a `get pods` row's
  /// READY cell (`1/2`) at the token READY's column is (every column before it is one word); a
  /// `get events` row's TYPE cell (`Normal`, `Warning`) and COUNT cell (a number), wherever they
  /// are (the ages before them may take several words). Prose and container logs seldom show
  /// these, so the layouts, each of which builds a row before giving up, are not tried on them: a
  /// support bundle's plain-text members are sniffed against every layout on every line of their
  /// head (docs/architecture.md, "Sniffing a head of long lines").
  struct Gate: Equatable {
    var eventType = false
    var count = false
    var readyAt: Int?
  }

  /// The words a headerless `get pods` layout reads READY from (bit `i` for word `i`, bit 63 for
  /// word 63 or any later one): a line with no `/` in any of them is read by no such layout
  /// (`KubectlBytes.mayHoldRow`).
  static let readyWords: UInt64 = headerlessGates.reduce(0) { bits, gate in
    guard let at = gate.readyAt else { return bits }
    return bits | 1 << UInt64(min(at, 63))
  }

  /// `headerlessLayouts`' gates, in the same order.
  static let headerlessGates: [Gate] = headerlessLayouts.map { layout in
    switch layout.kind {
    case .pods:
      // `PodsTable.row` reads one word per column up to READY and gives up unless it reads.
      return Gate(readyAt: layout.columns.firstIndex(of: "READY"))
    case .events:
      // `EventsTable.row` gives up unless a cell reads as the type when the layout has TYPE, and
      // as a number when it has COUNT (before MESSAGE or after it).
      return Gate(eventType: layout.columns.contains("TYPE"), count: layout.columns.contains("COUNT"))
    case .nodes, .other, .legacyPods: return Gate()
    }
  }

  /// A line's answers to the gates, each worked out once, when first asked.
  struct RowShape {
    private let tokens: [Substring]
    private var eventType: Bool?
    private var count: Bool?
    /// The READY answers worked out so far, by word (bit `i` for word `i` below 64): the pods
    /// layouts ask the same one or two words.
    private var readyAsked: UInt64 = 0
    private var readyFound: UInt64 = 0

    init(_ tokens: [Substring]) { self.tokens = tokens }

    mutating func allows(_ gate: Gate) -> Bool {
      if let at = gate.readyAt, !ready(at) { return false }
      if gate.eventType {
        if eventType == nil { eventType = tokens.contains(where: Cells.isEventType) }
        if eventType == false { return false }
      }
      if gate.count {
        if count == nil { count = tokens.contains { Int($0) != nil } }
        if count == false { return false }
      }
      return true
    }

    /// Whether word `at` is a READY cell (`1/2`).
    private mutating func ready(_ at: Int) -> Bool {
      guard at < tokens.count else { return false }
      guard at < 64 else { return Cells.ready(tokens[at]) != nil }
      let bit: UInt64 = 1 << UInt64(at)
      if readyAsked & bit == 0 {
        readyAsked |= bit
        if Cells.ready(tokens[at]) != nil { readyFound |= bit }
      }
      return readyFound & bit != 0
    }
  }

  /// True when `layout` reads `line` and what it reads is possible: an event last seen before it
  /// was first seen is a row of the other era's column order (`FIRSTSEEN LASTSEEN` in 1.2).
  static func reads(_ line: KubectlLine, as layout: TableHeader, context: ParseContext) -> Bool {
    switch layout.kind {
    case .pods: return PodsTable.row(line, header: layout, context: context) != nil
    case .events:
      guard let event = EventsTable.row(line, header: layout, context: context) else { return false }
      if let first = event.firstSeen, let last = event.lastSeen, last.latest < first.earliest { return false }
      return true
    case .nodes: return NodesTable.row(line, header: layout) != nil
    case .other, .legacyPods: return false
    }
  }

  /// A `get events` or `get pods` row pasted without its header: the first layout that reads it
  /// becomes the table, so the rows after it (and a message wrapped onto the next line) follow.
  private mutating func headerlessRow(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    let line = line.withTokensRead()
    var shape = RowShape(line.tokens)
    for (layout, gate) in zip(Self.headerlessLayouts, Self.headerlessGates) where layout != table {
      guard shape.allows(gate), Self.reads(line, as: layout, context: context) else { continue }
      endAll(emit: emit)
      table = layout
      tableBlock = context.ref(line.number)
      return tableRow(line, header: layout, emit: emit)
    }
    return nil
  }

  package mutating func finish(emit: (Record) -> Void) {
    var strings = self.strings
    self.strings = KubectlStrings()
    defer { self.strings = strings }
    finishReading { emit(strings.share($0)) }
  }

  private mutating func finishReading(emit: (consuming Record) -> Void) {
    json?.finish(emit: emit)
    json = nil
    yaml?.finish(emit: emit)
    yaml = nil
    endAll(emit: emit)
  }

  private mutating func tableRow(
    _ line: KubectlLine, header: TableHeader, emit: (consuming Record) -> Void
  ) -> SourceAccount.Verdict? {
    switch header.kind {
    case .pods:
      guard var pod = PodsTable.row(line, header: header, context: context) else { return nil }
      if pod.namespace == nil { pod.namespace = commandNamespace }
      emit(.pod(pod))
      return .parsed
    case .events:
      if var event = EventsTable.row(line, header: header, context: context) {
        // A row of a table whose header was cut before REASON: read as a row, nothing to conclude.
        if event.reason.isEmpty { return .ignored }
        if event.involved.name.isEmpty { event.involved.pastedAt = tableBlock }
        if event.involved.namespace == nil, event.involved.kind != "Node" {
          event.involved.namespace = commandNamespace
        }
        flushEvent(emit: emit)
        // Held until the next line says whether the message goes on (`idle` lets a followed watch
        // see its latest row without waiting for another).
        pendingEvent = event
        continuations = 0
        return .parsed
      }
      // A narrow terminal or chat window wrapped the row: its message sits on the next line.
      if var event = pendingEvent, event.message.isEmpty {
        event.message = String(line.body)
        event.evidence.append(context.evidence(line.line))
        pendingEvent = event
        flushEvent(emit: emit)
        return .parsed
      }
      return nil
    case .nodes:
      guard var node = NodesTable.row(line, header: header) else {
        return Self.mayBeRow(line, of: header) ? .ignored : nil
      }
      node.evidence = [context.evidence(line.line)]
      emit(.node(node))
      return .parsed
    case .other:
      // Rows of tables podmortem does not read (`get deployments`, `get services`).
      return Self.mayBeRow(line, of: header) ? .ignored : nil
    case .legacyPods:
      switch LegacyPodsTable.row(line, header: header) {
      case .pod(var pod)?:
        flushEvent(emit: emit)
        if pod.namespace == nil { pod.namespace = commandNamespace }
        pod.capturedAt = context.captureTime
        pod.evidence = [context.evidence(line.line)]
        pendingPod = pod
      case .container(var container)?:
        guard var pod = pendingPod else { return nil }
        container.evidence = [context.evidence(line.line)]
        if container.state != nil { container.stateEvidence = container.evidence }
        pod.containers.append(container)
        pendingPod = pod
      case nil: return nil
      }
      return .parsed
    }
  }

  /// True when `line` can be a row of a table podmortem does not read: cells apart by padding
  /// (two spaces or a tab), or as many words as the header has columns (padding collapsed). A
  /// sentence, a JSON line or a `key: value` after the table is not one: the table is over.
  static func mayBeRow(_ line: KubectlLine, of header: TableHeader) -> Bool {
    let body = line.body
    if body.contains("\t") || body.contains("  ") { return true }
    return line.tokens.count == header.columns.count
  }

  /// The most lines one message may continue on: an exec probe's or hook's output, kept short by
  /// the kubelet (docs/kubernetes.md §6.4), never a whole paste.
  static let maxContinuations = 20

  /// A line under a `get events` row that nothing else reads: the row's message went on, because
  /// the output it quotes held a newline (`Startup probe failed: Warning: …` then `mysqladmin:
  /// connect … failed`, a hook's `, message: "…"`). It joins the message with the newline kubectl
  /// printed. Only a message that quotes something (`…: output`) goes on: under any other, a line
  /// is the poster's own.
  private mutating func continuation(_ line: KubectlLine) -> SourceAccount.Verdict? {
    guard table != nil, var event = pendingEvent, event.message.contains(": "),
      continuations < Self.maxContinuations
    else { return nil }
    continuations += 1
    event.message += "\n" + line.body
    event.evidence.append(context.evidence(line.line))
    pendingEvent = event
    return .parsed
  }

  package mutating func idle(emit: (Record) -> Void) {
    var strings = self.strings
    self.strings = KubectlStrings()
    defer { self.strings = strings }
    flushEvent { emit(strings.share($0)) }
  }

  /// Emits the row held back: an event whose message may go on, or a pre-1.0 pod whose
  /// container rows may follow.
  private mutating func flushEvent(emit: (consuming Record) -> Void) {
    // Moved out, not copied: each is emitted once (`emit` takes it).
    if let event = pendingEvent.take() { emit(.event(consume event)) }
    if let pod = pendingPod.take() { emit(.pod(consume pod)) }
  }

  private mutating func endAll(emit: (consuming Record) -> Void) {
    flushEvent(emit: emit)
    describe.end(emit: emit)
    consoleDetails.end(emit: emit)
    nodeConditions.end(emit: emit)
    table = nil
    tableBlock = nil
    consoleBlock = nil
  }

  private static let commandPrompts = ["$ ", "# ", "% ", "> ", "PS> ", ""].map { $0 + "kubectl " }

  /// Lines that separate outputs in a paste: markdown fences, `grep -A` separators, shell
  /// commands, and kubectl's own stderr notes.
  /// `quick: false` asks every question `Character` by `Character`, for tests.
  static func isBoundary(_ line: KubectlLine, quick: Bool = true) -> Bool {
    let body = line.body
    // Every line is asked. Only a line whose bytes start as one of these prefixes can be a fence,
    // a separator, a prompt or a note: on ASCII bytes a `Character`-level prefix is a byte-level
    // one (beyond ASCII, `\u{1FEF}` is canonically a backtick). Any other line is a boundary only
    // as a kubectl command, whose first word answers from its bytes (`KubectlCommand.firstWordRejects`).
    // A prefix can match only when its first byte does (`boundaryFirstBytes`); an ASCII line needs
    // no byte checked again.
    if quick, let first = body.utf8.first,
      line.isASCII || body.utf8.prefix(Self.longestBoundaryPrefix).allSatisfy({ $0 < 0x80 }),
      first >= 0x80 || !Self.boundaryFirstBytes[Int(first)]
        || !Self.boundaryPrefixes.contains(where: { body.utf8.starts(with: $0) }),
      !KubectlBytes.equals(body.utf8, "--")
    {
      // A describe field's line (`Name:  web-0`, `IP:  10.244.3.58`, `Events:`) read afresh: on
      // ASCII its key's bytes are the label's, and without a tab (a key's colon is followed by a
      // space or the end) its first word is the label's or the label with its colon, whose answer
      // is known (`DescribeKey.opensNoCommand`, held to `KubectlCommand.firstWordRejects` by
      // `DescribeKeysTests`).
      if line.isASCII, line.describeKey?.opensNoCommand == true, !KubectlBytes.contains(body.utf8, 0x09) {
        return false
      }
      return KubectlCommand.isCommand(body)
    }
    if body.hasPrefix("```") || body.hasPrefix("~~~") || body == "--" { return true }
    for prompt in commandPrompts where body.hasPrefix(prompt) { return true }
    // Any other shell command typed at a `$ ` prompt (`$ date -u`, `$ kubectl get … | grep x`).
    if body.hasPrefix("$ "), body.count > 2 { return true }
    if KubectlCommand.isCommand(body, quick: quick) { return true }
    return isNote(line)
  }

  /// The prefixes `isBoundary` and `isNote` look for, as bytes.
  private static let boundaryPrefixes: [[UInt8]] =
    (["```", "~~~", "$ ", "No resources found", "No events", "Error from server ("] + commandPrompts).map {
      Array($0.utf8)
    }
  private static let longestBoundaryPrefix = boundaryPrefixes.map(\.count).max() ?? 0
  /// The first bytes of `boundaryPrefixes`, by value (ASCII).
  private static let boundaryFirstBytes: [Bool] = (0..<128).map { b in
    boundaryPrefixes.contains { $0.first == UInt8(b) }
  }

  /// A kubectl command line however it was typed (`KubectlCommand`).
  static func isKubectlCommand(_ body: Substring) -> Bool { KubectlCommand.isCommand(body) }

  /// What kubectl writes to stderr instead of a table or a describe: `No resources found in
  /// default namespace.`, `No events found in default namespace.` (§3.3), `No events.` (a describe's
  /// Events section before 1.5), `Error from server
  /// (NotFound): pods "x" not found`.
  static func isNote(_ line: KubectlLine) -> Bool {
    let body = line.body
    // Each note starts with an `N` or an `E`, which only those bytes are: most lines a sniffer asks
    // about are answered by their first byte.
    guard let first = body.utf8.first, first == 0x4E || first == 0x45 else { return false }
    return body.hasPrefix("No resources found") || body.hasPrefix("No events found") || body == "No events."
      || body.hasPrefix("Error from server (")
  }
}

extension KubectlTextParser {
  /// True when the next line, a describe's `Name:` line (`partStart(in:)`), would start a new
  /// block here as it does in a fresh parser, and nothing else is held: no pasted JSON or YAML,
  /// table, held row, command namespace, web-console page or node Conditions rows. The block the
  /// `Name:` line ends is emitted by `finish` instead, the same records (a second part of the
  /// source, docs/architecture.md "Long and live inputs").
  package var isBetweenParts: Bool {
    json == nil && yaml == nil && table == nil && tableBlock == nil && pendingEvent == nil && pendingPod == nil
      && commandNamespace == nil && consoleBlock == nil && !consoleDetails.isActive && !nodeConditions.isActive
      && describe.startsNewBlock()
  }
}
