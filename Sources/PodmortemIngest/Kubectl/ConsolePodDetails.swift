import PodmortemInput
import PodmortemModel
import PodmortemText

/// A pod's details page copied from a web console (OpenShift 3 and 4, the GKE console, Lens, the
/// Kubernetes Dashboard) into an issue: the labels and values the page shows side by side arrive
/// as `Label:` on one line and its value on the next, or as `Label<TAB>value`, and a container
/// table as tab-separated cells (docs/kubernetes.md §1.8).
///
/// The page words things its own way (`Crash loop back off`, `Waiting (CrashLoopBackOff)`,
/// `Terminated at Apr 18, 2017 9:12:19 PM (Completed)`, a State cell wrapped onto `Waiting` and
/// `Reason: CrashLoopBackOff`), so this reads the page's shapes, not describe's. A block is a
/// pod only once it shows a container's state, a restart count or a pod status a console writes;
/// it is the pod its `Name` names, else the unnamed pod of the pasted block (`ObjectRef.pastedAt`).
struct ConsolePodDetails {
  /// What a label on a console page stands for.
  enum Label: Equatable {
    case name, namespace, status, node, state, lastState, ready, restartCount, image, containers
    /// A container's heading (`Container kiosk` on OpenShift 3).
    case container(String)
    /// A label whose value podmortem does not need (`Restart Policy`, `Created`, `Labels`).
    case other
  }

  private let context: ParseContext
  /// Where the block begins: its unnamed pod's `pastedAt`, and whether a block is being read.
  private(set) var startedAt: SourceRef?
  private var pending: Label?
  /// The line of the pending label, cited with its value.
  private var pendingLine: Evidence?
  private var pod = PodSnapshot(name: "")
  private var containers: [ContainerSnapshot] = []
  /// The columns of a container table (`Name  Image  Ready  Restarts  State`), lowercased.
  private var columns: [String]?
  /// The container whose state cell wrapped: a `Reason: X` line below completes it.
  private var awaitingReason: (index: Int, last: Bool)?
  /// True once the block shows something only a pod page shows.
  private var isPod = false

  init(context: ParseContext) {
    self.context = context
  }

  var isActive: Bool { startedAt != nil }

  /// The labels consoles print, lowercased, with what they stand for.
  static let labels: [String: Label] = [
    "name": .name, "pod name": .name, "namespace": .namespace, "project": .namespace, "status": .status,
    "pod status": .status, "phase": .status, "node": .node, "node name": .node, "host": .node, "state": .state,
    "last state": .lastState, "last status": .lastState, "last termination state": .lastState, "ready": .ready,
    "restart count": .restartCount, "restarts": .restartCount, "image": .image, "containers": .containers,
    "ip": .other, "pod ip": .other, "host ip": .other, "pod networking": .other, "host networking": .other,
    "restart policy": .other, "created": .other, "created at": .other, "creation time": .other, "age": .other,
    "labels": .other, "annotations": .other, "qos class": .other, "service account": .other,
    "controlled by": .other, "owner": .other, "priority class": .other, "deployment": .other, "ports": .other,
    "mounts": .other, "node selector": .other, "tolerations": .other, "active deadline seconds": .other,
    "image id": .other, "container id": .other, "started": .other, "started at": .other, "uid": .other,
  ]

  /// The label `text` is, with or without its colon; nil for anything else.
  static func label(_ text: Substring) -> Label? {
    // The first character first: it is the key's whenever the key is not empty, and most lines a
    // sniffer asks about do not begin with a capital (trimming the end and counting 30 characters
    // cost more). Its bytes before the character: an ASCII first byte followed by another (or by
    // nothing) is the first character whole, and an ASCII character is upper case only from `A`
    // to `Z`, so most lines are answered by two bytes.
    if noCapitalFirst(text) { return nil }
    guard text.first?.isUppercase == true else { return nil }
    var key = text
    if key.last == ":" { key = key.dropLast() }
    while key.last == " " || key.last == "\t" { key = key.dropLast() }
    // At most 30 characters, counted no further than the 31st (`count` walks a whole line).
    guard !key.isEmpty, key.dropFirst(30).isEmpty, key.first?.isUppercase == true else { return nil }
    let lower = key.lowercased()
    if let label = labels[lower] { return label }
    // `Container kiosk`: a heading naming one container.
    let words = key.split(separator: " ")
    if words.count == 2, words[0] == "Container", isDNSLabel(words[1]) { return .container(String(words[1])) }
    return nil
  }

