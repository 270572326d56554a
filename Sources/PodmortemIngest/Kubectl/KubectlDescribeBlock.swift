import Foundation
import PodmortemModel
import PodmortemText

/// One object of a describe output while it is being read.
struct DescribeBlock {
  private let context: ParseContext
  var name: String?
  var section = DescribeSection.top
  var containerField = ContainerField.none
  var evidence: [Evidence] = []
  /// Where a block without a `Name:` line begins: its unnamed object's `pastedAt`.
  var startedAt: SourceRef?
  private var pod = PodSnapshot(name: "")
  private var namespace: String?
  private var isPod = false
  private var isNode = false
  /// True in a node's `Lease:` section, and the holder it names.
  private var inLease = false
  private var leaseHolder: String?
  private var inPodTemplate = false
  private var workloadKind: String?
  private var replicas: String?
  private var podsStatus: String?
  private var taints: [String] = []
  private var unschedulable: Bool?
  private var conditions: [PodCondition] = []
  /// The line of each of `conditions`, in order: a node's `conditionEvidence` is made of them
  /// when it is emitted (a pod's or workload's block, which keeps none, builds no table).
  private var conditionLines: [Evidence] = []
  private var taintEvidence: [Evidence] = []
  private var conditionColumns = 2
  private var lasts: Age?
  private var expires: TimeRange?
  private var container: ContainerSnapshot?
  /// The numbers `memo.labels` and `memo.resources` know `pod.labels`, `container.limits` and
  /// `container.requests` by (`DescribeTableMemo`): 0 while empty, set back to 0 where the pod or
  /// the container is made anew (`takePod`, `newContainer`).
  private var labelsTable = 0
  private var limitsTable = 0
  private var requestsTable = 0
  private var state: StateBuilder?
  /// The indentation of the current `State:`/`Last State:` line.
  private var stateIndent = Int.max
  private var messageLines = 0
  private var events: DescribeEventsTable?
  private var emitted = false
  /// What earlier blocks read (probe lines, ages), handed from block to block by `DescribeReader`.
  var memo = DescribeMemo()

  init(context: ParseContext) {
    self.context = context
  }

  /// The block's memo exchanged with `other`: lent to a block and taken back by `DescribeReader`
  /// without a copy (`if let memo = block?.memo { self.memo = memo }` copied it, a retain of each
  /// of its arrays, and destroying the block released them again: docs/architecture.md "Speed of
  /// the describe path").
  mutating func exchangeMemo(_ other: inout DescribeMemo) { swap(&memo, &other) }

  /// Grows the block's evidence, conditions and their lines in the room earlier blocks left
  /// (`DescribeScratch`), once `memo` is lent.
  mutating func takeScratch() {
    evidence = DescribeScratch.take(&memo.scratch.evidence)
    conditions = DescribeScratch.take(&memo.scratch.conditions)
    conditionLines = DescribeScratch.take(&memo.scratch.conditionLines)
  }

  /// True while a container is read, asked of a field that holds nothing to retain: `container !=
  /// nil` copied the whole snapshot out of the block first, on every container line (measured with
  /// callgrind; docs/architecture.md "Speed of the describe path").
  private var hasContainer: Bool { container?.role != nil }
  /// True while a container's state is read (as `hasContainer`).
  private var hasState: Bool { state?.kind != nil }

  static let topKeys: Set<Substring> = [
    "Name", "Namespace", "Priority", "Priority Class Name", "Runtime Class Name", "Service Account", "Node", "Host",
    "Start Time", "Labels", "Annotations", "Status", "Termination Grace Period", "SeccompProfile", "IP", "IPs",
    "Controlled By", "NominatedNodeName", "Resources", "Init Containers", "Containers", "Ephemeral Containers",
    "Readiness Gates", "Conditions", "Volumes", "QoS Class", "Node-Selectors", "Tolerations",
    "Topology Spread Constraints", "Events", "Roles", "CreationTimestamp", "Taints", "Unschedulable", "Lease",
    "Addresses", "Capacity", "Allocatable", "System Info", "PodCIDR", "PodCIDRs", "ProviderID", "Non-terminated Pods",
    "Allocated resources", "Selector", "Replicas", "StrategyType", "MinReadySeconds", "RollingUpdateStrategy",
    "Pod Template", "OldReplicaSets", "NewReplicaSet", "Pods Status", "Pods Statuses", "Update Strategy", "Partition",
    "Volume Claims", "Desired Number of Nodes Scheduled", "Parallelism", "Completions", "Completion Mode",
    "Backoff Limit", "Schedule", "Concurrency Policy", "Finalizers",
  ]

  static let containerKeys: Set<Substring> = [
    "Container ID", "Image", "Image ID", "Port", "Ports", "Host Port", "Host Ports", "SeccompProfile",
    "LocalhostProfile", "Command", "Args", "State", "Last State", "Ready", "Restart Count", "Limits", "Requests",
    "Liveness", "Readiness", "Startup", "Environment Variables from", "Environment", "Environment Variables", "Mounts",
    "Volume Mounts", "Devices", "Restart Policy", "Last Termination State", "QoS Tier",
  ]

  static let stateKeys: Set<Substring> = ["Reason", "Message", "Exit Code", "Signal", "Started", "Finished"]

