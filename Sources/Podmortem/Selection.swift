import Foundation
import PodmortemCorrelate
import PodmortemModel
import PodmortemReport
import PodmortemText

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What part of the input a command reports on, in kubectl's vocabulary: `-n/--namespace`,
/// `-A/--all-namespaces`, `--for kind/name` (the name may be a glob), `--since 10m|2h|RFC3339`,
/// `--types Normal,Warning`. Parsing validates the way kubectl does (README "Selecting").
package struct Selection: Sendable {
  /// nil: every namespace (`-A`, or no `-n`). Objects whose namespace the input does not show are kept.
  package var namespace: String?
  package var object: ObjectSelector?
  package var since: Since?
  /// Lower-cased event types; nil keeps every type.
  package var types: Set<String>?

  package init(namespace: String? = nil, object: ObjectSelector? = nil, since: Since? = nil, types: Set<String>? = nil)
  {
    self.namespace = namespace
    self.object = object
    self.since = since
    self.types = types
  }

  /// True when nothing is filtered.
  package var isEverything: Bool { namespace == nil && object == nil && since == nil && types == nil }

  /// `--types`: a comma-separated list of Normal and Warning, compared case-insensitively;
  /// anything else is an error, as `kubectl events` validates it
  /// (https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/kubectl/pkg/cmd/events/events.go).
  package static func parseTypes(_ text: String) throws(SelectionError) -> Set<String> {
    var out: Set<String> = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      let t = part.trimmingCharacters(in: .whitespaces).lowercased()
      guard t == "normal" || t == "warning" else { throw SelectionError("valid --types are Normal or Warning") }
      out.insert(t)
    }
    return out
  }

  /// The events to report, oldest first as the state keeps them.
  package func events(in state: CorrelatedState) -> [MergedEvent] {
    let cutoff = since?.cutoff(now: state.now?.date ?? Date())
    return state.events.filter { matches($0, cutoff: cutoff) }
  }

  /// The report narrowed to the selection: findings, pods and events about the selected objects;
  /// `--since` and `--types` also narrow the events and the timelines' event entries.
  package func apply(to input: ReportInput) -> ReportInput {
    guard !isEverything else { return input }
    var out = input
    let cutoff = since?.cutoff(now: input.state.now?.date ?? Date())
    out.findings = input.findings.filter(matches)
    out.state.events = input.state.events.filter { matches($0, cutoff: cutoff) }
    out.state.pods = input.state.pods.filter(matches).map { pod in
      var pod = pod
      var kept: [MergedEvent] = []
      var droppedEvidence: Set<Evidence> = []
      for e in pod.events {
        if matches(e, cutoff: cutoff) { kept.append(e) } else { droppedEvidence.formUnion(e.evidence) }
      }
      pod.events = kept
      // A timeline entry drawn from an event (Timeline.eventEntries) cites that event's evidence:
      // it goes when its event does.
      pod.timeline = pod.timeline.filter { entry in
        if let cutoff, let t = entry.time, t.latest < cutoff { return false }
        if let first = entry.evidence.first, droppedEvidence.contains(first) { return false }
        return true
      }
      return pod
    }
    return out
  }

  func matches(_ e: MergedEvent, cutoff: Date?) -> Bool {
    if let types, !types.contains(e.type.description.lowercased()) { return false }
    if let namespace, let ns = e.involved.namespace, !ns.isEmpty, ns != namespace { return false }
    if let cutoff, let last = e.lastSeen ?? e.firstSeen, last.latest < cutoff { return false }
    if let object {
      if let kind = e.involved.kind, kind.lowercased() != object.kind.lowercased() { return false }
      if !object.matches(name: e.involved.name) { return false }
    }
    return true
  }

  func matches(_ f: PodmortemModel.Finding) -> Bool {
    if let namespace, let ns = f.subject.namespace, !ns.isEmpty, ns != namespace { return false }
    guard let object else { return true }
    if let pod = f.subject.pod { return object.kind == "Pod" && object.matches(name: pod) }
    guard let named = f.subject.object, let slash = named.firstIndex(of: "/") else { return false }
    return ObjectSelector.kinds[named[..<slash].lowercased()] == object.kind
      && object.matches(name: String(named[named.index(after: slash)...]))
  }

  func matches(_ p: PodHistory) -> Bool {
    if let namespace, !p.key.namespace.isEmpty, p.key.namespace != namespace { return false }
    guard let object else { return true }
    return object.kind == "Pod" && !p.key.name.isEmpty && object.matches(name: p.key.name)
  }
}

