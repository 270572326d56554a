import PodmortemModel
import PodmortemText

/// The header of a `kubectl get` or `kubectl events` table: its column names in order
/// (docs/kubernetes.md §3). Multi-word names (`LAST SEEN`, `NOMINATED NODE`) are joined, so a header
/// whose padding collapsed to single spaces still reads.
struct TableHeader: Equatable {
  enum Kind: Equatable {
    case pods
    /// `kubectl get nodes` (default and `-o wide`).
    case nodes
    /// `legacy`: the pre-1.12 client-side table (ShortHumanDuration ages, NAME is the object).
    case events(legacy: Bool)
    /// Another resource (`get deployments`, `get nodes` …): its rows are recognised and skipped.
    case other
    /// Pre-1.0 `get pods` (`POD IP CONTAINER(S) IMAGE(S) HOST LABELS STATUS CREATED MESSAGE`): a
    /// row per pod, then an indented row per container, empty cells left blank (`LegacyPodsTable`).
    case legacyPods
  }

  var kind: Kind
  var columns: [String]
  /// Where each column starts, in characters: kept for the layouts whose empty cells are blank
  /// (`legacyPods`), whose rows are read by position.
  var starts: [Int] = []

  private static let pairs: [String: String] = [
    "LAST": "SEEN", "FIRST": "SEEN", "NOMINATED": "NODE", "READINESS": "GATES",
  ]

  private static let joined: [String: String] = ["LASTSEEN": "LAST SEEN", "FIRSTSEEN": "FIRST SEEN"]

  /// The names people give `-o custom-columns` event fields (`TIME:.lastTimestamp,MSG:.message`),
  /// read as the columns kubectl itself prints.
  private static let customNames: [String: String] = [
    "MSG": "MESSAGE", "TIME": "LAST SEEN", "LASTTIMESTAMP": "LAST SEEN", "LAST_SEEN": "LAST SEEN",
    "FIRSTTIMESTAMP": "FIRST SEEN", "FIRST_SEEN": "FIRST SEEN",
  ]

  /// The first column a cut first word was: a proper suffix of `LAST`/`FIRST` before `SEEN`,
  /// `NAME` before `READY` or `STATUS`, `NAMESPACE` before `NAME` or `LAST`, `EVENT` before `LAST`
  /// or `NAMESPACE` (the columns that follow them in §3); `LAST` where `FIRST` could also be meant,
  /// as every layout but 1.2's starts with it. The rest of a header a terminal wrapped
  /// (`E   IP   NODE …`) is none of these.
  private static func cutFirst(_ word: Substring, next: Substring?) -> Substring? {
    guard !word.isEmpty, word.allSatisfy(\.isUppercase), let next else { return nil }
    let follows: [(Substring, Set<Substring>)] = [
      ("LAST", ["SEEN"]), ("FIRST", ["SEEN"]), ("NAMESPACE", ["NAME", "LAST"]), ("NAME", ["READY", "STATUS"]),
      ("EVENT", ["LAST", "NAMESPACE"]),
    ]
    return follows.first { $0.0.count > word.count && $0.0.hasSuffix(word) && $0.1.contains(next) }?.0
  }

  /// A `-o custom-columns` header of events: REASON and a message column among upper-case words,
  /// the message last (it is the only cell that may hold spaces).
  private static func isCustomEvents(_ words: [Substring]) -> Bool {
    guard words.count >= 2, words.count <= 12, let last = words.last, last == "MESSAGE" || last == "MSG" else {
      return false
    }
    return words.contains("REASON") && !words.contains("TYPE")
  }