  /// A container's state lines: `Last Termination State` is the 1.0–1.2 label of `Last State`.
  static let stateLabels: Set<Substring> = ["State", "Last State", "Last Termination State"]

  /// The pod a `kubectl describe pod NAME -n NS` line names, for a block without `Name:`.
  mutating func name(fromCommand kind: String, _ namespace: String?, _ name: String, evidence line: Evidence) {
    self.name = name
    self.namespace = self.namespace ?? namespace
    if kind == "Node" { isNode = true } else { isPod = true }
    evidence.append(line)
  }

  /// A fragment that starts at a container's `State:` line: a pod, its container's name not shown.
  mutating func startContainerFragment() {
    isPod = true
    section = .containers(.container)
    newContainer(ContainerSnapshot(name: ContainerSnapshot.unknownName, role: .container))
  }

  mutating func feed(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    // The sets the line's key is in, looked up once per reading (`DescribeKeys`; empty without a field).
    let keyKind = line.keyKind
    if case .events = section, events?.era != nil {
      // Fed in place: a copy of the table per line copied its held row and owner each time.
      if let verdict = events?.feed(line, context: context, ages: &memo.ages, rows: &memo.rows, emit: emit) {
        return verdict
      }
      guard line.indent == 0, line.field != nil, keyKind.contains(.top) else { return nil }
    }
    if containerField == .stateMessage, messageLines < 200 {
      if line.field != nil,
        keyKind.contains(.state) || keyKind.contains(.container) || (line.indent == 0 && keyKind.contains(.top))
      {
        containerField = .state
      } else {
        // A termination message with newlines continues at column 0 (PrefixWriter, §1.1).
        let previous = state?.message ?? ""
        state?.message = previous + "\n" + (line.indent == 0 ? line.text : String(line.body))
        container?.evidence.append(context.evidence(line.line))
        messageLines += 1
        return .parsed
      }
    }
    if line.indent == 0, let f = line.field, keyKind.contains(.top) || isGenericTopKey(f.key) {
      // A second `Name:` that did not start a new object is a volume's or an annotation's.
      if line.describeKey == .name, name != nil { return .ignored }
      if case .containers = section, keyKind.contains(.state) || keyKind.contains(.container) {
        return sectionLine(line, keyKind: keyKind, emit: emit)
      }
      if (section == .tolerations || section == .taints || section == .annotations || section == .labels),
        !keyKind.contains(.top)
      {
        return sectionLine(line, keyKind: keyKind, emit: emit)
      }
      return topField(f.key, f.value, line: line, emit: emit)
    }
    if line.indent == 0, section == .top, line.describeKey == .reason || line.describeKey == .message,
      let f = line.field
    {
      return topField(f.key, f.value, line: line, emit: emit)
    }
    return sectionLine(line, keyKind: keyKind, emit: emit)
  }

  /// A capitalised `Key:` at column 0 that podmortem does not read (a Service's `Type:`, a PVC's
  /// `StorageClass:`): recognised and skipped with its indented lines.
  private func isGenericTopKey(_ key: Substring) -> Bool {
    switch section {
    case .annotations, .tolerations, .taints, .labels, .containers, .conditions, .readinessGates, .events, .volumes:
      false
    default: key.first?.isUppercase == true && key != "Reason" && key != "Message"
    }
  }

  // MARK: top-level fields

