import Foundation
import PodmortemModel

/// The container state a crash-loop sync error shows, for input that holds the kubelet's words but
/// not the pod: a journal excerpt, or a pre-1.9 `FailedSync` event, pasted into a ticket.
///
/// The sync error `failed to "StartContainer" for "c" with CrashLoopBackOff: "back-off 5m0s
/// restarting failed container=c pod=…"` is the text the kubelet also sets as the container's
/// waiting message (kubernetes/pkg/kubelet/kuberuntime/kuberuntime_manager.go, `doBackOff`), so the
/// line is a snapshot of that container waiting in CrashLoopBackOff. The pod comes from the line's
/// own captures (`pod="ns/name"`, or `name_namespace(uid)`); a line that names no pod gives nothing.
/// Probe lines need no such step: the probe rules read them as they are.
enum BackOffFacts {
  /// Whether `id` is one of the back-off patterns, asked of every log record. It was a
  /// `Set<String>` of the three, whose look-up hashed the id (about 500 instructions a line, most
  /// of which are not back-off lines); now the id's length in bytes picks the one id to compare
  /// it with (callgrind, docs/architecture.md "Speed of the kubelet-log path"). The answer is the
  /// set's for every spelling (`BackOffIdTests`, which keeps the set): the three are ASCII
  /// without `K`, `;` or `` ` ``, the only ASCII characters a non-ASCII one decomposes to alone
  /// (U+212A KELVIN SIGN, U+037E, U+1FEF; Unicode's canonical decompositions), so a string `==`
  /// to one of them is its very bytes, of its length.
  static func isBackOff(_ id: String) -> Bool {
    switch id.utf8.count {
    case 26: id == "kubelet.backoff-restarting"
    case 29: id == "kubelet.sync-crashloopbackoff"
    case 36: id == "kubelet.sync-crashloopbackoff-legacy"
    default: false
    }
  }

  /// The namespace and name of the pod the line names.
  static func pod(of log: LogRecord) -> (namespace: String?, name: String)? {
    if let pod = log.capture("pod") {
      let parts = pod.split(separator: "/", maxSplits: 1).map(String.init)
      return parts.count == 2 ? (parts[0], parts[1]) : (log.capture("namespace"), pod)
    }
    if let name = log.capture("podName"), !name.isEmpty { return (log.capture("namespace"), name) }
    return nil
  }

  /// The pod as a pre-1.9 `FailedSync` event with a CrashLoopBackOff sync error shows it: the
  /// same back-off message is the container's waiting message. The pod is the event's object, else
  /// the one its message names, else the unnamed pod of its pasted block.
  static func snapshot(from event: Event) -> PodSnapshot? {
    guard event.patternID == "event.failedsync-crashloopbackoff", let container = event.capture("container"),
      let backoff = event.capture("backoff")
    else { return nil }
    var pod: PodSnapshot
    if !event.involved.name.isEmpty {
      pod = PodSnapshot(name: event.involved.name, namespace: event.involved.namespace ?? event.capture("namespace"))
    } else if let name = event.capture("podName") {
      pod = PodSnapshot(name: name, namespace: event.capture("namespace"))
    } else if let block = event.involved.pastedAt {
      pod = PodSnapshot(name: "")
      pod.pastedAt = block
    } else {
      return nil
    }
    var c = ContainerSnapshot(name: container)
    c.state = .waiting(
      reason: "CrashLoopBackOff", message: "back-off \(backoff) restarting failed container=\(container)")
    c.waitingDetail = [KeyValue("backoff", backoff)]
    c.evidence = event.evidence
    pod.containers = [c]
    pod.evidence = event.evidence
    return pod
  }

  /// The pod as a back-off line shows it: its container waiting in CrashLoopBackOff with the
  /// kubelet's back-off message (`back-off 5m0s restarting failed container=c pod=…`).
  static func snapshot(from log: LogRecord) -> PodSnapshot? {
    guard let id = log.patternID, isBackOff(id), let (namespace, name) = pod(of: log),
      let container = log.capture("container"), let backoff = log.capture("backoff")
    else { return nil }
    var pod = PodSnapshot(name: name, namespace: namespace)
    var c = ContainerSnapshot(name: container)
    c.state = .waiting(
      reason: "CrashLoopBackOff",
      message: "back-off \(backoff) restarting failed container=\(container) pod=\(name)_\(namespace ?? "")")
    c.waitingDetail = [KeyValue("backoff", backoff)]
    c.evidence = [log.evidence]
    pod.containers = [c]
    pod.evidence = [log.evidence]
    return pod
  }
}
