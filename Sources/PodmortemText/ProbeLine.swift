import Foundation
import PodmortemModel

/// Reads the describe probe line (docs/kubernetes.md §1.4), `<handler> <attributes>`:
/// `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`, with the
/// ≥1.37 `successThreshold=1 failureThreshold=3` spelling accepted too. Handlers: `http-get`,
/// `tcp-socket`, `exec […]`, `grpc <pod>:<port> <service>`, `unknown`.
///
/// The attributes are the trailing `key=value` words with a key describe writes; the handler is
/// everything before them, so an exec argument like `-addr=:8080` stays in the handler.
package enum ProbeLine {
  /// The value of a describe `Liveness:`/`Readiness:`/`Startup:` line; nil unless all five
  /// attributes are there with whole-number values and the handler is one describe prints.
  package static func parse(_ value: Substring) -> ProbeSpec? {
    let parts = split(value)
    guard parts.attributes == 5, !parts.malformed, let handler = handler(parts.handler) else { return nil }
    var spec = parts.spec
    spec.handler = handler
    return spec
  }

  /// The first attribute of a describe probe line whose value is not a whole number in the
  /// API's range (`timeout=-20s`, `period=0s`), for the diagnostic when `parse` returns nil.
  package static func badAttribute(_ value: Substring) -> String? { split(value).outOfRange }

  /// A probe line a person pasted (`podmortem explain probe`): an optional `Liveness:`,
  /// `Readiness:` or `Startup:` label, then the probe. A handler it cannot read is `.unknown` and
  /// missing attributes keep the apiserver defaults (§6.1). Nil when there is no attribute at all.
  package static func parse(pasted line: String) -> (kind: ProbeSpec.Kind?, spec: ProbeSpec)? {
    var text = Substring(line.trimmingCharacters(in: .whitespaces))
    var kind: ProbeSpec.Kind?
    for candidate in ProbeSpec.Kind.allCases {
      let label = candidate.rawValue.prefix(1).uppercased() + candidate.rawValue.dropFirst() + ":"
      if text.hasPrefix(label) {
        kind = candidate
        text = text.dropFirst(label.count).drop { $0 == " " }
      }
    }
    let parts = split(text)
    guard parts.attributes > 0 else { return nil }
    var spec = parts.spec
    spec.handler = handler(parts.handler) ?? .unknown
    return (kind, spec)
  }

  /// A probe line taken apart: the handler text, and the trailing attributes read into a spec.
  private struct Parts {
    var handler: Substring
    var spec = ProbeSpec(handler: .unknown)
    /// Attributes read with a whole-number value.
    var attributes = 0
    /// True when an attribute's value was not a whole number.
    var malformed = false
    /// The first attribute whose value is not a number in its range (`timeout=-20s`).
    var outOfRange: String?
  }

  private static func split(_ text: Substring) -> Parts {
    var parts = Parts(handler: text)
    var words = text.split(separator: " ")
    while let word = words.last, let eq = word.firstIndex(of: "=") {
      let raw = word[word.index(after: eq)...]
      let key = word[..<eq]
      // The API's bounds (int32; delay and timeout ≥ 0, period and thresholds ≥ 1,
      // https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/#configure-probes):
      // a value outside them is malformed, never arithmetic.
      var value = Plausible.int32(raw.hasSuffix("s") ? raw.dropLast() : raw)
      if let number = value, number < (key == "delay" || key == "timeout" ? 0 : 1) { value = nil }
      if value == nil, parts.outOfRange == nil { parts.outOfRange = String(word) }
      switch key {
      case "delay": parts.spec.initialDelaySeconds = value ?? parts.spec.initialDelaySeconds
      case "timeout": parts.spec.timeoutSeconds = value ?? parts.spec.timeoutSeconds
      case "period": parts.spec.periodSeconds = value ?? parts.spec.periodSeconds
      case "#success", "successThreshold": parts.spec.successThreshold = value ?? parts.spec.successThreshold
      case "#failure", "failureThreshold": parts.spec.failureThreshold = value ?? parts.spec.failureThreshold
      default: return parts
      }
      if value == nil { parts.malformed = true } else { parts.attributes += 1 }
      parts.handler = text[..<word.startIndex]
      words.removeLast()
    }
    return parts
  }

  /// The handler describe printed; nil when the text is none of its forms.
  private static func handler(_ text: Substring) -> ProbeHandler? {
    // Spaces trimmed from both ends by index (building it from a reversed copy of the Characters
    // cost a tenth of reading a large describe).
    let trimmed = text.drop { $0 == " " }
    var end = trimmed.endIndex
    while end > trimmed.startIndex, trimmed[trimmed.index(before: end)] == " " { end = trimmed.index(before: end) }
    let words = String(trimmed[..<end])
    if words.hasPrefix("exec [") && words.hasSuffix("]") {
      // Go's `%v` of a []string: arguments that held spaces cannot be told apart (§1.4).
      return .exec(command: words.dropFirst(6).dropLast().split(separator: " ").map(String.init))
    }
    if words.hasPrefix("http-get ") {
      let url = words.dropFirst(9)
      guard let schemeEnd = url.range(of: "://") else { return nil }
      let rest = url[schemeEnd.upperBound...]
      let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
      guard let (host, port) = hostPort(rest[..<pathStart]) else { return nil }
      return .httpGet(
        scheme: String(url[..<schemeEnd.lowerBound]), host: host, port: port, path: String(rest[pathStart...]))
    }
    if words.hasPrefix("tcp-socket ") {
      guard let (host, port) = hostPort(words.dropFirst(11)) else { return nil }
      return .tcpSocket(host: host, port: port)
    }
    if words.hasPrefix("grpc ") {
      // `grpc <pod>:9090 svc`; an empty service leaves only the port.
      let parts = words.dropFirst(5).split(separator: " ", maxSplits: 1)
      guard let target = parts.first, let (_, port) = hostPort(target) else { return nil }
      return .grpc(port: port, service: parts.count > 1 ? String(parts[1]) : "")
    }
    return words == "unknown" ? .unknown : nil
  }

  /// `10.0.0.1:8080` → ("10.0.0.1", "8080"); the port is after the last colon.
  private static func hostPort(_ text: Substring) -> (host: String, port: String)? {
    guard let colon = text.lastIndex(of: ":") else { return nil }
    return (String(text[..<colon]), String(text[text.index(after: colon)...]))
  }
}