  private mutating func topField(
    _ key: Substring, _ value: Substring, line: KubectlLine, emit: (consuming Record) -> Void
  ) -> SourceAccount.Verdict {
    endContainer()
    section = .top
    containerField = .none
    let stored: SourceAccount.Verdict
    // The key's case, looked up once per reading (`KubectlLine.describeKey`, the `switch` on
    // `String(key)`'s answer; `key` is the line's field's): switching on the string compared it
    // with each label in turn.
    switch line.describeKey {
    case .name?:
      name = line.valueString
      stored = .parsed
    case .namespace?:
      namespace = line.valueString
      stored = .parsed
    case .node?, .host?:
      // `Host:` is 1.0's name for the pod's node (docs/kubernetes.md §1.7).
      isPod = true
      if value != "<none>" {
        let (node, host) = Self.nodeAndHost(value, isASCII: line.isASCII)
        pod.node = Cells.value(node)
        pod.hostIP = host.flatMap { Cells.value($0) }
      }
      stored = .parsed
    case .startTime?:
      pod.startTime = Timestamps.range(value)
      stored = pod.startTime == nil ? .unrecognised : .parsed
    case .labels?:
      section = .labels
      stored = addLabel(line, ofBody: false) ? .parsed : .ignored
    case .annotations?:
      section = .annotations
      stored = .ignored
    case .status?:
      if Self.hasPrefix(value, "Terminating", isASCII: line.isASCII) {
        isPod = true
        pod.terminating = true
        if let open = value.range(of: "(lasts "), value.hasSuffix(")") {
          lasts = AgeStyle.human.parse(value[open.upperBound..<value.index(before: value.endIndex)])
          if case .future? = lasts { pod.deletionInFuture = true }
        } else if let open = value.range(of: "(expires "), value.hasSuffix(")") {
          // Old kubectl printed the deletion timestamp itself.
          expires = Timestamps.range(value[open.upperBound..<value.index(before: value.endIndex)])
        }
      } else {
        pod.phase = line.valueString
      }
      if pod.terminating { pod.deletionEvidence.append(context.evidence(line.line)) }
      stored = .parsed
    case .terminationGracePeriod?:
      isPod = true
      // int64 in the API, but a grace period past 100 years is no grace period podmortem can reason about.
      pod.deletionGracePeriodSeconds = Int(value.hasSuffix("s") ? value.dropLast() : value).flatMap {
        $0 >= 0 && Double($0) <= Plausible.maxDurationSeconds ? $0 : nil
      }
      stored = pod.deletionGracePeriodSeconds == nil ? .unrecognised : .parsed
      if stored == .parsed { pod.deletionEvidence.append(context.evidence(line.line)) }
    case .reason?:
      pod.reason = line.valueString
      stored = .parsed
    case .message?:
      pod.message = line.valueString
      stored = .parsed
    case .ip?:
      pod.podIP = Cells.value(value)
      stored = .parsed
    case .ips?:
      isPod = true
      section = .ips
      stored = .ignored
    case .controlledBy?:
      pod.controlledBy = line.valueString
      stored = .parsed
    case .initContainers?, .containers?, .ephemeralContainers?:
      if !inPodTemplate { isPod = true }
      section = .containers(key == "Init Containers" ? .initContainer : key == "Containers" ? .container : .ephemeral)
      stored = .ignored
    case .conditions?:
      section = .conditions
      stored = .ignored
    case .readinessGates?:
      section = .readinessGates
      stored = .ignored
    case .volumes?:
      section = .volumes
      stored = .ignored
    case .qosClass?:
      isPod = true
      pod.qosClass = line.valueString
      stored = .parsed
    case .nodeSelectors?:
      section = .nodeSelectors
      stored = .ignored
    case .tolerations?:
      section = .tolerations
      stored = addToleration(value) ? .parsed : .ignored
    case .events?:
      startEvents(emit: emit)
      return .ignored
    case .taints?:
      isNode = true
      section = .taints
      stored = addTaint(value, line: line) ? .parsed : .ignored
    case .holderIdentity? where inLease:
      // The Lease's holder with its indentation lost (see the `.skipped` section's).
      leaseHolder = DescribeReader.isObjectName(value) ? line.valueString : nil
      stored = .parsed
    case .unschedulable?:
      isNode = true
      unschedulable = value == "true"
      stored = .parsed
    case .roles?, .systemInfo?, .capacity?, .allocatable?, .nonTerminatedPods?, .allocatedResources?, .lease?,
      .addresses?, .podCIDR?, .podCIDRs?, .providerID?:
      isNode = true
      section = .skipped
      inLease = key == "Lease"
      stored = .ignored
    case .replicas?:
      replicas = line.valueString
      if value.contains("updated") {
        workloadKind = "Deployment"
      } else if value.contains("current /") {
        workloadKind = workloadKind ?? "ReplicaSet"
      } else if value.contains("total") {
        workloadKind = workloadKind ?? "StatefulSet"
      }
      stored = .parsed
    case .podsStatus?, .podsStatuses?:
      podsStatus = line.valueString
      stored = .parsed
    case .podTemplate?:
      inPodTemplate = true
      section = .skipped
      stored = .ignored
    case .strategyType?, .newReplicaSet?, .oldReplicaSets?, .rollingUpdateStrategy?:
      workloadKind = "Deployment"
      section = .skipped
      stored = .ignored
    case .updateStrategy?, .volumeClaims?, .partition?:
      workloadKind = "StatefulSet"
      section = .skipped
      stored = .ignored
    case .desiredNumberOfNodesScheduled?:
      workloadKind = "DaemonSet"
      stored = .ignored
    case .parallelism?, .completions?, .completionMode?, .backoffLimit?:
      workloadKind = "Job"
      stored = .ignored
    case .schedule?, .concurrencyPolicy?:
      workloadKind = "CronJob"
      section = .skipped
      stored = .ignored
    default:
      section = .skipped
      stored = .ignored
    }
    if stored == .parsed { evidence.append(context.evidence(line.line)) }
    return stored
  }

  // MARK: section lines

  /// `keyKind`: the sets the line's key is in (`DescribeKeys`).
  private mutating func sectionLine(
    _ line: KubectlLine, keyKind: DescribeKeyKind, emit: (consuming Record) -> Void
  ) -> SourceAccount.Verdict? {
    switch section {
    case .top:
      return nil
    case .labels:
      // The space's byte with `memchr` (`utf8.contains` stepped the view byte by byte).
      guard line.isASCII ? !KubectlBytes.contains(line.body.utf8, 0x20) : !line.body.contains(" ") else { return nil }
      return addLabel(line, ofBody: true) ? .parsed : nil
    case .skipped where inLease && line.field?.key == "HolderIdentity":
      // A node's Lease is held by the node itself (docs/kubernetes.md §1.2): its name, when the
      // paste cut the `Name:` off.
      leaseHolder = line.field.map { String($0.value) }.flatMap { DescribeReader.isObjectName($0[...]) ? $0 : nil }
      return .parsed
    case .annotations, .nodeSelectors, .ips, .skipped, .readinessGates, .volumes:
      return .ignored
    case .tolerations:
      return addToleration(line.body) ? .parsed : .ignored
    case .taints:
      return addTaint(line.body, line: line) ? .parsed : .ignored
    case .conditions:
      return conditionLine(line)
    case .containers(let role):
      return containerLine(line, role: role, keyKind: keyKind)
    case .events:
      return nil
    }
  }

