import Foundation
import PodmortemModel

/// A `kubectl describe` probe line taken apart (REFERENCE.md §1.4).
///
/// `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`, or the
/// ≥1.37 form with `successThreshold=1 failureThreshold=3`, optionally behind `Liveness:`.
/// The describe parser in Ingest reads the same line; the two should be merged once both exist.
package enum ProbeLine {
  /// The probe kind named by a leading `Liveness:`/`Readiness:`/`Startup:`, and the spec; nil when
  /// the line has no probe attributes.
  package static func parse(_ line: String) -> (kind: ProbeSpec.Kind?, spec: ProbeSpec)? {
    var text = Substring(line.trimmingCharacters(in: .whitespaces))
    var kind: ProbeSpec.Kind?
    for candidate in ProbeSpec.Kind.allCases {
      let label = candidate.rawValue.prefix(1).uppercased() + candidate.rawValue.dropFirst() + ":"
      if text.hasPrefix(label) {
        kind = candidate
        text = text.dropFirst(label.count).drop { $0 == " " }
      }
    }
    guard let attrsStart = text.range(of: "delay=")?.lowerBound else { return nil }
    let handlerText = text[..<attrsStart].trimmingCharacters(in: .whitespaces)
    var spec = ProbeSpec(handler: handler(handlerText))
    var seen = 0
    for token in text[attrsStart...].split(separator: " ") {
      guard let eq = token.firstIndex(of: "=") else { continue }
      let key = token[..<eq]
      let raw = token[token.index(after: eq)...]
      guard let value = Int(raw.hasSuffix("s") ? raw.dropLast() : raw) else { continue }
      seen += 1
      switch key {
      case "delay": spec.initialDelaySeconds = value
      case "timeout": spec.timeoutSeconds = value
      case "period": spec.periodSeconds = value
      case "#success", "successThreshold": spec.successThreshold = value
      case "#failure", "failureThreshold": spec.failureThreshold = value
      default: seen -= 1
      }
    }
    return seen > 0 ? (kind, spec) : nil
  }

  private static func handler(_ text: String) -> ProbeHandler {
    if text.hasPrefix("exec ") {
      let inner = text.dropFirst("exec ".count).trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
      return .exec(command: inner.split(separator: " ").map(String.init))
    }
    if text.hasPrefix("http-get ") {
      let url = text.dropFirst("http-get ".count)
      guard let schemeEnd = url.range(of: "://") else { return .unknown }
      let scheme = String(url[..<schemeEnd.lowerBound])
      let afterScheme = url[schemeEnd.upperBound...]
      let hostPort = afterScheme.prefix { $0 != "/" }
      let path = String(afterScheme.dropFirst(hostPort.count))
      let (host, port) = splitHostPort(hostPort)
      return .httpGet(scheme: scheme, host: host, port: port, path: path.isEmpty ? "/" : path)
    }
    if text.hasPrefix("tcp-socket ") {
      let (host, port) = splitHostPort(text.dropFirst("tcp-socket ".count))
      return .tcpSocket(host: host, port: port)
    }
    if text.hasPrefix("grpc ") {
      let words = text.dropFirst("grpc ".count).split(separator: " ", omittingEmptySubsequences: false)
      let (_, port) = splitHostPort(words.first ?? "")
      let service = words.dropFirst().joined(separator: " ").trimmingCharacters(in: .whitespaces)
      return .grpc(port: port, service: service)
    }
    return .unknown
  }

  private static func splitHostPort(_ text: Substring) -> (String, String) {
    guard let colon = text.lastIndex(of: ":") else { return (String(text), "") }
    return (String(text[..<colon]), String(text[text.index(after: colon)...]))
  }
}

extension ProbeHandler {
  /// The handler as describe prints it (`http-get http://:8080/healthz`).
  package var describeText: String {
    switch self {
    case .httpGet(let scheme, let host, let port, let path): "http-get \(scheme.lowercased())://\(host):\(port)\(path)"
    case .tcpSocket(let host, let port): "tcp-socket \(host):\(port)"
    case .exec(let command): "exec [\(command.joined(separator: " "))]"
    case .grpc(let port, let service): "grpc <pod>:\(port) \(service)"
    case .unknown: "unknown"
    }
  }
}
