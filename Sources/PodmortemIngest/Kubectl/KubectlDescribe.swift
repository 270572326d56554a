import Foundation
import PodmortemModel
import PodmortemText

/// Reads `kubectl describe` output: pods, nodes, deployments, replicasets, statefulsets,
/// daemonsets, jobs, and the Events table of anything (docs/kubernetes.md §1).
///
/// Fields are recognised by their keys, not by fixed offsets (§1.1), and indentation is only a
/// hint, so a paste whose indentation was stripped still reads. One object is held at a time: it
/// is emitted when its Events table starts or its block ends, so `kubectl describe pods` of
/// 10,000 pods stays in bounded memory.
struct DescribeReader {
  private let context: ParseContext
  private var block: DescribeBlock?
  /// `block != nil`, kept beside it: asking the optional of a block for its case called an outlined
  /// function, about 14 instructions, two or three times a line (docs/architecture.md "Speed of the
  /// describe path").
  private var hasBlock = false
  private var previousBlank = false
  /// What earlier blocks read (`DescribeMemo`), lent to the block being read.
  private var memo = DescribeMemo()
  /// The pod a `kubectl describe pod NAME` line above names, for the next block without `Name:`.
  var describedPod: (kind: String, namespace: String?, name: String, evidence: Evidence)?

  /// `scratch: false` grows every block's arrays afresh (`DescribeScratch`): the reference the
  /// tests compare with.
  init(context: ParseContext, scratch: Bool = true) {
    self.context = context
    self.memo.scratch = DescribeScratch(keeps: scratch)
  }

  var isActive: Bool { hasBlock }

  /// True when `line` would start a describe output (a `Name:` field, an `Events:` table or a
  /// bare event row).
  func canStart(_ line: KubectlLine) -> Bool {
    startsWithoutRow(line) || DescribeEventsTable(owner: ObjectRef(name: "")).row(line, context: context) != nil
  }

  /// `canStart` without its last question, whether the line is an Events table's row: a row has
  /// a `Normal` or `Warning` cell, so the sniffer asks only this of a line whose bytes hold
  /// neither (`KubectlBytes.mayHoldRow`).
  func startsWithoutRow(_ line: KubectlLine) -> Bool {
    if line.indent == 0, line.describeKey == .name || line.describeKey == .events { return true }
    if line.indent == 0, Self.cutName(line) != nil { return true }
    if line.indent == 0, let f = line.field, Self.startsPodTop(f.key, f.value) { return true }
    if Self.startsContainerFragment(line) != nil { return true }
    return DescribeEventsTable.header(line) != nil
  }

  /// `ame:  web-0`: the first line of a paste whose copy lost the start of `Name:`, read
  /// only where no object is being read and only with a value a name can be (one word of lower
  /// case letters, digits, `-`, `.`).
  static func cutName(_ line: KubectlLine) -> Substring? {
    let body = line.body
    // The bytes first: the text before the colon is `ame`, `me`, `e` or nothing, which only those
    // bytes are (no other characters are canonically equivalent to these letters), so a body not
    // starting with one of them and a colon is answered before its characters are walked.
    guard Self.mayStartCutName(body.utf8) else { return nil }
    // A colon past the fourth character follows no cut name: looked for no further (not along the
    // whole line, which a sniffer asks of every line of a head).
    guard let colon = body.prefix(4).firstIndex(of: ":"), ["ame", "me", "e", ""].contains(body[..<colon]) else {
      return nil
    }
    let after = body[body.index(after: colon)...]
    guard after.first == " " || after.first == "\t" else { return nil }
    let value = after.drop { $0 == " " || $0 == "\t" }
    return isObjectName(value) ? value : nil
  }

