import Foundation
import PodmortemModel
import PodmortemText

/// Which duration printer made the ages of a table (docs/kubernetes.md §2): `HumanDuration` since 1.12,
/// `ShortHumanDuration` in pre-1.12 `get events` and the 1.2–1.7 describe table.
enum AgeStyle {
  case human, short

  /// The age in this style, else in the other one: real pastes mix eras (a modern-column table
  /// printed by a kubectl that still used ShortHumanDuration shows `1m`, which HumanDuration
  /// never prints), and a cell that is a valid age in either style is an age; last, any y/d/h/m/s
  /// notation (`21h13m` from a web console).
  func parse(_ text: some StringProtocol) -> Age? {
    switch self {
    case .human: Durations.human(text) ?? Durations.shortHuman(text) ?? Durations.compound(text)
    case .short: Durations.shortHuman(text) ?? Durations.human(text) ?? Durations.compound(text)
    }
  }
}

/// An age cell: `4m2s`, `4m2s (x27 over 52m)`, `<unknown>`, a pre-1.12 watch time
/// `2018-03-01 10:11:12.123 +0000 UTC`, a 1.0–1.1 time `Sat, 21 Feb 2015 02:59:53 +0000`, or a
/// custom column's stored time (`2021-07-01T13:53:17Z`, `<nil>`).
struct AgeCell {
  /// How many tokens the cell took.
  var consumed: Int
  /// The age as printed: the last occurrence when a count follows (docs/kubernetes.md §1.6).
  var time: TimeRange?
  /// `N` of `(xN over B)`.
  var count: Int?
  /// `B` of `(xN over B)`: the FIRST occurrence, not the span.
  var first: TimeRange?

  /// Reads the cell starting at `tokens[index]`; nil when the tokens there are not an age.
  static func read(
    _ tokens: [Substring], at index: Int, style: AgeStyle, capture: CaptureTime, allowCount: Bool = true
  ) -> AgeCell? {
    read(tokens, at: index, style: style, capture: capture, allowCount: allowCount) { style.parse($0) }
  }

  /// `read` with the ages in `style` read by `age` (a memo of `style.parse`, `AgeMemo`).
  static func read(
    _ tokens: [Substring], at index: Int, style: AgeStyle, capture: CaptureTime, allowCount: Bool = true,
    age parse: (Substring) -> Age?
  ) -> AgeCell? {
    guard index < tokens.count else { return nil }
    let t = tokens[index]
    // Counted once, from the bytes when they are ASCII (a `Character` each).
    let count = KubectlBytes.isASCII(t.utf8) ? t.utf8.count : t.count
    if count == 10, t.dropFirst(4).first == "-", index + 3 < tokens.count {
      let joined = tokens[index...(index + 3)].joined(separator: " ")
      guard let range = Timestamps.range(joined) else { return nil }
      let monotonic = index + 4 < tokens.count && tokens[index + 4].hasPrefix("m=") ? 1 : 0
      return AgeCell(consumed: 4 + monotonic, time: range)
    }
    // 1.0–1.1 printed FIRSTSEEN and LASTSEEN as RFC1123Z times: `Sat, 21 Feb 2015 02:59:53 +0000`.
    if count == 4, t.last == ",", index + 5 < tokens.count {
      guard let range = Timestamps.range(tokens[index...(index + 5)].joined(separator: " ")) else { return nil }
      return AgeCell(consumed: 6, time: range)
    }
    // `-o custom-columns` prints the stored time (`.lastTimestamp`): RFC3339, `<nil>` when unset.
    if t == "<nil>" { return AgeCell(consumed: 1, time: nil) }
    if count >= 20, t.dropFirst(10).first == "T", let range = Timestamps.range(t) {
      return AgeCell(consumed: 1, time: range)
    }
    guard let age = parse(t) else { return nil }
    var cell = AgeCell(consumed: 1, time: anchor(age, capture))
    if allowCount, index + 3 < tokens.count, tokens[index + 1].hasPrefix("(x"), tokens[index + 2] == "over",
      tokens[index + 3].hasSuffix(")")
    {
      guard let count = Int(tokens[index + 1].dropFirst(2)),
        let first = parse(tokens[index + 3].dropLast())
      else { return nil }
      cell.count = count
      cell.first = anchor(first, capture)
      cell.consumed = 4
    } else if allowCount, index + 1 < tokens.count, tokens[index + 1].hasPrefix("(x") {
      return nil
    }
    return cell
  }

  static func anchor(_ age: Age, _ capture: CaptureTime) -> TimeRange? { age.timeRange(before: capture) }
}

/// The shapes of kubectl cells that decide where a cell ends when padding is lost.
enum Cells {
  /// `Normal` or `Warning`: the only types the recorder accepts (docs/kubernetes.md §4.1).
  static func isEventType(_ token: Substring) -> Bool {
    // The length first: no other text is canonically equivalent to `Normal` or `Warning` (none of
    // their letters is the decomposition of another character), so an equal token has their
    // bytes and their length, and most tokens are answered by it. The text comparison then, as
    // before: on a describe's event rows, where most tokens asked are a type, comparing the bytes
    // one by one cost more than it (docs/architecture.md, "Sniffing a head of long lines").
    switch token.utf8.count {
    case 6: return token == "Normal"
    case 7: return token == "Warning"
    default: return false
    }
  }