  /// The header a line is, if it is one. `wordGate: false` leaves out the check that every word
  /// begins with a capital before the words are read: the reference its tests compare with.
  init?(_ line: KubectlLine, wordGate: Bool = true) {
    // Every line outside a table is asked. A header's first word is upper case, digits and `-_./`
    // (checked below for every word): a first word with a lower-case letter or a colon (`Name:`,
    // `worker:`, `Normal`) answers before any word array is built. Every word of a header begins
    // with a capital (below), so a word that begins otherwise (a klog line's `00:00:00.657517`
    // after `W1127`) answers too (docs/architecture.md, "Sniffing a head of long lines").
    if line.isASCII {
      guard KubectlBytes.firstWordMayOpenHeader(line.body) else { return nil }
      if wordGate { guard KubectlBytes.everyWordStartsUpper(line.body) else { return nil } }
    }
    var words = line.tokens
    // A header whose first word lost its start in the copy (`AST SEEN   TYPE …`, `ME   READY …`).
    if let first = words.first, let whole = Self.cutFirst(first, next: words.dropFirst().first) { words[0] = whole }
    // … or the whole of it: `SEEN` alone opens no header but a `LAST SEEN` cut at its space.
    if words.first == "SEEN", words.dropFirst().first == "TYPE" { words.insert("LAST", at: 0) }
    guard let first = words.first,
      first.hasPrefix("NAME") || first.hasPrefix("EVENT") || first.hasPrefix("LAST") || first.hasPrefix("FIRST")
        || first == "POD" || Self.isCustomEvents(words)
    else { return nil }
    var columns: [String] = []
    var i = 0
    while i < words.count {
      let w = words[i]
      // A unit in parentheses may be lower case (`CPU(cores)`, `MEMORY(bytes)`, `PORT(S)`); `%` ends
      // a share (`CPU%`): `kubectl top` and `get svc` headers.
      let stem = w.hasSuffix(")") ? w.prefix { $0 != "(" } : w
      guard stem.allSatisfy({ $0.isUppercase || $0.isNumber || "-_./%".contains($0) }), w.first?.isUppercase == true
      else { return nil }
      if let second = Self.pairs[String(w)], i + 1 < words.count, words[i + 1] == second {
        columns.append("\(w) \(second)")
        i += 2
      } else if let joined = Self.joined[String(w)] {
        // 1.3–1.9 printed `LASTSEEN   FIRSTSEEN` as single words.
        columns.append(joined)
        i += 1
      } else {
        columns.append(String(w))
        i += 1
      }
    }
    let custom = Self.isCustomEvents(words)
    if custom { columns = columns.map { Self.customNames[$0] ?? $0 } }
    guard let first = columns.first,
      custom || ["NAME", "NAMESPACE", "EVENT", "LAST SEEN", "FIRST SEEN", "POD"].contains(first),
      columns.count >= 2
    else { return nil }
    self.columns = columns
    if first == "POD" {
      // Pre-1.0 `get pods` (CONTAINER(S) beside IMAGE(S)); else `kubectl top pod --containers`.
      kind =
        columns.contains("CONTAINER(S)") && columns.contains("IMAGE(S)") && columns.count <= 12 ? .legacyPods : .other
      // Positions mean nothing once padding became tabs: such rows are read by shape.
      if kind == .legacyPods, !line.hasTab { starts = words.map(line.column(of:)) }
      return
    }
    // READY beside STATUS is a pods table even when a narrow terminal cut RESTARTS and AGE off.
    if columns.contains("READY") && columns.contains("STATUS") {
      kind = .pods
    } else if first == "NAME", columns.count >= 3, columns[1] == "STATUS", columns.contains("VERSION") {
      kind = .nodes
    } else if columns.contains("TYPE") && columns.contains("REASON") && columns.contains("LAST SEEN") {
      kind = .events(legacy: columns.contains("KIND"))
    } else if custom {
      kind = .events(legacy: columns.contains("KIND"))
    } else if first == "FIRST SEEN", columns.starts(with: ["FIRST SEEN", "LAST SEEN", "COUNT"]) {
      // 1.0–1.1 `get events` had no TYPE (§3.1); a paste may cut the header after any column.
      kind = .events(legacy: true)
    } else if first == "NAME" || first == "NAMESPACE" {
      kind = .other
    } else {
      return nil
    }
  }
}