  /// Adds the label of `line`'s body (`ofBody`) or field value: `KubectlLine.label(ofBody:)`, read
  /// once per held text (the labels of a deployment's pods repeat from pod to pod, and each split
  /// made two strings afresh: docs/architecture.md "Speed of the describe path").
  private mutating func addLabel(_ line: KubectlLine, ofBody: Bool) -> Bool {
    guard let (key, value) = line.label(ofBody: ofBody) else { return false }
    // Set through the memo (`DescribeTableMemo`), under the text's number and which label of it
    // (the body's or the value's: two readings of one text); a number past doubling is not held.
    let (twice, overflow) = line.textID.multipliedReportingOverflow(by: 2)
    memo.labels.set(
      &pod.labels, state: &labelsTable, textID: overflow ? 0 : twice + (ofBody ? 1 : 0), key: { key },
      value: { value })
    return true
  }

  /// The name and value of a label `text` (`app=web`: split at its first `=`); nil for `<none>` or
  /// a text without `=`.
  static func label(_ text: Substring) -> (key: String, value: String)? {
    guard text != "<none>", let eq = Self.firstEquals(text) else { return nil }
    return (String(text[..<eq]), String(text[Self.afterEquals(text, eq)...]))
  }

  /// `text.firstIndex(of: "=")`: on ASCII the first `=` byte (a `Character` is one byte there,
  /// `KubectlBytes`), where the `Character` walk cost more than the rest of the label.
  static func firstEquals(_ text: Substring) -> Substring.Index? {
    guard KubectlBytes.isASCII(text.utf8) else { return text.firstIndex(of: "=") }
    return KubectlBytes.firstIndex(text.utf8, of: 0x3D)
  }

  /// `text.index(after: eq)` for the `eq` `firstEquals` finds: the `Character` there equals `=`,
  /// and only the one-byte `=` does (a mark after it would make another `Character`), so the next
  /// `Character` starts at the next byte; the grapheme walk of `index(after:)` cost about 420
  /// instructions a label (callgrind).
  static func afterEquals(_ text: Substring, _ eq: Substring.Index) -> Substring.Index {
    text.utf8.index(after: eq)
  }

  /// `text.firstIndex(of: ":")`, from the bytes on ASCII text (as `firstEquals`).
  static func firstColon(_ text: Substring, isASCII: Bool) -> Substring.Index? {
    isASCII ? KubectlBytes.firstIndex(text.utf8, of: 0x3A) : text.firstIndex(of: ":")
  }

  /// `value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)`: the part before
  /// the first `/` and the rest, if there is one. On ASCII text the `/` is its byte: a line holds
  /// no `\n` (the reader splits at it), so there every `Character` is one byte; the split built an
  /// array of `Character` comparisons for every pod's `Node:` line (docs/architecture.md "Speed of
  /// the describe path").
  static func nodeAndHost(_ value: Substring, isASCII: Bool) -> (node: Substring, host: Substring?) {
    if isASCII {
      guard let slash = KubectlBytes.firstIndex(value.utf8, of: 0x2F) else { return (value, nil) }
      return (value[..<slash], value[value.utf8.index(after: slash)...])
    }
    let parts = value.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
    return (parts[0], parts.count > 1 ? parts[1] : nil)
  }

  /// `text.hasPrefix(prefix)`: its bytes on ASCII text, where a `Character` is one byte.
  static func hasPrefix(_ text: Substring, _ prefix: StaticString, isASCII: Bool) -> Bool {
    isASCII ? KubectlBytes.hasPrefix(text.utf8, prefix) : text.hasPrefix(prefix.description)
  }

  /// `["True", "False", "Unknown"].contains(status)` without making the array for every condition
  /// line. The length first: no other text is canonically equivalent to one of the three (none of
  /// their letters is the decomposition of another character, as in `Cells.isEventType`), so an
  /// equal status has its bytes and its length.
  static func isConditionStatus(_ status: Substring) -> Bool {
    switch status.utf8.count {
    case 4: status == "True"
    case 5: status == "False"
    case 7: status == "Unknown"
    default: false
    }
  }

  /// `String(status)` when `isConditionStatus(status)`, else nil: the literal whose bytes the
  /// status has (a status equal to one of the three has its bytes: no other text is canonically
  /// equivalent to them), not a string made from the token. `DescribeBlockBytesTests` holds it to
  /// `isConditionStatus` and `String(status)`.
  static func conditionStatus(_ status: Substring) -> String? {
    switch status.utf8.count {
    case 4: KubectlBytes.equals(status.utf8, "True") ? "True" : nil
    case 5: KubectlBytes.equals(status.utf8, "False") ? "False" : nil
    case 7: KubectlBytes.equals(status.utf8, "Unknown") ? "Unknown" : nil
    default: nil
    }
  }

  private mutating func addToleration(_ text: Substring) -> Bool {
    guard text != "<none>", !text.isEmpty else { return false }
    pod.tolerations.append(String(text))
    return true
  }

  private mutating func addTaint(_ text: Substring, line: KubectlLine) -> Bool {
    guard text != "<none>", !text.isEmpty else { return false }
    taints.append(String(text))
    taintEvidence.append(context.evidence(line.line))
    return true
  }