/// `--for kind/name`: a resource type as kubectl accepts it (`pod`, `pods`, `po`, `deploy`,
/// `deployment.apps`) and a name, which may be a shell glob (`pod/web-*`).
package struct ObjectSelector: Hashable, Sendable {
  /// The canonical kind (`Pod`, `Deployment`).
  package var kind: String
  package var name: String

  /// kubectl's resource names, plurals and short names for the kinds events and findings name
  /// (`kubectl api-resources`).
  static let kinds: [String: String] = {
    let table: [(String, [String])] = [
      ("Pod", ["pod", "pods", "po"]), ("Node", ["node", "nodes", "no"]),
      ("Deployment", ["deployment", "deployments", "deploy"]), ("ReplicaSet", ["replicaset", "replicasets", "rs"]),
      ("StatefulSet", ["statefulset", "statefulsets", "sts"]), ("DaemonSet", ["daemonset", "daemonsets", "ds"]),
      ("Job", ["job", "jobs"]), ("CronJob", ["cronjob", "cronjobs", "cj"]),
      ("ReplicationController", ["replicationcontroller", "replicationcontrollers", "rc"]),
      ("Service", ["service", "services", "svc"]), ("Endpoints", ["endpoints", "ep"]),
      ("PersistentVolumeClaim", ["persistentvolumeclaim", "persistentvolumeclaims", "pvc"]),
      ("PersistentVolume", ["persistentvolume", "persistentvolumes", "pv"]),
      ("Namespace", ["namespace", "namespaces", "ns"]), ("ConfigMap", ["configmap", "configmaps", "cm"]),
      ("Secret", ["secret", "secrets"]), ("ServiceAccount", ["serviceaccount", "serviceaccounts", "sa"]),
      ("Ingress", ["ingress", "ingresses", "ing"]),
      ("HorizontalPodAutoscaler", ["horizontalpodautoscaler", "horizontalpodautoscalers", "hpa"]),
      ("PodDisruptionBudget", ["poddisruptionbudget", "poddisruptionbudgets", "pdb"]),
      ("Event", ["event", "events", "ev"]),
    ]
    var out: [String: String] = [:]
    for (kind, names) in table { for n in names { out[n] = kind } }
    return out
  }()

  package init(kind: String, name: String) {
    self.kind = kind
    self.name = name
  }

  /// Validates like `kubectl events --for`: `resource/name` with one slash and a known resource.
  package static func parse(_ text: String) throws(SelectionError) -> ObjectSelector {
    guard text.contains("/") else { throw SelectionError("--for must be in resource/name form") }
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2 else {
      throw SelectionError("arguments in resource/name form may not have more than one slash")
    }
    // `deployment.apps` and `deployments.v1.apps` name the same resource as `deployment`.
    let resource = parts[0].split(separator: ".").first.map { $0.lowercased() } ?? ""
    guard let kind = kinds[resource] else {
      throw SelectionError("the server doesn't have a resource type \"\(parts[0])\"")
    }
    guard !parts[1].isEmpty else { throw SelectionError("--for must be in resource/name form") }
    return ObjectSelector(kind: kind, name: String(parts[1]))
  }

  /// Exact, or a shell glob (`*`, `?`, `[…]`) as fnmatch(3) reads it.
  package func matches(name candidate: String) -> Bool {
    if candidate == name { return true }
    guard name.contains(where: { "*?[".contains($0) }) else { return false }
    return fnmatch(name, candidate, 0) == 0
  }
}

/// `--since`: a positive duration back from the capture time (`10m`, `2h`, `1h30m`, as kubectl's
/// `--since` takes Go durations) or an RFC 3339 time (kubectl's `--since-time`).
package enum Since: Hashable, Sendable {
  case duration(seconds: Double)
  case time(Date)

  /// The longest duration accepted: ten years, far beyond any event's life, and small enough
  /// that subtracting it from a date cannot overflow.
  static let maximumSeconds: Double = 10 * 366 * 86_400

  package static func parse(_ text: String) throws(SelectionError) -> Since {
    if let date = Timestamps.rfc3339(text) { return .time(date) }
    guard let seconds = Durations.goDuration(text), seconds.isFinite else {
      throw SelectionError("invalid argument \"\(text)\" for --since: a duration (10m, 2h, 1h30m) or an RFC 3339 time")
    }
    guard seconds > 0 else { throw SelectionError("--since must be greater than 0") }
    guard seconds <= maximumSeconds else { throw SelectionError("--since \(text) is longer than ten years") }
    return .duration(seconds: seconds)
  }

  /// The earliest time kept, given the capture time the ages are relative to.
  package func cutoff(now: Date) -> Date {
    switch self {
    case .duration(let seconds): now.addingTimeInterval(-seconds)
    case .time(let date): date
    }
  }
}

/// A selection flag kubectl would refuse.
package struct SelectionError: Error, CustomStringConvertible, Sendable {
  package let description: String
  package init(_ description: String) { self.description = description }
}