  /// True when `text`'s first byte is ASCII and no capital, and its second is ASCII or absent:
  /// then its first character is that byte alone, and no capital (`label`, `tabbed`). Read from
  /// the contiguous bytes where there are some: two steps of `UTF8View`'s iterator, asked three
  /// times of every line of a head, cost about 600 instructions a line (docs/architecture.md,
  /// "Sniffing a head of long lines"; `ConsoleFirstBytesTests` keeps the iterator as the
  /// reference).
  static func noCapitalFirst(_ text: Substring) -> Bool {
    if let found = text.utf8.withContiguousStorageIfAvailable({ b -> Bool in
      guard b.count > 0 else { return false }
      let b0 = b[0]
      return b0 < 0x80 && (b.count == 1 || b[1] < 0x80) && !(b0 >= 0x41 && b0 <= 0x5A)
    }) {
      return found
    }
    var bytes = text.utf8.makeIterator()
    guard let b0 = bytes.next(), b0 < 0x80, bytes.next().map({ $0 < 0x80 }) ?? true else { return false }
    return !(0x41...0x5A).contains(b0)
  }

  /// True when `line` begins a console page block: a pod page's label alone on its line, its value
  /// to follow (`Restart Count:`, `Name`), or `Label<TAB>value` with a label pod pages show.
  static func starts(_ line: KubectlLine) -> Bool {
    let body = line.body
    if let label = label(body),
      [.name, .status, .state, .restartCount].contains(label)
        || (body.hasSuffix(":") && [.namespace, .node, .lastState, .ready].contains(label))
    {
      return true
    }
    if let (label, value) = tabbed(body), !value.isEmpty, label == .name || label == .status || label == .restartCount {
      return true
    }
    return false
  }

  /// `Label<TAB>value` or `Label: value` where Label is a console label.
  static func tabbed(_ body: Substring) -> (Label, Substring)? {
    // The label is a prefix of `body`, and `label` turns away any text whose first byte is ASCII
    // and no capital when its second byte is ASCII or absent: so do these two bytes of `body`,
    // before the line is searched for a tab or `: ` (every line of a head is asked).
    if noCapitalFirst(body) { return nil }
    let head: Substring
    let value: Substring
    if let tab = ASCIISearch.firstIndex(of: "\t", in: body) ?? body.firstIndex(of: "\t") {
      head = body[..<tab]
      value = body[body.index(after: tab)...].drop { $0 == " " || $0 == "\t" }
    } else if let colon = ASCIISearch.range(of: ": ", in: body) ?? body.range(of: ": ") {
      head = body[..<colon.lowerBound]
      value = body[colon.upperBound...].drop { $0 == " " }
    } else {
      return nil
    }
    guard let label = label(head) else { return nil }
    return (label, value)
  }

  /// Consumes `line` when it belongs to the block (or starts one); nil otherwise.
  mutating func feed(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    let body = line.body
    if startedAt == nil {
      guard Self.starts(line) else { return nil }
      startedAt = context.ref(line.number)
    }
    if let columns, let verdict = tableRow(line, columns: columns) { return verdict }
    // A container table's header (`Name<TAB>Image<TAB>Ready<TAB>Restarts<TAB>State`).
    let cells = Self.cells(body)
    let lower = cells.map { $0.lowercased() }
    if cells.count >= 3, lower.first == "name", lower.contains("restarts") || lower.contains("state") {
      columns = lower
      pending = nil
      return .ignored
    }
    if let (index, last) = awaitingReason, let colon = body.range(of: ": "), body[..<colon.lowerBound] == "Reason" {
      awaitingReason = nil
      let reason = String(body[colon.upperBound...])
      setState(Self.state(reason.isEmpty ? "" : "\(stateWord(index, last)) (\(reason))"), at: index, last: last)
      containers[index].evidence.append(context.evidence(line.line))
      return .parsed
    }
    awaitingReason = nil
    // A label alone, its value on the next line; without its colon only where no value is due.
    if let label = Self.label(body), body.hasSuffix(":") || pending == nil {
      if label == .name, !pod.name.isEmpty {
        // The next pod's page.
        end(emit: emit)
        startedAt = context.ref(line.number)
      }
      return take(label, line: line)
    }
    if let pendingLabel = pending {
      // A value with the next label glued to its end (`node1 (10.0.1.212)Restart Policy:`).
      var value = body
      var next: Label?
      if body.hasSuffix(":") {
        // Labels are short: only the line's last 40 characters are tried, so a long line costs one pass.
        for cut in body.indices.reversed().prefix(40) where body[cut].isUppercase {
          if let label = Self.label(body[cut...]) {
            next = label
            value = body[..<cut]
            break
          }
        }
      }
      pending = nil
      let verdict = set(pendingLabel, value, line: line, label: pendingLine)
      pendingLine = nil
      if let next { _ = take(next, line: line) }
      return verdict
    }
    if let (label, value) = Self.tabbed(body) {
      if label == .name, !pod.name.isEmpty {
        end(emit: emit)
        startedAt = context.ref(line.number)
      }
      if value.isEmpty { return take(label, line: line) }
      return set(label, value, line: line)
    }
    return nil
  }