/// Rows of `kubectl get pods` (default, `-o wide`, `-A`, `--show-labels`, `--watch`) → PodSnapshot
/// (docs/kubernetes.md §3.4). Cells are read as words: every pod cell is one word except RESTARTS
/// `5 (2m ago)`, so collapsed padding and tabs do not matter.
enum PodsTable {
  static func row(_ line: KubectlLine, header: TableHeader, context: ParseContext) -> PodSnapshot? {
    let t = line.tokens
    var pod = PodSnapshot(name: "")
    var i = 0
    for column in header.columns {
      guard i < t.count else { return nil }
      let cell = t[i]
      i += 1
      switch column {
      case "NAMESPACE": pod.namespace = String(cell)
      case "NAME": pod.name = String(cell.hasPrefix("pod/") ? cell.dropFirst(4) : cell)
      case "READY":
        guard let ready = Cells.ready(cell) else { return nil }
        pod.ready = ready
      case "STATUS":
        pod.displayStatus = String(cell)
        pod.terminating = cell == "Terminating"
      case "RESTARTS":
        guard let restarts = Int(cell) else { return nil }
        pod.restarts = restarts
        if i + 1 < t.count, t[i].hasPrefix("("), t[i + 1] == "ago)" {
          guard let age = AgeStyle.human.parse(t[i].dropFirst()) else { return nil }
          pod.lastRestart = age.timeRange(before: context.captureTime)
          i += 2
        }
      case "AGE":
        guard let age = AgeStyle.human.parse(cell) else { return nil }
        pod.creationTime = age.timeRange(before: context.captureTime)
      case "IP": pod.podIP = Cells.value(cell)
      case "NODE": pod.node = Cells.value(cell)
      case "LABELS":
        guard let labels = Cells.labels(cell) else { return nil }
        pod.labels = labels
      default: break
      }
    }
    guard i == t.count, !pod.name.isEmpty, pod.ready != nil else { return nil }
    if let status = pod.displayStatus { PodStatusCell.apply(status, to: &pod) }
    pod.capturedAt = context.captureTime
    pod.evidence = [context.evidence(line.line)]
    return pod
  }
}

/// Rows of the pre-1.0 `get pods` table (Kubernetes 0.x, 2015): a pod's row (`foo  10.0.0.53
/// 127.0.0.1/127.0.0.1  <none>  Pending  About a minute`), then a row per container, indented to
/// CONTAINER(S) (`bar1  fooimage1  Waiting  Error: image library/fooimage1:latest not found`).
/// Empty cells are blank, so a cell is read by where it starts: in the column whose start is the
/// last at or before it (the rows are tabwriter-aligned to the header). A container's MESSAGE is
/// its waiting reason of that era, free text (`StateMessages` recognises it); a Terminated state
/// shows no exit code and is not read as a termination. Seen in samples/pastes (j20).
enum LegacyPodsTable {
  enum Row {
    case pod(PodSnapshot)
    case container(ContainerSnapshot)
  }

  static func row(_ line: KubectlLine, header: TableHeader) -> Row? {
    guard header.kind == .legacyPods else { return nil }
    guard header.starts.count == header.columns.count, !line.hasTab else { return byShape(line.tokens) }
    // The cells of the line, by column: from the first word starting in a column to the last.
    var cells: [String: Substring] = [:]
    let text = line.text
    var column = -1
    var cellStart: String.Index?
    var cellEnd: String.Index?
    func close() {
      if column >= 0, let start = cellStart, let end = cellEnd { cells[header.columns[column]] = text[start..<end] }
    }
    let words = line.tokens
    // Columns counted from the previous word, so a long line costs one walk, not one per word.
    var counted = (index: text.startIndex, column: 0)
    for word in words {
      let offset =
        line.isASCII
        ? text.utf8.distance(from: counted.index, to: word.startIndex)
        : text.distance(from: counted.index, to: word.startIndex)
      counted = (word.startIndex, counted.column + offset)
      let at = header.starts.lastIndex { $0 <= counted.column } ?? 0
      guard at != column else {
        cellEnd = word.endIndex
        continue
      }
      close()
      column = at
      cellStart = word.startIndex
      cellEnd = word.endIndex
      // MESSAGE, the last column, takes the rest of the line.
      if at == header.columns.count - 1 {
        cellEnd = words.last?.endIndex
        break
      }
    }
    close()
    if let name = cells["POD"] {
      let read = pod(name: name, ip: cells["IP"], host: cells["HOST"], labels: cells["LABELS"], status: cells["STATUS"])
      guard var pod = read else { return byShape(words) }
      pod.message = cells["MESSAGE"].map(String.init)
      return .pod(pod)
    }
    let read = container(
      name: cells["CONTAINER(S)"], image: cells["IMAGE(S)"], status: cells["STATUS"], message: cells["MESSAGE"])
    return read.map(Row.container) ?? byShape(words)
  }

