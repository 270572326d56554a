import PodmortemModel

/// A line of OpenShift's e2e event monitor (`openshift-tests`, docs/kubernetes.md §10.1):
///
///     Nov 25 01:24:22.203 W pod=web-0 ns=shop Liveness probe failed: Get https://…: net/http: …
///
/// a time without a year, a level letter (`I`, `W`, `E`), the object as `key=value` words (`pod=`,
/// `ns=`, `node=`, `deployment=`, `replicaset=` …), then the event's message.
struct MonitorLine {
  var warning: Bool
  var involved: ObjectRef
  var message: Substring

  private static let months: Set<Substring> = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]
  private static let kinds: [Substring: String] = [
    "pod": "Pod", "node": "Node", "deployment": "Deployment", "replicaset": "ReplicaSet",
    "statefulset": "StatefulSet", "daemonset": "DaemonSet", "job": "Job", "namespace": "Namespace",
  ]

  init?(_ text: String) {
    guard text.utf8.count <= 64 * 1024 else { return nil }
    var words = text.split(separator: " ", maxSplits: 8, omittingEmptySubsequences: true)[...]
    guard words.count >= 5, let month = words.popFirst(), Self.months.contains(month),
      let day = words.popFirst(), day.count <= 2, day.allSatisfy(\.isNumber),
      let clock = words.popFirst(), clock.count >= 8, clock.filter({ $0 == ":" }).count == 2,
      clock.allSatisfy({ $0.isNumber || $0 == ":" || $0 == "." }),
      let level = words.popFirst(), level == "I" || level == "W" || level == "E"
    else { return nil }
    var kind: String?
    var name: Substring?
    var namespace: Substring?
    var rest = words
    while let word = rest.first, let eq = word.firstIndex(of: "="), word[..<eq].allSatisfy(\.isLowercase) {
      let key = word[..<eq]
      let value = word[word.index(after: eq)...]
      if key == "ns" {
        namespace = value
      } else if kind == nil, let k = Self.kinds[key] {
        kind = k
        name = value
      }
      rest = rest.dropFirst()
    }
    guard let kind, let name, !name.isEmpty, let first = rest.first else { return nil }
    warning = level != "I"
    involved = ObjectRef(
      kind: kind, namespace: kind == "Node" ? nil : namespace.map(String.init), name: String(name))
    message = text[first.startIndex...]
  }
}