  /// Pod (`Type Status`), workload (`Type Status Reason`) and node (`Type Status
  /// LastHeartbeatTime LastTransitionTime Reason Message`) condition tables (§1.2, §1.6).
  private mutating func conditionLine(_ line: KubectlLine) -> SourceAccount.Verdict? {
    // A held row of two words, the second a status (`Ready  True`): the condition the two-column
    // table below makes of it, made once per text (`KubectlLine.heldCondition`). Such a row is not
    // the header (its second word is no `Status`) nor an underline, and in a table of three or of
    // six and more columns it is too short.
    if let held = line.heldCondition {
      guard conditionColumns != 3, conditionColumns < 6 else { return nil }
      conditions.append(held)
      let cited = context.evidence(line.line)
      evidence.append(cited)
      conditionLines.append(cited)
      return .parsed
    }
    let t = line.tokens
    // `Type` and `Status` compared by their bytes: no other text is canonically equivalent to
    // either (as `isConditionStatus`), and `==` of a long first word compared it out of line.
    if t.count >= 2, KubectlBytes.equals(t[0].utf8, "Type"), KubectlBytes.equals(t[1].utf8, "Status") {
      conditionColumns = t.count
      return .ignored
    }
    if line.isUnderline { return .ignored }
    guard t.count >= 2, let status = Self.conditionStatus(t[1]) else { return nil }
    var reason: String?
    var message: String?
    if conditionColumns >= 6 {
      // Two RFC1123Z times of six words each, then the reason and the message.
      guard t.count >= 15,
        Timestamps.range(t[2...7].joined(separator: " ")) != nil || Timestamps.isZero(t[2...7].joined(separator: " "))
      else { return nil }
      reason = String(t[14])
      message = t.count > 15 ? String(line.rest(from: t[15])) : nil
    } else if conditionColumns == 3 {
      guard t.count == 3 else { return nil }
      reason = String(t[2])
    } else {
      guard t.count == 2 else { return nil }
    }
    // Made in the append: appending a variable copied the condition (a retain per string) and
    // released it (callgrind).
    conditions.append(
      PodCondition(type: line.firstWordString, status: status, reason: reason, message: message))
    let cited = context.evidence(line.line)
    evidence.append(cited)
    conditionLines.append(cited)
    return .parsed
  }

  // MARK: containers

  private mutating func containerLine(
    _ line: KubectlLine, role: ContainerSnapshot.Role, keyKind: DescribeKeyKind
  ) -> SourceAccount.Verdict? {
    // kubectl indents by two (§1.1): a line at 0 or 1 is a paste whose indentation was stripped or
    // flattened to one space, so its depth says nothing.
    let flat = line.indent <= 1
    // The field is taken out of the line once (each `if let` of it copied its two substrings).
    if let f = line.field {
      // A container's name is a DNS label (lower case, digits, `-`), so `Limits:` or `Command:`
      // with its value on the lines below is a field, wherever it is indented.
      if (1...3).contains(line.indent), f.value.isEmpty, Self.isContainerName(f.key) {
        return startContainer(line.keyString, role: role, line: line)
      }
      // State sub-lines sit at 6 in kubectl's layout; in a paste whose indentation shifted, deeper
      // than their `State:` line is enough.
      if hasState, containerField == .state || containerField == .stateMessage,
        keyKind.contains(.state), flat || line.indent >= 6 || line.indent > stateIndent
      {
        return stateField(f.key, f.value, line: line)
      }
      if keyKind.contains(.container), line.indent == 0 || line.indent <= 5 {
        return containerFieldLine(f.key, f.value, isStateLabel: keyKind.contains(.stateLabel), line: line)
      }
      // With the indentation gone, the next container's `name:` follows its predecessor's last list
      // (`Mounts:`) directly; a list item is a path or an argument, never a bare label and colon.
      if flat, f.value.isEmpty, Self.isContainerName(f.key) {
        return startContainer(line.keyString, role: role, line: line)
      }
    }
    if flat || line.indent >= 6 {
      switch containerField {
      case .limits, .requests:
        guard let f = line.field, !f.value.isEmpty else { return nil }
        // Set through the memo (`DescribeTableMemo`): a run of describes gives its containers the
        // same limits and requests, line for line.
        if containerField == .limits {
          container?.setResource(limit: true, line, memo: &memo.resources, state: &limitsTable)
        } else {
          container?.setResource(limit: false, line, memo: &memo.resources, state: &requestsTable)
        }
        // A finding that quotes a limit (an OOM kill at 256Mi) cites the line it came from.
        container?.evidence.append(context.evidence(line.line))
        return .parsed
      case .environment:
        // On ASCII a space is the byte 0x20 (`KubectlBytes`): `contains(" ")` searched with Foundation.
        // The colon's byte on ASCII (`firstColon`): the `Character` walk cost more than the rest.
        guard let colon = Self.firstColon(line.body, isASCII: line.isASCII), colon > line.body.startIndex,
          line.isASCII ? !KubectlBytes.contains(line.body[..<colon].utf8, 0x20) : !line.body[..<colon].contains(" ")
        else { return nil }
        container?.environmentNames.append(String(line.body[..<colon]))
        let after = line.isASCII ? line.body.utf8.index(after: colon) : line.body.index(after: colon)
        downwardName(line.body[after...], line: line)
        return .parsed
      case .skippedList:
        return .ignored
      default: break
      }
    }
    return nil
  }