  private static let phases: Set<Substring> = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]
  private static let states: Set<Substring> = ["Waiting", "Running", "Terminated"]

  private static func isWord(_ cell: Substring?) -> Bool {
    cell.map { !$0.isEmpty && !$0.contains(" ") && !$0.contains("\t") } ?? false
  }

  private static func pod(name: Substring, ip: Substring?, host: Substring?, labels: Substring?, status: Substring?)
    -> PodSnapshot?
  {
    guard isWord(name), let status, phases.contains(status) else { return nil }
    var pod = PodSnapshot(name: String(name))
    pod.podIP = ip.flatMap { Cells.value($0) }
    // HOST is `host/hostIP`.
    pod.node = host.flatMap { Cells.value($0.prefix { $0 != "/" }) }
    if let labels { pod.labels = Cells.labels(labels) ?? [:] }
    pod.phase = String(status)
    pod.displayStatus = String(status)
    return pod
  }

  private static func container(name: Substring?, image: Substring?, status: Substring?, message: Substring?)
    -> ContainerSnapshot?
  {
    guard let name, let image, isWord(name), isWord(image) else { return nil }
    var container = ContainerSnapshot(name: String(name))
    container.image = String(image)
    switch status {
    case "Waiting": container.state = .waiting(reason: nil, message: message.map(String.init))
    case "Running": container.state = .running(startedAt: nil)
    case "Terminated", nil: break
    default: return nil
    }
    return container
  }

  /// A row whose padding was lost (indentation stripped, padding turned to tabs), read by the
  /// shape of its words: a container's is name, image, then its state word, with a waiting
  /// state's text after it; a pod's is its name, then IP, `host/hostIP` and labels as they appear,
  /// then its phase.
  private static func byShape(_ t: [Substring]) -> Row? {
    if t.count >= 3, states.contains(t[2]) {
      let message = t.count > 3 ? t[3].base[t[3].startIndex..<(t.last ?? t[3]).endIndex] : nil
      return container(name: t[0], image: t[1], status: t[2], message: t[2] == "Waiting" ? message : nil)
        .map(Row.container)
    }
    guard let at = t.indices.dropFirst().first(where: { phases.contains(t[$0]) }), at <= 4 else { return nil }
    let cells = t[1..<at]
    let host = cells.first { $0.contains("/") || $0 == "<unassigned>" }
    let labels = cells.last.flatMap { $0.contains("=") || $0 == "<none>" ? $0 : nil }
    let ip = cells.first.flatMap { $0 != host && ($0.contains(".") || $0.contains(":") || $0 == "<none>") ? $0 : nil }
    return pod(name: t[0], ip: ip, host: host, labels: labels, status: t[at]).map(Row.pod)
  }
}

/// Rows of `kubectl get nodes` (`NAME STATUS ROLES AGE VERSION`, `-o wide`) → NodeSnapshot with the
/// STATUS cell as its display status; what follows STATUS is not read (`-o wide`'s OS-IMAGE has spaces).
enum NodesTable {
  static func row(_ line: KubectlLine, header: TableHeader) -> NodeSnapshot? {
    let t = line.tokens
    guard header.kind == .nodes, t.count >= min(header.columns.count, 4) else { return nil }
    let status = t[1]
    // `Ready`, `NotReady`, `Unknown`, each maybe with `,SchedulingDisabled`. A part equal to one of
    // them holds its bytes (no other characters are canonically equivalent to these letters), so a
    // cell holding neither `Ready` nor `Unknown` is answered before it is split: every line of a
    // sniffed head is asked this (docs/architecture.md, "Sniffing a head of long lines").
    guard Self.mayHoldStatus(status) else { return nil }
    let parts = status.split(separator: ",")
    guard let ready = parts.first, ["Ready", "NotReady", "Unknown"].contains(ready),
      parts.dropFirst().allSatisfy({ $0 == "SchedulingDisabled" })
    else { return nil }
    var node = NodeSnapshot(name: String(t[0]))
    node.displayStatus = String(status)
    if parts.count > 1 { node.unschedulable = true }
    return node
  }

  private static let readyBytes = Array("Ready".utf8)
  private static let unknownBytes = Array("Unknown".utf8)

  /// False when `cell`'s bytes hold neither `Ready` nor `Unknown`, so no part of it is a status.
  static func mayHoldStatus(_ cell: Substring) -> Bool {
    var cell = cell
    return cell.withUTF8 { bytes in
      readyBytes.withUnsafeBufferPointer { ASCIISearch.offset(of: $0, in: bytes) != nil }
        || unknownBytes.withUnsafeBufferPointer { ASCIISearch.offset(of: $0, in: bytes) != nil }
    }
  }
}

