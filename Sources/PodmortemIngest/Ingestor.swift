import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// Reads one source: sniffs its first lines, picks the most confident parser, feeds it every
/// line and keeps the account of what became of each one.
package struct Ingestor: Sendable {
  /// How many lines the sniffer looks at: enough for a describe that starts after a page of
  /// chat in a paste (40 lines missed those), bounded in bytes by `headBytes`.
  package static let headLines = 400
  /// The most bytes of head lines kept for sniffing (past it, fewer lines are looked at).
  package static let headBytes = 512 * 1024

  /// The parsers, most specific first; ties go to the earlier one.
  package var parsers: [any LineParser.Type]
  /// Recognises kubelet and container log messages (patterns/*.json).
  package var patterns: PatternCatalog

  package init(parsers: [any LineParser.Type] = Ingestor.standardParsers, patterns: PatternCatalog = .empty) {
    self.parsers = parsers
    self.patterns = patterns
  }

  /// Every parser podmortem ships, in order of preference on equal confidence.
  package static let standardParsers: [any LineParser.Type] = [
    ObjectStreamParser.self,
    GronParser.self,
    YAMLObjectParser.self,
    KubectlTextParser.self,
    KubeletLogParser.self,
    NodeLogParser.self,
    ContainerLogParser.self,
    ClusterInfoDumpLogsParser.self,
    KubectlLogsParser.self,
    PlainTextParser.self,
  ]

  /// The parser type the sniffer picks for a source starting with `head`: the first of `parsers`
  /// with the highest score above 0.
  ///
  /// The parsers are asked in order of their `sniffCost`, the cheap ones first, each for the score
  /// it needs to win (`LineParser.sniff(head:info:atLeast:)`): more than the best so far, or as
  /// much when it comes before that one in `parsers`. A costly sniffer may then skip the questions
  /// that could not reach it: a kubelet log's head, scored 90 as a log, leaves the kubectl sniffer
  /// only the questions that give 90 (not the headerless table layouts it tried on every line), a
  /// JSON list scored 95 leaves it nothing to ask, and a describe scored 90 by it leaves the YAML
  /// sniffer nothing (docs/architecture.md, "Sniffing a head of long lines").
  package func pick(head: [Line], info: SourceInfo) -> any LineParser.Type {
    var best: (any LineParser.Type)? = nil
    var bestScore = 0
    var bestIndex = Int.max
    let order = parsers.indices.sorted { (parsers[$0].sniffCost, $0) < (parsers[$1].sniffCost, $1) }
    for i in order {
      let parser = parsers[i]
      let bar = max(1, i < bestIndex ? bestScore : bestScore + 1)
      let score = parser.sniff(head: head, info: info, atLeast: bar)
      if score >= bar {
        best = parser
        bestScore = score
        bestIndex = i
      }
    }
    return best ?? PlainTextParser.self
  }

  /// Parses one source to the end, emitting records as they complete.
  package func ingest(
    _ reader: inout LineReader, context: ParseContext, emit: (Record) -> Void
  ) -> SourceAccount {
    ingest(&reader, context: context, started: { _ in }, emit: emit).account
  }

  /// `ingest(_:context:emit:)`, telling `started` what the head decided before the first line is
  /// parsed: a file read in two parts reads its second part with it (`ingestPart`). Also returns
  /// the source's pasted block: the first line whose log record joined it (`LogRecord.pastedAt`).
  package func ingest(
    _ reader: inout LineReader, context: ParseContext, started: (IngestStart) -> Void, emit: (Record) -> Void
  ) -> (account: SourceAccount, pastedBlock: SourceRef?) {
    var context = context
    context.patterns = patterns
    var account = SourceAccount(source: context.source.name)
    if !context.source.relativePath.isEmpty { account.layout = context.source.bundleFile.summary }
    var head: [Line] = []
    head.reserveCapacity(Self.headLines)
    var headSize = 0
    // A followed stream (`--follow`) is sniffed on the lines it has sent so far.
    while head.count < Self.headLines, headSize < Self.headBytes, head.isEmpty || !reader.isCaughtUp(),
      let line = reader.next()
    {
      head.append(line)
      headSize += line.text.utf8.count
    }
    // A paste quoted whole (`> ` before every line, as in a markdown or e-mail reply) is read
    // without its quote marks, whatever its format.
    let quoted = Self.isQuoted(head)
    if quoted { head = head.map(Self.unquoted) }
    var captureLine: Int?
    if context.captureTime.origin != .flag, let found = CaptureTimeFinder.find(head: head, info: context.source) {
      context.captureTime = CaptureTime(date: found.date, origin: .input)
      captureLine = found.line
    }
    account.captureTime = context.captureTime
    let parserType = pick(head: head, info: context.source)
    account.formats = [parserType.format]
    let patterns = self.patterns
    let start = IngestStart(parser: parserType, context: context, quoted: quoted)
    started(start)
    // The line that gave the capture time is understood; the parser never sees it.
    let parsedHead = head.filter { $0.number != captureLine }
    if let captureLine { account.count(.ignored, line: captureLine) }
    // A file or paste given on its own (not a bundle member) is one pasted block: its lines about a
    // container that name no pod belong to the block's unnamed pod (`LogRecord.pastedAt`).
    let isPaste = context.source.relativePath.isEmpty
    var block: SourceRef?
    // The catalog's answers for the messages of this source's events (`MessageMatchMemo`).
    var messages = MessageMatchMemo()
    // A paste read as one format may still hold a line of another kind (a jsonpath output or an
    // event message inside a kubelet log excerpt): an unrecognised line of a paste is offered to
    // the pattern-reading fallback before it is counted unrecognised.
    var fallback =
      isPaste && parserType != PlainTextParser.self
      ? PasteFallback(context: context, logs: parserType != KubeletLogParser.self) : nil
    let watch = start.watch.line == nil ? nil : start.watch
    if parserType == KubeletLogParser.self {
      // The kubelet log's records handed over, each classified and range-checked in place with
      // no copy (`runHanding`); its events and the fallback's records go the way below.
      var parser = KubeletLogParser(context: context)
      runKubeletLog(
        &parser, fallback: &fallback, head: parsedHead, reader: &reader, account: &account, unquote: quoted,
        watch: watch, isPaste: isPaste, block: &block, messages: &messages, diagnostics: context.diagnostics,
        emit: emit)
      account.bytes = reader.bytesRead
      return (account, block)
    }
    var parser = parserType.init(context: context)
    run(
      &parser, fallback: &fallback, head: parsedHead, reader: &reader, account: &account, unquote: quoted,
      watch: watch
    ) { record in
      // A log record bound borrowed by the `switch` and copied once, into `log`, where `delivered`'s
      // `guard case` copied the whole `Record` and then its log record out of that copy: a retain
      // and a release of each of its strings saved per line (docs/architecture.md "Speed of the
      // kubelet-log path"). What is handed on is what `delivered` hands on (`DeliveredLogTests`).
      switch record {
      case .log(let borrowed):
        var log = borrowed
        Self.deliver(&log, patterns: patterns, isPaste: isPaste, block: &block, diagnostics: context.diagnostics)
        emit(.log(log))
      case .event(let borrowed):
        // The same for an event, which an EventList or a describe's Events table hands on one per
        // row: copied once, not out of its enum and back at each step (`DeliveredEventTests`).
        var event = borrowed
        Self.deliver(&event, patterns: patterns, messages: &messages, diagnostics: context.diagnostics)
        emit(.event(event))
      default:
        emit(
          Self.delivered(
            record, patterns: patterns, isPaste: isPaste, block: &block, messages: &messages,
            diagnostics: context.diagnostics))
      }
    }
    account.bytes = reader.bytesRead
    return (account, block)
  }

  /// A parser's record as the reading of its source hands it on: classified (`classify`); in a
  /// paste, a log line about a container that names no pod joined to the source's pasted block
  /// (`block`: the first such line, set by it when nil); range-checked (`RangeCheck`).
  ///
  /// A log record is copied out of `record` once and changed in place by each step (`classify`,
  /// the block, `RangeCheck`), not copied out of its enum and back at each: a copy retains every
  /// string of the record, and the kubelet-log path does this once per line (docs/architecture.md).
  static func delivered(
    _ record: Record, patterns: PatternCatalog, isPaste: Bool, block: inout SourceRef?,
    messages: inout MessageMatchMemo, diagnostics: DiagnosticSink
  ) -> Record {
    switch record {
    case .log(var log):
      deliver(&log, patterns: patterns, isPaste: isPaste, block: &block, diagnostics: diagnostics)
      return .log(log)
    case .event(var event):
      deliver(&event, patterns: patterns, messages: &messages, diagnostics: diagnostics)
      return .event(event)
    default:
      return RangeCheck.check(classify(record, with: patterns), diagnostics: diagnostics)
    }
  }

  /// `delivered` for an event, changed in place: classified (its message looked up in `messages`
  /// first), range-checked.
  static func deliver(
    _ event: inout Event, patterns: PatternCatalog, messages: inout MessageMatchMemo, diagnostics: DiagnosticSink
  ) {
    classify(&event, with: patterns, messages: &messages)
    RangeCheck.check(&event, diagnostics: diagnostics)
  }

  /// `delivered` for a log record, changed in place: classified, joined to the paste's block,
  /// range-checked.
  static func deliver(
    _ log: inout LogRecord, patterns: PatternCatalog, isPaste: Bool, block: inout SourceRef?,
    diagnostics: DiagnosticSink
  ) {
    classify(&log, with: patterns)
    if isPaste, log.pod == nil, log.pastedAt == nil, let id = log.patternID,
      patterns.pattern(id: id)?.isAboutNode == false
    {
      block = block ?? log.evidence.ref
      log.pastedAt = block
    }
    RangeCheck.check(&log, diagnostics: diagnostics)
  }

  /// Names the pattern an event's message or a log record's text matches, with its captures, so
  /// later stages read typed fields instead of re-matching text.
  static func classify(_ record: Record, with patterns: PatternCatalog) -> Record {
    if case .pod(var pod) = record {
      patterns.classifyStates(of: &pod)
      return .pod(pod.name.isEmpty ? named(pod, with: patterns) : pod)
    }
    if case .event(var event) = record {
      var once = MessageMatchMemo(remembering: false)
      classify(&event, with: patterns, messages: &once)
      return .event(event)
    }
    guard case .log(var log) = record else { return record }
    classify(&log, with: patterns)
    return .log(log)
  }

  /// `classify` for an event, changed in place, the catalog's answers taken from `messages` when
  /// it holds them.
  static func classify(_ event: inout Event, with patterns: PatternCatalog, messages: inout MessageMatchMemo) {
    if event.patternID == nil, let hit = messages.firstMatch(event.message, kind: .event, in: patterns) {
      event.patternID = hit.patternID
      event.captures = hit.captures
    }
    // The pod the message names, when the object does not say (an Events table pasted alone).
    if event.involved.name.isEmpty, event.capture("pod") == nil, event.capture("podName") == nil,
      let reference = messages.firstMatch(event.message, kind: .reference, in: patterns)
    {
      event.captures += reference.captures.filter { $0.key == "pod" || $0.key == "namespace" }
    }
  }

  /// `classify` for a log record, changed in place.
  static func classify(_ log: inout LogRecord, with patterns: PatternCatalog) {
    // A container's line without a runtime time may say when it was written (`WrittenTime`).
    if log.time == nil, log.origin == .container, let time = WrittenTime.time(in: log.message) {
      log.time = time
    }
    if log.patternID == nil {
      let kind: PatternKind =
        switch log.origin {
        case .kubelet: .kubelet
        case .node: .node
        case .container, .other: .container
        }
      guard let hit = patterns.firstMatch(log.text, kind: kind, sharing: log.fields) else { return }
      log.patternID = hit.patternID
      log.captures = hit.captures
      // The kubelet's own record of an event it sent: its message is recognised as an event's is,
      // under `event.`-prefixed keys, so the event Correlate makes of the line carries it too.
      // The kubelet says the same few messages over and over (the 4 MiB bench slice's 1,639 such
      // lines have one), so the catalog's memo answers a repeat (docs/architecture.md "Speed of
      // the kubelet-log path").
      // The id is asked first: the field's look-up walked every line's fields for the few lines of
      // that pattern.
      if hit.patternID == "kubelet.event-occurred", let message = log.field("message"),
        let event = patterns.firstMatch(recurring: message, kind: .event)
      {
        log.captures.append(KeyValue("event.pattern", event.patternID))
        log.captures += event.captures.map { KeyValue("event." + $0.key, $0.value) }
      }
    }
    // A kubepods cgroup (the kernel's OOM lines) names the pod's uid and the container's id.
    if let cgroup = cgroupCapture(log), log.capture("podUID") == nil {
      let (podUID, containerID) = CgroupPath.parse(cgroup)
      if let podUID { log.captures.append(KeyValue("podUID", podUID)) }
      if let containerID, log.capture("containerID") == nil {
        log.captures.append(KeyValue("containerID", containerID))
      }
    }
    // A line that names its pod only inside the message (`Liveness probe for "web-0_shop(uid):web"`,
    // `Error syncing pod … ("web-0_shop(uid)")`) belongs to that pod.
    // A recognised line that names its pod only in the error it quotes (`NetworkPlugin cni failed to
    // set up pod "web-0_shop" network`): the same reference patterns events use.
    if log.pod == nil, log.patternID != nil, log.capture("podName") == nil, log.capture("pod") == nil,
      let reference = patterns.firstMatch(log.text, kind: .reference), let name = reference.capture("pod")
    {
      log.captures.append(KeyValue("podName", name))
      if let namespace = reference.capture("namespace") { log.captures.append(KeyValue("namespace", namespace)) }
    }
    if log.pod == nil, let name = log.capture("podName"), !name.isEmpty {
      log.pod = name
      log.namespace = log.namespace ?? log.capture("namespace")
      log.container = log.container ?? log.capture("container")
    }
  }

  /// `log.capture("cgroup")`, asked of every recognised record, its keys told by their length
  /// first: `cgroup` is ASCII without `K`, `;` or `` ` ``, the only ASCII a non-ASCII scalar is
  /// canonically equivalent to alone (UAX #15), so a key `==` to it is its very six bytes, and a
  /// key of another length is not; each key was compared with `==`, a call into the standard
  /// library for most (docs/architecture.md "Speed of the kubelet-log path"). The keys are read
  /// through the array's storage, where a loop over the array copied each pair (two retains).
  static func cgroupCapture(_ log: LogRecord) -> String? {
    log.captures.withUnsafeBufferPointer { captures in
      for k in captures.indices where captures[k].key.utf8.count == 6 && captures[k].key == "cgroup" {
        return captures[k].value
      }
      return nil
    }
  }

  /// A pod the input shows without its name (a `containerStatuses` list, a `State:` block pasted
  /// alone) whose own messages name it: the kubelet writes the pod as `name_namespace(uid)` in a
  /// back-off message (`back-off 20s restarting failed container=web pod=web-0_shop(…)`,
  /// docs/kubernetes.md §7.1) — the reference patterns events use. Unnamed when no message names
  /// it, or when messages name different pods.
  static func named(_ pod: PodSnapshot, with patterns: PatternCatalog) -> PodSnapshot {
    var messages: [String] = pod.message.map { [$0] } ?? []
    for container in pod.containers {
      for state in [container.state, container.lastState] {
        switch state {
        case .waiting(_, let message?): messages.append(message)
        case .terminated(let t): if let message = t.message { messages.append(message) }
        default: break
        }
      }
    }
    var found: (name: String, namespace: String?, uid: String?)?
    for message in messages {
      guard let hit = patterns.firstMatch(message, kind: .reference), let name = hit.capture("pod"), !name.isEmpty
      else { continue }
      if let found, found.name != name { return pod }
      found = (name, hit.capture("namespace"), hit.capture("uid"))
    }
    guard let found, pod.namespace == nil || found.namespace == nil || pod.namespace == found.namespace else {
      return pod
    }
    var named = pod
    named.name = found.name
    named.namespace = pod.namespace ?? found.namespace
    named.uid = pod.uid ?? found.uid
    named.pastedAt = nil
    return named
  }

  /// True when every line of `head` that is not blank is quoted (`>`), and there are two or more.
  static func isQuoted(_ head: [Line]) -> Bool {
    var lines = 0
    for line in head where !line.text.allSatisfy(\.isWhitespace) {
      guard line.text.utf8.first == UInt8(ascii: ">") else { return false }
      lines += 1
    }
    return lines >= 2
  }

  /// `line` without its quote marks (`> `, `>`, nested `> > `).
  static func unquoted(_ line: Line) -> Line {
    guard line.text.utf8.first == UInt8(ascii: ">") else { return line }
    var line = line
    line.text = KubectlLine.unquote(line.text)
    return line
  }

  func run<P: LineParser>(
    _ parser: inout P, fallback: inout PasteFallback?, head: [Line], reader: inout LineReader,
    account: inout SourceAccount, unquote: Bool, watch: PartWatch?, emit: (Record) -> Void
  ) {
    // What a line the parser left unrecognised becomes.
    func unrecognised(_ line: Line) -> SourceAccount.Verdict {
      if PasteDecoration.contains(line.text) { return .ignored }
      if let format = fallback?.feed(line, emit: emit) {
        if !account.formats.contains(format) { account.formats.append(format) }
        return .parsed
      }
      return .unrecognised
    }
    func verdict(_ line: Line) -> SourceAccount.Verdict {
      let v = parser.feed(line, emit: emit)
      // A pattern, not `==`: the comparison went through `Equatable`'s witness (issue 16, callgrind).
      guard case .unrecognised = v else { return v }
      return unrecognised(line)
    }
    for line in head { account.count(verdict(line), line: line.number) }
    if reader.isCaughtUp(milliseconds: 0) { parser.idle(emit: emit) }
    if P.readsBytes && !unquote {
      // A parser that reads a line from its bytes is offered each line as the bytes it lies in
      // (`LineReader.next(offering:)`), made a `String` only when the parser does not take it or
      // leaves it unrecognised (the fallback reads lines): the same lines fed in the same order,
      // counted, watched and followed as below (docs/architecture.md "Speed of the EventList
      // path"; `OfferedLinesTests`). The watched line is set before the first line is read
      // (`IngestStart`), so it is read once: asking the watch on every line cost a call and a
      // copy of the parser; a source that is not followed is never caught up.
      let watched = watch?.line
      let followed = reader.isFollowed
      // A line offered as its bytes: fed and counted when the parser takes it.
      func offer(_ bytes: UnsafeBufferPointer<UInt8>, _ number: Int) -> Bool {
        guard let v = parser.feed(bytes: bytes, number: number, emit: emit) else { return false }
        if case .unrecognised = v {
          let line = Line(number: number, text: String(decoding: bytes, as: UTF8.self), truncated: false)
          account.count(unrecognised(line), line: number)
        } else {
          account.count(v, line: number)
        }
        return true
      }
      if !followed {
        // A source that is not followed is never caught up: the reader goes on from a line the
        // parser takes to the next without returning here (`LineReader.nextUntaken`), and the
        // watch is asked at the watched line where it is read (`OfferedLinesTests`).
        while let line = reader.nextUntaken(offering: { bytes, number in
          guard offer(bytes, number) else { return false }
          if let watch, number == watched { watch.check(parser, after: number) }
          return true
        }) {
          account.count(verdict(line), line: line.number)
          if let watch, line.number == watched { watch.check(parser, after: line.number) }
        }
        if let watch { watch.finish(&parser, emit: emit) } else { parser.finish(emit: emit) }
        fallback?.finish(emit: emit)
        return
      }
      while let got = reader.next(offering: offer) {
        let number: Int
        switch got {
        case .taken(let n):
          number = n
        case .line(let line):
          account.count(verdict(line), line: line.number)
          number = line.number
        }
        if let watch, number == watched { watch.check(parser, after: number) }
        if followed, reader.isCaughtUp(milliseconds: 0) { parser.idle(emit: emit) }
      }
    } else {
      while var line = reader.next() {
        if unquote { line = Self.unquoted(line) }
        account.count(verdict(line), line: line.number)
        // A source read in two parts: after the last line before the second part, whether the
        // parser holds nothing from before (`PartWatch`).
        watch?.check(parser, after: line.number)
        // A followed stream that has caught up: nothing may stay held back waiting for a next line.
        if reader.isCaughtUp(milliseconds: 0) { parser.idle(emit: emit) }
      }
    }
    if let watch { watch.finish(&parser, emit: emit) } else { parser.finish(emit: emit) }
    fallback?.finish(emit: emit)
  }

  /// `runHanding` as `ingest` and `ingestPart` use it: each log record handed over is classified
  /// and range-checked in place and handed on (`deliver`), each event and the fallback's records
  /// as `delivered` hands them on.
  func runKubeletLog(
    _ parser: inout KubeletLogParser, fallback: inout PasteFallback?, head: [Line], reader: inout LineReader,
    account: inout SourceAccount, unquote: Bool, watch: PartWatch?, isPaste: Bool, block: inout SourceRef?,
    messages: inout MessageMatchMemo, diagnostics: DiagnosticSink, emit: (Record) -> Void
  ) {
    let patterns = self.patterns
    runHanding(
      &parser, fallback: &fallback, head: head, reader: &reader, account: &account, unquote: unquote, watch: watch,
      hand: { (owned: consuming LogRecord) in
        var log = owned
        Self.deliver(&log, patterns: patterns, isPaste: isPaste, block: &block, diagnostics: diagnostics)
        emit(.log(log))
      },
      emit: { record in
        emit(
          Self.delivered(
            record, patterns: patterns, isPaste: isPaste, block: &block, messages: &messages,
            diagnostics: diagnostics))
      })
  }

  /// `run` for the kubelet log's parser, its log records handed over to `hand` (which owns each)
  /// and its events and the fallback's records to `emit`: the same lines fed, counted and
  /// watched in the same order (`HandedLogTests` holds it to `run`).
  func runHanding(
    _ parser: inout KubeletLogParser, fallback: inout PasteFallback?, head: [Line], reader: inout LineReader,
    account: inout SourceAccount, unquote: Bool, watch: PartWatch?, hand: (consuming LogRecord) -> Void,
    emit: (Record) -> Void
  ) {
    func verdict(_ line: Line) -> SourceAccount.Verdict {
      let v = parser.feed(line, handing: hand, emit: emit)
      guard v == .unrecognised else { return v }
      if PasteDecoration.contains(line.text) { return .ignored }
      if let format = fallback?.feed(line, emit: emit) {
        if !account.formats.contains(format) { account.formats.append(format) }
        return .parsed
      }
      return .unrecognised
    }
    for line in head { account.count(verdict(line), line: line.number) }
    if reader.isCaughtUp(milliseconds: 0) { parser.idle(handing: hand, emit: emit) }
    while var line = reader.next() {
      if unquote { line = Self.unquoted(line) }
      account.count(verdict(line), line: line.number)
      watch?.check(parser, after: line.number)
      if reader.isCaughtUp(milliseconds: 0) { parser.idle(handing: hand, emit: emit) }
    }
    // `PartWatch.finish`: the kubelet log parser's `finishFirstPart` is its `finish`.
    parser.finish(handing: hand, emit: emit)
    fallback?.finish(emit: emit)
  }
}