  /// A label on its own line: a heading, or a value still to come.
  private mutating func take(_ label: Label, line: KubectlLine) -> SourceAccount.Verdict {
    if case .container(let name) = label {
      containers.append(ContainerSnapshot(name: name))
      containers[containers.count - 1].evidence.append(context.evidence(line.line))
      pending = nil
      return .parsed
    }
    pending = label
    pendingLine = context.evidence(line.line)
    return .ignored
  }

  /// Stores what `value` says under `label`.
  private mutating func set(
    _ label: Label, _ value: Substring, line: KubectlLine, label labelLine: Evidence? = nil
  ) -> SourceAccount.Verdict {
    let value = Substring(value.trimmingSpaces)
    let evidence = context.evidence(line.line)
    let cited = (labelLine.map { [$0] } ?? []) + [evidence]
    switch label {
    case .name:
      guard Self.isDNSName(value) else { return .unrecognised }
      pod.name = String(value)
    case .namespace:
      guard Self.isDNSLabel(value) else { return .unrecognised }
      pod.namespace = String(value)
    case .node:
      guard let node = value.split(separator: " ").first, Self.isDNSName(node) else { return .unrecognised }
      pod.node = String(node)
    case .status:
      // `Crash loop back off`, `CrashLoopBackOff`, `Running on`, `Terminating`.
      let joined = value.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
      if Self.podReasons.contains(joined) {
        pod.displayStatus = joined
        pod.terminating = joined == "Terminating"
        isPod = true
      } else if let phase = value.split(separator: " ").first, Self.phases.contains(String(phase)) {
        pod.phase = String(phase)
      } else {
        return .unrecognised
      }
    case .state, .lastState:
      guard let index = containerIndex(), let state = Self.state(value) else { return .unrecognised }
      setState(state, at: index, last: label == .lastState)
      if case .waiting(nil, _) = state, label == .state { awaitingReason = (index, false) }
      containers[index].evidence.append(contentsOf: cited)
    case .ready:
      guard let index = containerIndex(), let ready = Self.bool(value) else { return .unrecognised }
      containers[index].ready = ready
      containers[index].evidence.append(contentsOf: cited)
    case .restartCount:
      guard let index = containerIndex(), let n = restarts(value, line: line) else { return .unrecognised }
      containers[index].restartCount = n
      containers[index].evidence.append(contentsOf: cited)
      isPod = true
    case .image:
      guard let index = containerIndex(), !value.isEmpty else { return .unrecognised }
      containers[index].image = String(value)
    case .containers, .container, .other:
      return .ignored
    }
    pod.evidence.append(contentsOf: cited)
    return .parsed
  }

  /// One row of the container table: cells under the header's columns; a State cell left empty
  /// or cut wrapped onto the lines below.
  private mutating func tableRow(_ line: KubectlLine, columns: [String]) -> SourceAccount.Verdict? {
    let cells = Self.cells(line.body)
    guard cells.count >= 2, cells.count <= columns.count, Self.isDNSLabel(cells[0]) else { return nil }
    var container = ContainerSnapshot(name: String(cells[0]))
    for (column, cell) in zip(columns, cells).dropFirst() {
      switch column {
      case "image": container.image = String(cell)
      case "ready": container.ready = Self.bool(cell)
      case "restarts":
        guard let n = restarts(cell, line: line) else { return nil }
        container.restartCount = n
      case "state", "status": container.state = Self.state(cell)
      default: break
      }
    }
    container.evidence.append(context.evidence(line.line))
    containers.append(container)
    isPod = true
    if container.state == nil, columns.contains("state") || columns.contains("status") {
      // The cell wrapped: `Waiting` on the next line, then `Reason: CrashLoopBackOff`.
      pending = .state
    }
    return .parsed
  }

  private func stateWord(_ index: Int, _ last: Bool) -> String {
    switch last ? containers[index].lastState : containers[index].state {
    case .terminated?: "Terminated"
    case .running?: "Running"
    default: "Waiting"
    }
  }