/// What a `get pods` STATUS cell says about the pod's containers, read back from the way kubectl
/// builds it (`printPod` in kubernetes/pkg/printers/internalversion/printers.go): the pod's reason
/// (`Evicted`), else `Init:` and the first unfinished init container's waiting or terminated
/// reason (`Init:ExitCode:N`, `Init:Signal:N` when it has none), else the last regular container's
/// waiting or terminated reason (`ExitCode:N`, `Signal:N`). The container's name is not in the row:
/// it is `ContainerSnapshot.unknownName`, and it carries the row's RESTARTS only when READY shows a
/// single container (the column sums every container's restarts).
///
/// A terminated reason without its exit code (`OOMKilled`, `Error`, `Init:Error`, `Signal:9`) is
/// kept as the display status only: a termination is never invented without its exit code.
enum PodStatusCell {
  /// The waiting reasons a container shows while the kubelet cannot start it.
  static let waitingReasons: Set<String> = [
    "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
    "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PreStartHookError",
    "PostStartHookError", "ContainerCreating", "PodInitializing",
  ]

  /// The reasons a pod fails with, shown in STATUS instead of the phase: eviction, a lost node, the
  /// kubelet's activeDeadlineSeconds (docs/kubernetes.md §8.4) and its admission checks, whose
  /// resource checks read `OutOf<resource>` (§9.2, [k/k] pkg/kubelet/lifecycle/predicate.go).
  static let failedReasons: Set<String> = [
    "Evicted", "NodeLost", "DeadlineExceeded", "UnexpectedAdmissionError", "NodeAffinity", "NodeName", "NodePorts",
    "TaintToleration", "NodeSelectorMismatching", "InvalidNodeInfo", "UnexpectedPredicateFailureType",
    "PodFitsHostPorts", "MatchNodeSelector",
  ]

  static func apply(_ status: String, to pod: inout PodSnapshot) {
    var cell = Substring(status)
    var role = ContainerSnapshot.Role.container
    if cell.hasPrefix("Init:") {
      role = .initContainer
      cell = cell.dropFirst("Init:".count)
    }
    var state: ContainerState?
    if waitingReasons.contains(String(cell)) {
      // `PodInitializing` and `ContainerCreating` are the normal way in, not a failure.
      state = .waiting(reason: String(cell), message: nil)
    } else if cell.hasPrefix("ExitCode:"), let code = Int(cell.dropFirst("ExitCode:".count)) {
      state = .terminated(Termination(exitCode: code))
    } else if role == .container, failedReasons.contains(String(cell)) || (cell.hasPrefix("OutOf") && cell.count > 5) {
      pod.reason = String(cell)
      pod.phase = pod.phase ?? "Failed"
      return
    } else if role == .container, ["Pending", "Running", "Succeeded", "Failed", "Unknown"].contains(String(cell)) {
      pod.phase = String(cell)
      return
    }
    guard let state else { return }
    var container = ContainerSnapshot(name: ContainerSnapshot.unknownName, role: role)
    container.state = state
    if role == .container, pod.ready?.total == 1 {
      container.restartCount = pod.restarts
      container.ready = pod.ready.map { $0.ready == 1 }
    }
    pod.containers = [container]
  }
}

