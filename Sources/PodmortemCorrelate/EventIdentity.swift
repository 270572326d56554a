import Foundation
import PodmortemModel

/// The identity of an event: the fields of the legacy recorder's dedup key (docs/kubernetes.md §5.1
/// `getEventKey`), normalised so that every source spells them the same way.
///
/// A field a source does not show is nil, and nil is a wildcard, not a value: describe's
/// `From: kubelet` has no host, describe has no uid or kind, `get events` has no field path.
/// Two identities are compatible when every field both know is equal.
package struct EventIdentity: Hashable, Comparable, Sendable {
  /// The prefix the aggregator puts on the event that replaces ten similar ones (§5.1 step 1).
  package static let combinedPrefix = "(combined from similar events): "

  package var namespace: String?
  /// Lower-cased: `get events` prints `pod/web-0`, `kubectl events` and JSON `Pod/web-0` (§3.1, §3.3).
  package var kind: String?
  package var name: String
  package var uid: String?
  package var fieldPath: String?
  package var type: String
  package var reason: String
  package var component: String?
  package var host: String?
  /// The message without a field-path prefix; for a combined event only the prefix, because its
  /// message tracks the latest similar event while the object stays the same (§5.1 step 1).
  package var message: String
  /// The pasted block an unnamed object's events came from (`ObjectRef.pastedAt`): not a wildcard,
  /// so the events of two unnamed blocks never merge into one object's.
  package var pastedAt: SourceRef?

  package init(
    namespace: String? = nil, kind: String? = nil, name: String, uid: String? = nil, fieldPath: String? = nil,
    type: String, reason: String, component: String? = nil, host: String? = nil, message: String,
    pastedAt: SourceRef? = nil
  ) {
    self.pastedAt = pastedAt
    self.namespace = namespace
    self.kind = kind
    self.name = name
    self.uid = uid
    self.fieldPath = fieldPath
    self.type = type
    self.reason = reason
    self.component = component
    self.host = host
    self.message = message
  }

  /// The identity of `event`, and its message cleaned of a field-path prefix.
  package init(_ event: Event) {
    var fieldPath = Self.nonEmpty(event.involved.fieldPath)
    var message = Self.trimmed(event.message)
    // ≥1.35 describe prefixes the message with the field path (§1.6); a parser may leave it there.
    if let (path, rest) = Self.splitFieldPathPrefix(message), fieldPath == nil || fieldPath == path {
      fieldPath = path
      message = rest
    }
    var component = Self.nonEmpty(event.sourceComponent)
    var host = Self.nonEmpty(event.sourceHost)
    // `get events -o wide` SOURCE is `kubelet, node-1` (§3.1); so was describe's From before 1.20 (§1.7).
    // The bytes are looked at first: a `Character` search walks grapheme clusters (about 3,000
    // instructions for a describe's `kubelet`), and a string without the byte has no comma. With
    // it, the search is the `Character` one, which does not take a comma a combining mark follows.
    if host == nil, let c = component, c.utf8.contains(UInt8(ascii: ",")), let comma = c.firstIndex(of: ",") {
      host = Self.nonEmpty(String(c[c.index(after: comma)...]))
      component = Self.nonEmpty(String(c[..<comma]))
    }
    self.init(
      namespace: Self.nonEmpty(event.involved.namespace), kind: Self.nonEmpty(event.involved.kind)?.lowercased(),
      name: event.involved.name, uid: Self.nonEmpty(event.involved.uid), fieldPath: fieldPath,
      type: event.type.description, reason: event.reason, component: component, host: host,
      message: message.hasPrefix(Self.combinedPrefix) ? Self.combinedPrefix : message,
      pastedAt: event.involved.name.isEmpty ? event.involved.pastedAt : nil)
  }

  /// Hashes the name, reason and message only: identities that differ are nearly always told
  /// apart by those, and `EventBook.add` hashes every event's identity, where all eleven fields
  /// (the synthesized hash) cost about 2,500 instructions (issue 16, callgrind). Equal identities
  /// still hash equal: `==` compares these three among the rest, each as `String` compares it
  /// (canonical equivalence), and each is hashed as `String` hashes it. No output depends on a
  /// hash value: the hasher's seed changes from run to run.
  package func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    hasher.combine(reason)
    hasher.combine(message)
  }

  /// True for the event the aggregator created in place of similar ones.
  package var isCombined: Bool { message == Self.combinedPrefix }

  /// How many of the optional fields are known; more specific identities anchor less specific ones.
  package var knownFields: Int {
    // Counted without building an array: this runs for every identity in every merge.
    var n = 0
    if namespace != nil { n += 1 }
    if kind != nil { n += 1 }
    if uid != nil { n += 1 }
    if fieldPath != nil { n += 1 }
    if component != nil { n += 1 }
    if host != nil { n += 1 }
    return n
  }

  /// True when every field both identities know is equal.
  package func isCompatible(with other: EventIdentity) -> Bool {
    name == other.name && type == other.type && reason == other.reason && message == other.message
      && Self.agree(namespace, other.namespace) && Self.agree(kind, other.kind) && Self.agree(uid, other.uid)
      && Self.agree(fieldPath, other.fieldPath) && Self.agree(component, other.component)
      && Self.agree(host, other.host) && pastedAt == other.pastedAt
  }

  /// Fills the fields this identity lacks from a compatible one.
  package mutating func fill(from other: EventIdentity) {
    namespace = namespace ?? other.namespace
    kind = kind ?? other.kind
    uid = uid ?? other.uid
    fieldPath = fieldPath ?? other.fieldPath
    component = component ?? other.component
    host = host ?? other.host
  }

  /// The aggregator's key (§5.1 step 1): everything but the message and the field path.
  package var aggregateKey: [String?] {
    [namespace, kind, name, uid, type, reason, component, host, pastedAt?.description]
  }

  /// A total order for deterministic output; nil sorts before any value.
  package static func < (lhs: EventIdentity, rhs: EventIdentity) -> Bool {
    withUnsafePointer(to: lhs) { a in withUnsafePointer(to: rhs) { b in precedes(a, b) } }
  }

  /// `<` on identities in place, compared field by field without building keys: each field is
  /// read where it lies, so sorting every identity of a merge copies none of them.
  package static func precedes(_ pa: UnsafePointer<EventIdentity>, _ pb: UnsafePointer<EventIdentity>) -> Bool {
    if let o = order(pa.pointee.namespace, pb.pointee.namespace) { return o }
    if let o = order(pa.pointee.kind, pb.pointee.kind) { return o }
    if pa.pointee.name != pb.pointee.name { return pa.pointee.name < pb.pointee.name }
    if let o = order(pa.pointee.uid, pb.pointee.uid) { return o }
    if let o = order(pa.pointee.fieldPath, pb.pointee.fieldPath) { return o }
    if pa.pointee.type != pb.pointee.type { return pa.pointee.type < pb.pointee.type }
    if pa.pointee.reason != pb.pointee.reason { return pa.pointee.reason < pb.pointee.reason }
    if let o = order(pa.pointee.component, pb.pointee.component) { return o }
    if let o = order(pa.pointee.host, pb.pointee.host) { return o }
    if pa.pointee.message != pb.pointee.message { return pa.pointee.message < pb.pointee.message }
    if pa.pointee.pastedAt == nil && pb.pointee.pastedAt == nil { return false }
    return order(pa.pointee.pastedAt?.description, pb.pointee.pastedAt?.description) ?? false
  }

  /// `a < b` with nil first, or nil when they are equal.
  @inline(__always)
  private static func order(_ a: String?, _ b: String?) -> Bool? {
    switch (a, b) {
    case (nil, nil): return nil
    case (nil, _): return true
    case (_, nil): return false
    case (let a?, let b?): return a == b ? nil : a < b
    }
  }

  private static func agree(_ a: String?, _ b: String?) -> Bool {
    guard let a, let b else { return true }
    return a == b
  }

  private static func nonEmpty(_ s: String?) -> String? {
    guard let s else { return nil }
    let t = trimmed(s)
    return t.isEmpty ? nil : t
  }

  static func trimmed(_ s: String) -> String {
    // Most messages need no trimming; checking the ends first avoids a copy per record.
    guard let f = s.unicodeScalars.first, let l = s.unicodeScalars.last else { return s }
    // Printable ASCII at both ends (0x21–0x7E: none of it is white space or a newline) answers
    // without fetching the character set, whose getter is a dynamic cast (issue 16, perf).
    if (0x21...0x7E).contains(f.value) && (0x21...0x7E).contains(l.value) { return s }
    let space = CharacterSet.whitespacesAndNewlines
    guard space.contains(f) || space.contains(l) else { return s }
    return s.trimmingCharacters(in: space)
  }

  /// `spec.containers{web}: Liveness probe failed: …` → (`spec.containers{web}`, `Liveness probe failed: …`).
  static func splitFieldPathPrefix(_ message: String) -> (String, String)? {
    guard message.hasPrefix("spec.") || message.hasPrefix("implicitly required container "),
      let marker = message.range(of: "}: ")
    else { return nil }
    let path = String(message[..<message.index(after: marker.lowerBound)])
    guard !path.contains(" ") || path.hasPrefix("implicitly required container ") else { return nil }
    return (path, String(message[marker.upperBound...]))
  }
}