  /// A DNS-1123 label: what a container may be called.
  static func isContainerName(_ key: Substring) -> Bool {
    // Bytes first: on ASCII a lower-case letter is `a-z` and a number `0-9` (`KubectlBytes`).
    if KubectlBytes.isASCII(key.utf8) {
      return !key.isEmpty && key.utf8.count <= 63 && key.utf8.first != 0x2D && key.utf8.last != 0x2D
        && key.utf8.allSatisfy { KubectlBytes.isLower($0) || KubectlBytes.isDigit($0) || $0 == 0x2D }
    }
    return !key.isEmpty && key.count <= 63 && key.first != "-" && key.last != "-"
      && key.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
  }

  /// What `downwardName` looks for, made once.
  private static let downwardSuffixes = [(" (v1:metadata.name)", true), (" (v1:metadata.namespace)", false)]

  /// A variable from the downward API shows the pod's own name and namespace as kubectl resolved
  /// them (`POD_NAME:  web-0 (v1:metadata.name)`, [kubectl] `pkg/describe/describe.go`
  /// `describeContainerEnvVars`): a fragment without its `Name:` is about that pod.
  private mutating func downwardName(_ value: Substring, line: KubectlLine) {
    let value = value.drop { $0 == " " || $0 == "\t" }
    // Both suffixes end in `)`, which no other spelling of a last character ends in: a value whose
    // last byte is not one has neither.
    guard value.utf8.last == 0x29 else { return }
    for (suffix, isName) in Self.downwardSuffixes {
      guard value.hasSuffix(suffix) else { continue }
      let resolved = value.dropLast(suffix.count)
      guard DescribeReader.isObjectName(resolved) else { return }
      if isName, name == nil {
        name = String(resolved)
        evidence.append(context.evidence(line.line))
      } else if !isName, namespace == nil {
        namespace = String(resolved)
      }
    }
  }

  /// `c` (its limits and requests empty) as the container read now.
  private mutating func newContainer(_ c: ContainerSnapshot) {
    container = c
    limitsTable = 0
    requestsTable = 0
  }

  private mutating func startContainer(
    _ name: String, role: ContainerSnapshot.Role, line: KubectlLine
  ) -> SourceAccount.Verdict {
    endContainer()
    var c = ContainerSnapshot(name: name, role: role)
    c.evidence = DescribeScratch.take(&memo.scratch.container)
    c.evidence.append(context.evidence(line.line))
    newContainer(c)
    return .parsed
  }

  private mutating func containerFieldLine(
    _ key: Substring, _ value: Substring, isStateLabel: Bool, line: KubectlLine
  ) -> SourceAccount.Verdict? {
    if !hasContainer, isStateLabel || key == "Restart Count", case .containers(let role) = section {
      // A section whose container name line was cut from the paste (`Containers:` then `State:`).
      newContainer(ContainerSnapshot(name: ContainerSnapshot.unknownName, role: role))
    }
    guard hasContainer else { return nil }
    endState()
    containerField = .none
    // The key's case, looked up once per reading (`KubectlLine.describeKey`, the `switch` on
    // `String(key)`'s answer; `key` is the line's field's): switching on the string compared it
    // with each label in turn.
    switch line.describeKey {
    case .image?:
      container?.image = line.valueString
    case .state?, .lastState?, .lastTerminationState?:
      guard let kind = StateBuilder.Kind(rawValue: line.valueString) else { return nil }
      // The case tells `State` (the key as a `String` is `State` exactly when it is `.state`).
      state = StateBuilder(kind: kind, isLast: line.describeKey != .state)
      state?.evidence = DescribeScratch.take(&memo.scratch.state)
      state?.evidence.append(context.evidence(line.line))
      stateIndent = line.indent
      containerField = .state
    case .ready?:
      // By the bytes: no other text is canonically equivalent to `True` or `False`.
      let isTrue = KubectlBytes.equals(value.utf8, "True")
      guard isTrue || KubectlBytes.equals(value.utf8, "False") else { return nil }
      container?.ready = isTrue
    case .restartCount?:
      guard let n = Self.int32(value), n >= 0 else {
        guard value.allSatisfy({ $0.isNumber || $0 == "-" }), !value.isEmpty else { return nil }
        outOfRange(line, "Restart Count '\(value.prefix(40))' is not a 32-bit count; the count is dropped")
        return .ignored
      }
      container?.restartCount = n
    case .limits?:
      containerField = .limits
      return .ignored
    case .requests?:
      containerField = .requests
      return .ignored
    case .liveness?, .readiness?, .startup?:
      // A tab is padding a terminal copy kept: kubectl pads with spaces (`grpc <pod>:9090  delay=…`
      // when the service is empty, §1.4).
      // The tab's byte found with `memchr` (`utf8.contains` walked the view byte by byte).
      let value = KubectlBytes.contains(value.utf8, 0x09) ? Substring(value.replacing("\t", with: "  ")) : value
      guard var probe = memo.probes.parse(value, isASCII: line.isASCII) else {
        if let bad = ProbeLine.badAttribute(value) {
          outOfRange(line, "\(key) probe attribute '\(bad.prefix(40))' is out of range; the probe is dropped")
          return .ignored
        }
        return nil
      }
      probe.evidence = context.evidence(line.line)
      let kind: ProbeSpec.Kind =
        line.describeKey == .liveness ? .liveness : line.describeKey == .readiness ? .readiness : .startup
      container?.probes[kind] = probe
      return .parsed
    case .environment?, .environmentVariables?:
      // `Environment Variables:` is the label of kubectl before 1.6.
      containerField = value == "<none>" ? .none : .environment
      return .ignored
    case .restartPolicy?:
      // A restartable init container: a sidecar (§3.4).
      container?.restartPolicyAlways = value == "Always"
    default:
      // Container ID, Image ID, ports, Command/Args, Mounts, Devices: recognised, not kept.
      containerField = value.isEmpty ? .skippedList : .none
      return .ignored
    }
    container?.evidence.append(context.evidence(line.line))
    return .parsed
  }