  private mutating func setState(_ state: ContainerState?, at index: Int, last: Bool) {
    guard let state else { return }
    if case .terminated(let t) = state, t.exitCode == Self.unknownExit {
      // A termination is never invented without its exit code: keep its reason apart.
      containers[index].terminatedReasonOnly = t.reason
      return
    }
    if last { containers[index].lastState = state } else { containers[index].state = state }
  }

  /// The container a container field belongs to: the last one named, else one whose name the page
  /// does not show.
  private mutating func containerIndex() -> Int? {
    if containers.isEmpty {
      containers.append(ContainerSnapshot(name: ContainerSnapshot.unknownName))
    }
    return containers.count - 1
  }

  private func restarts(_ value: Substring, line: KubectlLine) -> Int? {
    guard let n = Plausible.int32(value), n >= 0 else {
      if !value.isEmpty, value.allSatisfy({ $0.isNumber || $0 == "-" }) {
        context.diagnostics(
          Diagnostic(
            .warning, context.ref(line.number),
            "restart count '\(value.prefix(40))' is not a 32-bit count; the count is dropped"))
      }
      return nil
    }
    return n
  }

  /// Emits the block's pod, if it showed one, and forgets the block.
  mutating func end(emit: (consuming Record) -> Void) {
    defer { self = ConsolePodDetails(context: context) }
    guard let startedAt, isPod || containers.contains(where: { $0.state != nil || $0.restartCount != nil }) else {
      return
    }
    var p = pod
    p.containers = containers
    p.capturedAt = context.captureTime
    if p.name.isEmpty { p.pastedAt = startedAt }
    emit(.pod(p))
  }

  // MARK: console values

  private static let unknownExit = Int.min

  /// `Waiting (CrashLoopBackOff)`, `waiting: ImagePullBackOff`, `Waiting`, `Running since …`,
  /// `Terminated at Apr 18, 2017 9:12:19 PM (Completed)`, `terminated: Error (exit code 1)`.
  static func state(_ value: Substring) -> ContainerState? {
    let word = value.prefix { $0.isLetter }.lowercased()
    var reason: String?
    if let open = value.lastIndex(of: "("), let close = value.lastIndex(of: ")"), open < close {
      let inner = value[value.index(after: open)..<close]
      reason = inner.allSatisfy({ $0.isLetter }) && !inner.isEmpty ? String(inner) : nil
    }
    if reason == nil, let colon = value.firstIndex(of: ":"), value[..<colon].allSatisfy(\.isLetter) {
      let rest = value[value.index(after: colon)...].drop { $0 == " " }.prefix { $0.isLetter }
      if !rest.isEmpty { reason = String(rest) }
    }
    switch word {
    case "waiting": return .waiting(reason: reason, message: nil)
    case "running": return .running(startedAt: nil)
    case "terminated":
      var exit = unknownExit
      for marker in ["exit code ", "exit code: ", "exit:", "exitcode "] {
        if let r = value.lowercased().range(of: marker) {
          let digits = value.lowercased()[r.upperBound...].prefix { $0.isNumber || $0 == "-" }
          if let n = Plausible.int32(digits) { exit = n }
          break
        }
      }
      return .terminated(Termination(reason: reason, exitCode: exit))
    default: return nil
    }
  }

  /// The pod statuses a console shows in place of a phase (the STATUS kubectl prints, §3.1).
  static let podReasons: Set<String> = [
    "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError", "RunContainerError",
    "ContainerCreating", "Terminating", "Evicted", "OOMKilled", "Error", "Completed", "InvalidImageName",
    "CreateContainerError", "PodInitializing", "Unknown", "NodeLost",
  ]

  static let phases: Set<String> = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]

  private static func bool(_ value: Substring) -> Bool? {
    switch value.lowercased() {
    case "true", "yes": true
    case "false", "no": false
    default: nil
    }
  }

  /// Cells of a console table row: tab-separated, each trimmed; empty trailing cells dropped.
  static func cells(_ body: Substring) -> [Substring] {
    var cells = body.split(separator: "\t", omittingEmptySubsequences: false).map { Substring($0.trimmingSpaces) }
    while cells.last?.isEmpty == true { cells.removeLast() }
    return cells
  }

  static func isDNSLabel(_ s: Substring) -> Bool {
    !s.isEmpty && s.count <= 63 && s.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "-" }
      && s.first != "-"
  }

  static func isDNSName(_ s: Substring) -> Bool {
    !s.isEmpty && s.count <= 253 && s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isDNSLabel)
  }
}

extension Substring {
  fileprivate var trimmingSpaces: Substring {
    var s = self
    while s.first == " " || s.first == "\t" { s = s.dropFirst() }
    while s.last == " " || s.last == "\t" { s = s.dropLast() }
    return s
  }
}