/// What reads a paste's lines its own parser did not: kubelet log lines (with their klog header,
/// behind a journald prefix) pasted among kubectl output, a piece of a pod's YAML (`status:`,
/// `state:` …) while its lines are YAML's, then any message the pattern catalog knows
/// (`PlainTextParser`).
struct PasteFallback {
  private let context: ParseContext
  private var logs: KubeletLogParser?
  private var plain: PlainTextParser
  /// A piece of a pod's YAML pasted after the lines of another format (a `status:` block below a
  /// journal excerpt), while its lines are YAML's.
  private var yaml: EmbeddedYAML?

  init(context: ParseContext, logs: Bool) {
    self.context = context
    self.logs = logs ? KubeletLogParser(context: context) : nil
    self.plain = PlainTextParser(context: context)
  }

  /// The format that read the line, nil when none did.
  mutating func feed(_ line: Line, emit: (Record) -> Void) -> String? {
    let l = KubectlLine(line)
    if yaml != nil {
      if yaml?.feed(l, emit: emit) != nil { return YAMLObjectParser.format }
      yaml?.finish(emit: emit)
      yaml = nil
    }
    if logs?.feed(line, emit: emit) == .parsed { return KubeletLogParser.format }
    if var piece = EmbeddedYAML(l, context: context) {
      _ = piece.feed(l, emit: emit)
      yaml = piece
      return YAMLObjectParser.format
    }
    return plain.feed(line, emit: emit) == .parsed ? PlainTextParser.format : nil
  }

  mutating func finish(emit: (Record) -> Void) {
    logs?.finish(emit: emit)
    yaml?.finish(emit: emit)
    yaml = nil
  }
}