  private mutating func stateField(_ key: Substring, _ value: Substring, line: KubectlLine) -> SourceAccount.Verdict? {
    containerField = .state
    // The key's case, looked up once per reading (`KubectlLine.describeKey`, the `switch` on
    // `String(key)`'s answer; `key` is the line's field's): switching on the string compared it
    // with each label in turn.
    switch line.describeKey {
    case .reason?: state?.reason = line.valueString
    case .message?:
      state?.message = line.valueString
      containerField = .stateMessage
      messageLines = 0
    case .exitCode?, .signal?:
      guard let n = Self.int32(value) else {
        guard value.allSatisfy({ $0.isNumber || $0 == "-" }), !value.isEmpty else { return nil }
        outOfRange(line, "\(key) '\(value.prefix(40))' is not a 32-bit integer; dropped")
        return .ignored
      }
      if key == "Signal" { state?.signal = n } else { state?.exitCode = n }
    case .started?, .finished?:
      let range = Timestamps.range(value)
      guard range != nil || Timestamps.isZero(value) else { return nil }
      if key == "Started" { state?.started = range } else { state?.finished = range }
    default: return nil
    }
    container?.evidence.append(context.evidence(line.line))
    state?.evidence.append(context.evidence(line.line))
    return .parsed
  }

  /// `Plausible.int32(value)`: the same `Int32` parse, specialised for a `Substring` here. The
  /// generic call across modules cost about 1,300 instructions a restart count or exit code
  /// (docs/architecture.md "Speed of the describe path").
  static func int32(_ value: Substring) -> Int? {
    guard let n = Int32(value) else { return nil }
    return Int(n)
  }

  /// A number out of its API range: a diagnostic naming the line; the caller drops the fact.
  private func outOfRange(_ line: KubectlLine, _ message: String) {
    context.diagnostics(Diagnostic(.warning, context.ref(line.line.number), message))
  }

  private mutating func endState() {
    // Asked first (`hasState`): `take()` moved the whole optional state out and wrote a nil back on
    // every field line, where there was none to take nearly always (callgrind).
    guard hasState, var s = state.take() else { return }
    // Kept at its size; the room goes back to the scratch (`DescribeScratch`).
    let cited = DescribeScratch.settled(s.evidence)
    DescribeScratch.recycle(keeps: memo.scratch.keeps, &s.evidence, into: &memo.scratch.state)
    if s.isLast {
      container?.lastState = s.build()
      container?.lastStateEvidence = cited
    } else {
      container?.state = s.build()
      container?.stateEvidence = cited
    }
    if s.kind == .terminated, s.exitCode == nil, let reason = s.reason, !reason.isEmpty {
      container?.terminatedReasonOnly = reason
    }
  }

  private mutating func endContainer() {
    endState()
    containerField = .none
    guard hasContainer, let c = container.take() else { return }
    // Appended as it was taken and finished in place: finished in a variable first, it was copied
    // into the array (a retain of each of its strings and tables) and the variable destroyed
    // (docs/architecture.md "Speed of the describe path").
    pod.containers.append(c)
    let last = pod.containers.count - 1
    // Kept at its size; the room goes back to the scratch (`DescribeScratch`).
    let cited = DescribeScratch.settled(pod.containers[last].evidence)
    DescribeScratch.recycle(keeps: memo.scratch.keeps, &pod.containers[last].evidence, into: &memo.scratch.container)
    pod.containers[last].evidence = cited
  }

  // MARK: events and emission

  mutating func startEvents(emit: (consuming Record) -> Void) {
    endContainer()
    let owner = emitObject(emit: emit)
    section = .events
    events = DescribeEventsTable(owner: owner)
  }

  mutating func finish(emit: (consuming Record) -> Void) {
    events?.flush(emit: emit)
    events = nil
    endContainer()
    _ = emitObject(emit: emit)
    // Nothing reads them once the block is finished: their room goes to the next block.
    DescribeScratch.recycle(keeps: memo.scratch.keeps, &evidence, into: &memo.scratch.evidence)
    DescribeScratch.recycle(keeps: memo.scratch.keeps, &conditions, into: &memo.scratch.conditions)
    DescribeScratch.recycle(keeps: memo.scratch.keeps, &conditionLines, into: &memo.scratch.conditionLines)
  }

  private var kind: String? {
    if let workloadKind { return workloadKind }
    if isNode { return "Node" }
    if isPod { return "Pod" }
    return nil
  }