/// Rows of `kubectl get events` (default, `-o wide`, `-A`, `--watch`, `--output-watch-events`,
/// pre-1.12) and `kubectl events` (docs/kubernetes.md §3.1–§3.3) → Event.
///
/// Cells are read as words with the shape of each column: LAST SEEN is one age (plus
/// `(xN over B)` in `kubectl events`), TYPE/REASON/OBJECT one word, SUBOBJECT present only when
/// it looks like a field path, SOURCE `component[, host]`, MESSAGE the rest — or, in `-o wide`,
/// everything up to the three trailing words FIRST SEEN, COUNT, NAME.
enum EventsTable {
  static func row(_ line: KubectlLine, header: TableHeader, context: ParseContext) -> Event? {
    guard case .events(let legacy) = header.kind else { return nil }
    let style: AgeStyle = legacy ? .short : .human
    let t = line.tokens
    // A header cut before MESSAGE (a paste as wide as its window) reads every column from the left
    // and the rest of the row, if any, as the message.
    let messageColumn = header.columns.firstIndex(of: "MESSAGE") ?? header.columns.endIndex
    var end = t.count
    var event = Event(involved: ObjectRef(name: ""), type: .other(""), reason: "", message: "")
    // Columns after MESSAGE (`-o wide`) are single words, read from the end.
    for column in header.columns[min(messageColumn + 1, header.columns.endIndex)...].reversed() {
      guard end > 0 else { return nil }
      end -= 1
      let cell = t[end]
      switch column {
      case "NAME": event.eventName = String(cell)
      case "COUNT":
        guard let count = Int(cell) else { return nil }
        event.count = count
      case "FIRST SEEN":
        guard let age = style.parse(cell) else { return nil }
        event.firstSeen = age.timeRange(before: context.captureTime)
      default: break
      }
    }
    var i = 0
    var sawType = false
    var kindAsStored = false
    for column in header.columns[..<messageColumn] {
      switch column {
      case "SUBOBJECT":
        if i < end, Cells.looksLikeFieldPath(t[i]) {
          event.involved.fieldPath = String(t[i])
          i += 1
        }
        continue
      case "SOURCE":
        if i < end, Cells.looksLikeComponent(t[i]), let source = Cells.source(t, at: i), i + source.consumed <= end {
          event.sourceComponent = source.component
          event.sourceHost = source.host
          i += source.consumed
        }
        continue
      default: break
      }
      guard i < end else { return nil }
      let cell = t[i]
      switch column {
      case "EVENT":
        guard ["ADDED", "MODIFIED", "DELETED", "ERROR", "BOOKMARK"].contains(cell) else { return nil }
        event.watchType = String(cell)
        i += 1
      case "NAMESPACE":
        event.involved.namespace = String(cell)
        i += 1
      case "LAST SEEN", "FIRST SEEN":
        guard let age = AgeCell.read(Array(t[..<end]), at: i, style: style, capture: context.captureTime) else {
          return nil
        }
        if column == "LAST SEEN" {
          event.lastSeen = age.time
          if let count = age.count {
            event.count = count
            event.firstSeen = age.first
          }
        } else {
          event.firstSeen = age.time
        }
        i += age.consumed
      case "COUNT":
        guard let count = Int(cell) else { return nil }
        event.count = count
        i += 1
      case "NAME":
        // Pre-1.12 NAME is the involved object — or, from some 1.11 clients, the event's own name
        // `<object>.<hex nanoseconds>` (docs/kubernetes.md §3.1); since 1.12 it is the event's name.
        if legacy, let object = Cells.objectOfEventName(cell) {
          event.involved.name = String(object)
          event.eventName = String(cell)
        } else if legacy {
          event.involved.name = String(cell)
        } else {
          event.eventName = String(cell)
        }
        i += 1
      case "KIND":
        event.involved.kind = Cells.canonicalKind(cell)
        i += 1
      case "TYPE":
        guard Cells.isEventType(cell) else { return nil }
        event.type = EventType(String(cell))
        sawType = true
        i += 1
      case "REASON":
        event.reason = String(cell)
        i += 1
      case "OBJECT":
        kindAsStored = cell.first?.isUppercase == true
        let object = Cells.object(cell)
        event.involved.kind = object.kind
        event.involved.name = object.name
        i += 1
      default:
        i += 1
      }
    }
    // 1.0–1.1 tables have no TYPE; a header cut before REASON leaves the rows without one (the
    // caller recognises such a row and reads nothing from it).
    guard sawType || !header.columns.contains("TYPE"), !event.reason.isEmpty || !header.columns.contains("REASON")
    else { return nil }
    if event.count == nil, event.firstSeen == nil, kindAsStored {
      // `kubectl events` (Kind as stored, `Pod/web-0`) prints a single age only for one
      // occurrence, and that age is the first one's (getInterval, §3.3).
      event.firstSeen = event.lastSeen
    }
    if i < end {
      let message = line.text[t[i].startIndex..<t[end - 1].endIndex]
      if let prefixed = Cells.fieldPathPrefix(message) {
        event.involved.fieldPath = prefixed.fieldPath
        event.message = String(prefixed.message)
      } else {
        event.message = String(message)
      }
    }
    event.evidence = [context.evidence(line.line)]
    return event
  }
}