  /// True when `bytes` start with `ame:`, `me:`, `e:` or `:`.
  ///
  /// Read from the contiguous bytes where there are some: four steps of `UTF8View`'s iterator cost
  /// about 450 instructions, and every line of a container log's head is asked this
  /// (docs/architecture.md, "Sniffing a head of long lines"; `CutNameBytesTests` keeps the
  /// iterator as the reference).
  static func mayStartCutName(_ bytes: Substring.UTF8View) -> Bool {
    if let found = bytes.withContiguousStorageIfAvailable({ b -> Bool in
      let n = b.count
      return startsCutName(
        n > 0 ? b[0] : nil, n > 1 ? b[1] : nil, n > 2 ? b[2] : nil, n > 3 ? b[3] : nil)
    }) {
      return found
    }
    var next = bytes.makeIterator()
    return startsCutName(next.next(), next.next(), next.next(), next.next())
  }

  /// `mayStartCutName` on a body's first four bytes (nil past its end).
  private static func startsCutName(_ b0: UInt8?, _ b1: UInt8?, _ b2: UInt8?, _ b3: UInt8?) -> Bool {
    switch b0 {
    case 0x3A: return true
    case 0x65: return b1 == 0x3A
    case 0x6D: return b1 == 0x65 && b2 == 0x3A
    case 0x61: return b1 == 0x6D && b2 == 0x65 && b3 == 0x3A
    default: return false
    }
  }

  /// A DNS-1123 subdomain, as pod, node and namespace names are: one word of lower case letters,
  /// digits, `-` and `.`.
  static func isObjectName(_ value: Substring) -> Bool {
    !value.isEmpty && value.count <= 253
      && value.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" || $0 == "." }
  }

  /// A pod's top field that a paste cut above (`Status:  Terminating (lasts 90d)`, `Namespace:
  /// shop`): only with the value its kind has, so prose with a `Status:` line does not start one.
  static func startsPodTop(_ key: Substring, _ value: Substring) -> Bool {
    switch key {
    case "Status":
      let phase = value.prefix { $0 != " " }
      return ["Pending", "Running", "Succeeded", "Failed", "Unknown", "Terminating"].contains(phase)
    case "Termination Grace Period": return value.hasSuffix("s") && value.dropLast().allSatisfy(\.isNumber)
    case "Controlled By": return value.contains("/") && !value.contains(" ")
    case "Start Time": return value.hasSuffix("+0000") || value.contains(" 20")
    default: return startsNodeTop(key, value)
    }
  }

  /// A node's top field that a paste cut above (`Taints:  node.kubernetes.io/disk-pressure:NoSchedule`,
  /// `Unschedulable:  false`), with the value only that field has.
  static func startsNodeTop(_ key: Substring, _ value: Substring) -> Bool {
    switch key {
    case "Taints":
      return value == "<none>"
        || ["NoSchedule", "PreferNoSchedule", "NoExecute"].contains { value.hasSuffix(":" + $0) }
    case "Unschedulable": return value == "true" || value == "false"
    default: return false
    }
  }

  /// What a describe fragment without its `Name:` starts with: a `Containers:` or `Init
  /// Containers:` section (`.section`), or one container's `State:`/`Last State:` line or another
  /// field only a container has (`.state`, read as a container whose name is not shown).
  enum FragmentStart { case section, state }

  static func startsContainerFragment(_ line: KubectlLine) -> FragmentStart? {
    guard let f = line.field else { return nil }
    if line.indent == 0, f.key == "Containers" || f.key == "Init Containers", f.value.isEmpty { return .section }
    if line.indent <= 5, DescribeKeys.kind(f.key).contains(.stateLabel),
      StateBuilder.Kind(rawValue: String(f.value)) != nil
    {
      return .state
    }
    // A container block cut above its State (`    Ready:  False` then `    Restart Count:  1069`):
    // a field only a container has, indented as one, with the value only that field has.
    if line.indent <= 8, isContainerField(f.key, f.value) { return .state }
    return nil
  }

  /// `Ready: True|False`, `Restart Count: N`, `Container ID: <runtime>://…`, a probe line
  /// (`Liveness:  http-get …`): a container's fields, with the values kubectl prints for them.
  static func isContainerField(_ key: Substring, _ value: Substring) -> Bool {
    switch key {
    case "Ready": return value == "True" || value == "False"
    case "Restart Count": return !value.isEmpty && value.count <= 9 && value.allSatisfy(\.isNumber)
    case "Container ID": return value.contains("://")
    case "Liveness", "Readiness", "Startup":
      return ["http-get ", "tcp-socket ", "exec ", "grpc "].contains { value.hasPrefix($0) }
    default: return false
    }
  }

