import PodmortemModel

/// The line a Kubernetes component's event recorder logs for each event it sends
/// (`client-go/tools/record/event.go`, docs/kubernetes.md §10.1):
///
///     I0330 08:31:17.836238 1362 event.go:278] Event(v1.ObjectReference{Kind:"Pod",
///     Namespace:"ns", Name:"web-0", UID:"…", APIVersion:"v1", ResourceVersion:"1676",
///     FieldPath:"spec.containers{app}"}): type: 'Warning' reason: 'FailedPreStopHook' <message>
///
/// Before 1.2 the reference is `api.ObjectReference` and there is no `type:`. It is the event
/// itself, as the component saw it: read as one, so the rules about events apply to a kubelet
/// log excerpt too.
enum KlogEvent {
  /// The event a message of that form holds, nil for any other message.
  static func parse(_ message: String) -> (involved: ObjectRef, type: EventType, reason: String, message: String)? {
    let b = Array(message.utf8.prefix(64 * 1024))
    let marker = Array("ObjectReference{".utf8)
    // `v1.` or `api.` stands between `Event(` and the reference.
    guard b.starts(with: Array("Event(".utf8)),
      let open = (6..<min(32, b.count)).first(where: { b[$0...].starts(with: marker) })
    else { return nil }
    var i = open + marker.count
    var fields: [String: String] = [:]
    // `Key:"value"` pairs, `, ` apart, up to `}`.
    while i < b.count, b[i] != UInt8(ascii: "}") {
      let keyStart = i
      while i < b.count, b[i] != UInt8(ascii: ":"), b[i] != UInt8(ascii: "}") { i += 1 }
      guard i < b.count, b[i] == UInt8(ascii: ":"), fields.count < 16 else { return nil }
      let key = String(decoding: b[keyStart..<i], as: UTF8.self)
      guard let value = GoString.unquote(b, from: i + 1) else { return nil }
      fields[key] = value.value
      i = value.end
      if i + 1 < b.count, b[i] == UInt8(ascii: ","), b[i + 1] == UInt8(ascii: " ") { i += 2 }
    }
    let tail = Array("}): ".utf8)
    guard i + tail.count <= b.count, Array(b[i..<(i + tail.count)]) == tail, let name = fields["Name"], !name.isEmpty
    else { return nil }
    var rest = Substring(String(decoding: b[(i + tail.count)...], as: UTF8.self))
    let type = quoted(after: "type: ", in: &rest).map(EventType.init)
    guard let reason = quoted(after: "reason: ", in: &rest), !reason.isEmpty else { return nil }
    let fieldPath = fields["FieldPath"].flatMap { $0.isEmpty ? nil : $0 }
    let involved = ObjectRef(
      kind: fields["Kind"], namespace: fields["Namespace"].flatMap { $0.isEmpty ? nil : $0 }, name: name,
      uid: fields["UID"].flatMap { $0.isEmpty ? nil : $0 }, fieldPath: fieldPath)
    // Before 1.2 there was no type, and reasons were lower case (`failed`, `backoff`): a failure's
    // reason says it is a warning.
    let lower = reason.lowercased()
    let warning = lower.hasPrefix("fail") || lower == "backoff" || lower == "unhealthy" || lower.hasPrefix("error")
    return (involved, type ?? (warning ? .warning : .normal), reason, String(rest))
  }

  /// The text between single quotes after `label` at the start of `rest`; `rest` moves past it.
  private static func quoted(after label: String, in rest: inout Substring) -> String? {
    guard rest.hasPrefix(label + "'") else { return nil }
    let body = rest.dropFirst(label.count + 1)
    guard let close = body.firstIndex(of: "'") else { return nil }
    rest = body[body.index(after: close)...].drop { $0 == " " }
    return String(body[..<close])
  }
}
