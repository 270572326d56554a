import PodmortemModel

/// Reads the describe probe line (REFERENCE.md §1.4):
/// `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`, and the
/// ≥1.37 `successThreshold=1 failureThreshold=3` spelling.
enum KubectlProbe {
  /// The probe the value of a `Liveness:`/`Readiness:`/`Startup:` line describes; nil when the
  /// attributes are missing or malformed.
  static func parse(_ value: Substring) -> ProbeSpec? {
    var spec = ProbeSpec(handler: .unknown)
    var handlerEnd = value.endIndex
    var seen = 0
    // The attributes are the trailing `key=value` words; the handler is everything before them.
    var tokens = value.split(separator: " ", omittingEmptySubsequences: true)
    while let last = tokens.last, let eq = last.firstIndex(of: "=") {
      let key = last[..<eq]
      let raw = last[last.index(after: eq)...]
      let number = Int(raw.hasSuffix("s") ? raw.dropLast() : raw)
      guard let n = number else { break }
      switch key {
      case "delay": spec.initialDelaySeconds = n
      case "timeout": spec.timeoutSeconds = n
      case "period": spec.periodSeconds = n
      case "#success", "successThreshold": spec.successThreshold = n
      case "#failure", "failureThreshold": spec.failureThreshold = n
      default: return nil
      }
      seen += 1
      handlerEnd = last.startIndex
      tokens.removeLast()
    }
    guard seen == 5 else { return nil }
    let handler = value[..<handlerEnd]
    guard let h = Self.handler(handler) else { return nil }
    spec.handler = h
    return spec
  }

  private static func handler(_ text: Substring) -> ProbeHandler? {
    let trimmed = text.drop { $0 == " " }
    let body = trimmed.reversed().drop { $0 == " " }.reversed()
    let words = String(body)
    if words.hasPrefix("exec [") && words.hasSuffix("]") {
      let inner = words.dropFirst(6).dropLast()
      return .exec(command: inner.split(separator: " ").map(String.init))
    }
    if words.hasPrefix("http-get ") {
      let url = words.dropFirst(9)
      guard let schemeEnd = url.range(of: "://") else { return nil }
      let scheme = String(url[..<schemeEnd.lowerBound])
      let rest = url[schemeEnd.upperBound...]
      let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
      let hostPort = rest[..<pathStart]
      guard let colon = hostPort.lastIndex(of: ":") else { return nil }
      return .httpGet(
        scheme: scheme, host: String(hostPort[..<colon]), port: String(hostPort[hostPort.index(after: colon)...]),
        path: String(rest[pathStart...]))
    }
    if words.hasPrefix("tcp-socket ") {
      let hostPort = words.dropFirst(11)
      guard let colon = hostPort.lastIndex(of: ":") else { return nil }
      return .tcpSocket(host: String(hostPort[..<colon]), port: String(hostPort[hostPort.index(after: colon)...]))
    }
    if words.hasPrefix("grpc ") {
      // `grpc <pod>:9090 svc`; an empty service leaves only the port.
      let rest = words.dropFirst(5)
      let parts = rest.split(separator: " ", maxSplits: 1)
      guard let target = parts.first, let colon = target.lastIndex(of: ":") else { return nil }
      let service = parts.count > 1 ? String(parts[1]) : ""
      return .grpc(port: String(target[target.index(after: colon)...]), service: service)
    }
    if words == "unknown" { return .unknown }
    return nil
  }
}