  /// A blank line: it ends a block whose Events table was being read (describe separates objects
  /// with blank lines).
  mutating func blank(emit: (consuming Record) -> Void) {
    if case .events = block?.section { end(emit: emit) }
    previousBlank = true
  }

  /// Consumes a line; nil when it is neither part of the current block nor the start of one.
  mutating func feed(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    defer { previousBlank = false }
    if line.indent == 0,
      let name = (line.describeKey == .name ? line.field?.value : nil)
        ?? (!hasBlock ? Self.cutName(line) : nil), startsNewBlock()
    {
      end(emit: emit)
      describedPod = nil
      startBlock()
      block?.name = String(name)
      block?.evidence.append(context.evidence(line.line))
      return .parsed
    }
    if !hasBlock {
      guard canStart(line) else { return nil }
      startBlock()
      // No `Name:` above: what this block shows is about an object the paste does not name, or
      // about the pod the command line above it describes.
      block?.startedAt = context.ref(line.line.number)
      if let pod = describedPod {
        block?.name(fromCommand: pod.kind, pod.namespace, pod.name, evidence: pod.evidence)
        describedPod = nil
      }
      switch Self.startsContainerFragment(line) {
      case .section?: break
      case .state?: block?.startContainerFragment()
      case nil:
        let startsTop = line.indent == 0 && line.field.map { Self.startsPodTop($0.key, $0.value) } == true
        if line.describeKey != .events, !startsTop { block?.startEvents(emit: emit) }
      }
    }
    return block?.feed(line, emit: emit)
  }

  /// The `Name:` line of a block that holds nothing else yet: a web console's page whose
  /// indentation was lost starts with one (`Name: web-0` then `Status<TAB>Running`).
  var loneName: Evidence? {
    guard let block, block.name != nil, block.evidence.count == 1 else { return nil }
    return block.evidence.first
  }

  /// Forgets the current block without emitting it (its lines go to another reader).
  mutating func discard() {
    block?.exchangeMemo(&memo)
    block = nil
    hasBlock = false
  }

  /// Ends the current block, emitting what it holds.
  mutating func end(emit: (consuming Record) -> Void) {
    block?.finish(emit: emit)
    block?.exchangeMemo(&memo)
    block = nil
    hasBlock = false
  }

  /// Starts a block to read an object into, holding what earlier blocks read (moved, not copied).
  /// Made where it is kept: made in a function and returned, the block was copied into `block` (a
  /// retain of each of its members) and the one made destroyed, once per object (callgrind).
  private mutating func startBlock() {
    // What is left in the memo's place keeps its choice (`DescribeScratch.keeps`).
    var lent = DescribeMemo()
    lent.scratch = DescribeScratch(keeps: memo.scratch.keeps)
    swap(&lent, &memo)
    block = DescribeBlock(context: context)
    hasBlock = true
    block?.exchangeMemo(&lent)
    block?.takeScratch()
  }

  /// `Name:` at column 0 starts a new object unless it sits inside a section that can hold a
  /// `Name:` of its own (a ConfigMap volume, an annotation value, a termination message).
  /// A second part of the source starts at such a `Name:` (`KubectlTextParser.isBetweenParts`).
  func startsNewBlock() -> Bool {
    guard let block, block.name != nil else { return true }
    if previousBlank { return true }
    switch block.section {
    case .volumes, .annotations: return false
    case .containers: return block.containerField != .stateMessage
    default: return true
    }
  }
}

/// What a container line belongs to.
enum ContainerField: Equatable {
  case none, state, stateMessage, limits, requests, environment, skippedList
}

/// The describe section a line is in.
enum DescribeSection: Equatable {
  case top, labels, annotations, tolerations, taints, nodeSelectors, ips, conditions, readinessGates, events, volumes
  case skipped
  case containers(ContainerSnapshot.Role)
}