  /// A component name as printed in From/SOURCE: `kubelet`, `default-scheduler`, `kubelet,`.
  static func looksLikeComponent(_ token: Substring) -> Bool {
    if token.hasPrefix("{") { return true }
    let core = token.hasSuffix(",") ? token.dropLast() : token
    guard let first = core.first, first.isLowercase || first.isNumber else { return false }
    return core.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" || $0 == "/" }
  }

  /// A sub-object path: `spec.containers{web}`, `spec.initContainers{init}`, `spec.containers[0]`.
  static func looksLikeFieldPath(_ token: Substring) -> Bool {
    token.hasPrefix("spec.") || token.hasPrefix("status.") || token.hasPrefix("metadata.")
  }

  /// Reads a source cell at `tokens[index]`: `kubelet`, `kubelet, node-1`, `{kubelet node-1}`.
  static func source(_ tokens: [Substring], at index: Int) -> (component: String, host: String?, consumed: Int)? {
    guard index < tokens.count else { return nil }
    let t = tokens[index]
    if t.hasPrefix("{") {
      var parts: [Substring] = []
      var i = index
      while i < tokens.count {
        parts.append(tokens[i])
        if tokens[i].hasSuffix("}") { break }
        i += 1
      }
      guard i < tokens.count else { return nil }
      let inner = parts.joined(separator: " ").dropFirst().dropLast().split(separator: " ")
      guard let component = inner.first else { return nil }
      return (String(component), inner.count > 1 ? String(inner[1]) : nil, i - index + 1)
    }
    if t.hasSuffix(","), index + 1 < tokens.count {
      return (String(t.dropLast()), String(tokens[index + 1]), 2)
    }
    return (String(t), nil, 1)
  }

  /// Splits the ≥1.35 describe prefix off a message: `spec.containers{web}: Liveness …`
  /// → (`spec.containers{web}`, `Liveness …`) (docs/kubernetes.md §1.6).
  static func fieldPathPrefix(_ message: Substring) -> (fieldPath: String, message: Substring)? {
    guard message.hasPrefix("spec.") else { return nil }
    guard let colon = message.firstIndex(of: ":") else { return nil }
    let path = message[..<colon]
    guard path.last == "}" || path.last == "]", !path.contains(" ") else { return nil }
    let after = message.index(after: colon)
    guard after == message.endIndex || message[after] == " " else { return nil }
    return (String(path), message[after...].drop { $0 == " " })
  }

  /// `pod` → `Pod`: `kubectl get events` prints kinds lower-cased (§3.1); `kubectl events` and
  /// JSON keep them as stored.
  static func canonicalKind(_ kind: Substring) -> String {
    let known = [
      "Pod", "Node", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "Endpoints",
      "EndpointSlice", "PersistentVolumeClaim", "PersistentVolume", "HorizontalPodAutoscaler",
      "ReplicationController", "Namespace", "ConfigMap", "Secret", "Ingress", "PodDisruptionBudget", "Lease",
      "ServiceAccount", "StorageClass", "VolumeAttachment", "CertificateSigningRequest",
    ]
    let lower = kind.lowercased()
    return known.first { $0.lowercased() == lower } ?? String(kind)
  }

  /// `web-0.1568eab25f0acb02` → `web-0`: the recorder names an event after its object and the
  /// time in hex nanoseconds (`%v.%x`, [client-go] `tools/record/event.go`); nil for other names.
  static func objectOfEventName(_ name: Substring) -> Substring? {
    guard let dot = name.lastIndex(of: "."), dot > name.startIndex else { return nil }
    let hex = name[name.index(after: dot)...]
    guard (14...16).contains(hex.count), hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
    return name[..<dot]
  }

  /// `pod/web-0` → (`Pod`, `web-0`); a bare kind has an empty name.
  static func object(_ token: Substring) -> ObjectRef {
    guard let slash = token.firstIndex(of: "/") else { return ObjectRef(kind: canonicalKind(token), name: "") }
    return ObjectRef(kind: canonicalKind(token[..<slash]), name: String(token[token.index(after: slash)...]))
  }

  /// `app=web,tier=db` → labels; `<none>` → empty.
  static func labels(_ text: Substring) -> [String: String]? {
    if text == "<none>" { return [:] }
    var labels: [String: String] = [:]
    for pair in text.split(separator: ",") {
      guard let eq = pair.firstIndex(of: "="), eq > pair.startIndex else { return nil }
      labels[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
    }
    return labels
  }

  /// `1/2` → ReadyCount.
  static func ready(_ token: Substring) -> ReadyCount? {
    // No `/` byte, no `/` character: a cheap no for most words (every headerless `get pods` layout
    // asks it of every line a sniffer reads).
    guard token.utf8.contains(0x2F), let slash = token.firstIndex(of: "/"), let r = Int(token[..<slash]),
      let t = Int(token[token.index(after: slash)...])
    else { return nil }
    return ReadyCount(ready: r, total: t)
  }

  /// `<none>` and empty cells are absent values.
  static func value(_ text: some StringProtocol) -> String? {
    text.isEmpty || text == "<none>" ? nil : String(text)
  }
}
