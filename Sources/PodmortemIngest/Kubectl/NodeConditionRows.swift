import PodmortemInput
import PodmortemModel
import PodmortemText

/// Rows of a node's Conditions table pasted without the describe around them (docs/kubernetes.md
/// §1.2): `MemoryPressure  True  <heartbeat>  <transition>  KubeletHasInsufficientMemory  kubelet has
/// insufficient memory available`. Only a node's table has the two RFC 1123 times, so a row with
/// them is a node's even without its header; the rows of one pasted block are one node, unnamed
/// unless a `kubectl describe node NAME` line above names it.
///
/// A chat window or terminal may wrap a row: the rest of a cut reason (`KubeletHasInsufficientM` /
/// `emory<TAB>kubelet has …`) or the message alone continues on the next line.
struct NodeConditionRows {
  private let context: ParseContext
  private var node: NodeSnapshot?
  /// True after a node table's header (`Type  Status  LastHeartbeatTime …`), before its rows.
  private var sawHeader = false

  init(context: ParseContext) {
    self.context = context
  }

  var isActive: Bool { node != nil || sawHeader }

  /// The header of a node's Conditions table (`Type Status LastHeartbeatTime LastTransitionTime
  /// Reason Message`), or the `Conditions:` label above it.
  static func header(_ line: KubectlLine) -> Bool {
    let t = line.tokens
    if t.count == 1, t[0] == "Conditions:" { return true }
    return t.count >= 4 && t[0] == "Type" && t[1] == "Status" && t.contains("LastHeartbeatTime")
  }

  /// The condition `line` shows, when it is a whole node condition row (the message may be cut).
  static func row(_ line: KubectlLine) -> PodCondition? {
    let t = line.tokens
    guard t.count >= 15, t[0].first?.isUppercase == true, t[0].allSatisfy(\.isLetter),
      ["True", "False", "Unknown"].contains(t[1])
    else { return nil }
    for times in [t[2...7], t[8...13]] {
      let text = times.joined(separator: " ")
      guard Timestamps.range(text) != nil || Timestamps.isZero(text) else { return nil }
    }
    guard t[14].first?.isLetter == true else { return nil }
    var condition = PodCondition(type: String(t[0]), status: String(t[1]), reason: String(t[14]))
    if t.count > 15 { condition.message = String(line.rest(from: t[15])) }
    return condition
  }

  /// Consumes a row, or the wrapped rest of the previous one; nil for anything else.
  mutating func feed(_ line: KubectlLine, emit: (consuming Record) -> Void) -> SourceAccount.Verdict? {
    if Self.header(line) {
      if line.tokens.count > 1 { sawHeader = true }
      return .ignored
    }
    if sawHeader, node == nil, line.isUnderline { return .ignored }
    if let condition = Self.row(line) {
      var n = node ?? NodeSnapshot(name: "")
      n.conditions.append(condition)
      n.evidence.append(context.evidence(line.line))
      n.conditionEvidence[condition.type] = context.evidence(line.line)
      node = n
      return .parsed
    }
    guard var n = node, var last = n.conditions.last, last.message == nil else { return nil }
    let body = line.body
    // `emory<TAB>kubelet has …`: a word, a column gap, then the message.
    let gap = body.firstIndex(where: { $0 == "\t" }) ?? body.range(of: "  ")?.lowerBound
    var word = gap.map { body[..<$0] } ?? ""
    while word.last == " " { word = word.dropLast() }
    if let gap, !word.isEmpty, word.allSatisfy(\.isLetter) {
      last.reason = (last.reason ?? "") + word
      let message = body[gap...].drop { $0 == " " || $0 == "\t" }
      last.message = message.isEmpty ? nil : String(message)
    } else {
      last.message = String(body)
    }
    n.conditions[n.conditions.count - 1] = last
    n.evidence.append(context.evidence(line.line))
    node = n
    return .parsed
  }

  /// Names the block's node after the `kubectl describe node NAME` line above it.
  mutating func name(_ name: String, evidence: Evidence) {
    var n = node ?? NodeSnapshot(name: "")
    n.name = name
    n.evidence.append(evidence)
    node = n
  }

  /// Emits the block's node.
  mutating func end(emit: (consuming Record) -> Void) {
    if let node { emit(.node(node)) }
    node = nil
    sawHeader = false
  }
}