  /// Emits the pod, node or workload (once) and returns the reference its events are about.
  private mutating func emitObject(emit: (consuming Record) -> Void) -> ObjectRef {
    let kind = self.kind
    if name == nil, kind == "Node", let leaseHolder { name = leaseHolder }
    let ref = ObjectRef(
      kind: kind, namespace: kind == "Node" ? nil : namespace, name: name ?? "",
      pastedAt: name == nil ? startedAt : nil)
    // A pod fragment without its `Name:` is the unnamed pod of its pasted block.
    let unnamedPod = name == nil && kind == "Pod" && startedAt != nil
    guard !emitted, let name = name ?? (unnamedPod ? "" : nil) else { return ref }
    emitted = true
    switch kind {
    case "Pod":
      // Handed over, not copied (`emit` takes the record): a copy left here shared every array of
      // the pod, and `KubectlStrings.share` copied each one it wrote to (callgrind).
      let p = takePod(name: name, unnamed: unnamedPod)
      emit(.pod(consume p))
    case "Node":
      var n = NodeSnapshot(name: name)
      // At their size (`DescribeScratch`): the block's arrays are grown in the scratch's room.
      n.conditions = DescribeScratch.settled(conditions)
      n.taints = taints
      // The table `conditionEvidence[type] = line` made line by line: the same keys, values and
      // order of insertion (a later row of a type replaces the earlier).
      var conditionEvidence: [String: Evidence] = [:]
      for (condition, line) in zip(conditions, conditionLines) { conditionEvidence[condition.type] = line }
      n.conditionEvidence = conditionEvidence
      n.taintEvidence = taintEvidence
      n.unschedulable = unschedulable
      n.evidence = DescribeScratch.settled(evidence)
      emit(.node(n))
    case let workload?:
      var w = WorkloadSnapshot(kind: workload, name: name, namespace: namespace)
      w.replicas = replicas
      w.podsStatus = podsStatus
      w.conditions = DescribeScratch.settled(conditions)
      w.evidence = DescribeScratch.settled(evidence)
      emit(.workload(w))
    case nil:
      break
    }
    return ref
  }

  /// The pod the block read, moved out of it (the block emits its pod once, and nothing reads it
  /// afterwards).
  private mutating func takePod(name: String, unnamed: Bool) -> PodSnapshot {
    let deletion = deletionTimestamp()
    var p = PodSnapshot(name: "")
    swap(&p, &pod)
    labelsTable = 0
    p.name = name
    p.namespace = namespace
    // Copied at their size (`DescribeScratch`): the block's arrays are grown in the scratch's room,
    // which goes to the next block. A copy of its own, not shared with the block: sharing made
    // `KubectlStrings.share`, which writes every condition's strings, copy the array.
    p.conditions = DescribeScratch.settled(conditions)
    p.capturedAt = context.captureTime
    p.evidence = DescribeScratch.settled(evidence)
    if unnamed { p.pastedAt = startedAt }
    p.deletionTimestamp = deletion
    return p
  }

  /// `Terminating (lasts X)`: X is the time since deletionTimestamp, which is request time +
  /// grace, so `<invalid>` means it lies 2 s … grace s ahead (§1.2).
  private func deletionTimestamp() -> TimeRange? {
    if let expires { return expires }
    switch lasts {
    case .known(let range)?:
      return range.timeRange(before: context.captureTime)
    case .future?:
      guard let grace = pod.deletionGracePeriodSeconds, grace >= 2 else { return nil }
      let now = context.captureTime.date
      return TimeRange(earliest: now.addingTimeInterval(2), latest: now.addingTimeInterval(Double(grace)))
    default:
      return nil
    }
  }
}

/// A container state while its sub-lines are read (§1.3).
struct StateBuilder {
  enum Kind: String {
    case running = "Running"
    case waiting = "Waiting"
    case terminated = "Terminated"
  }

  var kind: Kind
  var isLast: Bool
  var reason: String?
  var message: String?
  var exitCode: Int?
  var signal: Int?
  var started: TimeRange?
  var finished: TimeRange?
  /// The block's lines: its label line and the fields under it.
  var evidence: [Evidence] = []

  init(kind: Kind, isLast: Bool) {
    self.kind = kind
    self.isLast = isLast
  }

  /// The state; a Terminated state whose Exit Code line is missing (a cut paste) is not invented.
  func build() -> ContainerState? {
    switch kind {
    case .running: return .running(startedAt: started)
    case .waiting: return .waiting(reason: reason, message: message)
    case .terminated:
      guard let exitCode else { return nil }
      return .terminated(
        Termination(
          reason: reason, message: message, exitCode: exitCode, signal: signal, startedAt: started,
          finishedAt: finished))
    }
  }
}

extension ContainerSnapshot {
  /// `limits[line.keyString] = line.valueString` (`limit`) or the same of `requests`, set through
  /// `memo` (`DescribeTableMemo`), `state` the table's number there.
  fileprivate mutating func setResource(
    limit: Bool, _ line: KubectlLine, memo: inout DescribeTableMemo, state: inout Int
  ) {
    if limit {
      memo.set(&limits, state: &state, textID: line.textID, key: { line.keyString }, value: { line.valueString })
    } else {
      memo.set(&requests, state: &state, textID: line.textID, key: { line.keyString }, value: { line.valueString })
    }
  }
}
