extension PatternCatalog {
  /// Every name a shipped pattern's hit can give a log record's capture: each pattern's group
  /// names and the keys it `sets` (a detail's too), each of those under `event.` (the kubelet's
  /// record of an event carries the event's captures so, with `event.pattern`), and the names the
  /// ingestor adds itself (`podUID`, `containerID`, `podName`, `namespace`). Sorted, each once.
  /// A kept record writes a capture's name as its place here, one byte instead of the name
  /// (docs/architecture.md "Memory of the kubelet-log run"); a name not here keeps its bytes,
  /// so the list is only ever a saving; `PackedCompactFormsTests` holds it to the patterns.
  package static let shippedCaptureNames: [String] = [
    "action", "after", "apiVersion", "available", "backoff", "cgroup", "cmd", "code", "conditions", "configError",
    "constraint", "container", "containerID", "crash", "data", "detail", "error", "escaped", "event", "event.action",
    "event.after", "event.apiVersion", "event.available", "event.backoff", "event.cgroup", "event.cmd", "event.code",
    "event.conditions", "event.configError", "event.constraint", "event.container", "event.containerID",
    "event.crash", "event.data", "event.detail", "event.error", "event.escaped", "event.event", "event.exitCode",
    "event.failed", "event.fieldPath", "event.gracePeriod", "event.handler", "event.hook", "event.hookError",
    "event.image", "event.key", "event.kind", "event.legacyCmd", "event.legacyCode", "event.legacyContainerID",
    "event.legacyError", "event.legacyResource", "event.limit", "event.localPhase", "event.message", "event.mode",
    "event.name", "event.nameservers", "event.namespace", "event.node", "event.nodes", "event.object",
    "event.operation", "event.output", "event.override", "event.pattern", "event.phase", "event.pid", "event.pod",
    "event.podName", "event.podRef", "event.podUID", "event.pods", "event.preemption", "event.pressure",
    "event.probe", "event.process", "event.pullDetail", "event.pullError", "event.reason", "event.reasons",
    "event.request", "event.resource", "event.result", "event.retryAt", "event.retryIn", "event.runtime",
    "event.sandboxError", "event.sandboxID", "event.source", "event.state", "event.status", "event.statusCode",
    "event.threshold", "event.time", "event.type", "event.uid", "event.unattached", "event.uniqueName",
    "event.unmounted", "event.usage", "event.user", "event.victimCgroup", "event.volume", "event.volumeError",
    "exitCode", "failed", "fieldPath", "gracePeriod", "handler", "hook", "hookError", "image", "key", "kind",
    "legacyCmd", "legacyCode", "legacyContainerID", "legacyError", "legacyResource", "limit", "localPhase", "message",
    "mode", "name", "nameservers", "namespace", "node", "nodes", "object", "operation", "output", "override", "phase",
    "pid", "pod", "podName", "podRef", "podUID", "pods", "preemption", "pressure", "probe", "process", "pullDetail",
    "pullError", "reason", "reasons", "request", "resource", "result", "retryAt", "retryIn", "runtime",
    "sandboxError", "sandboxID", "source", "state", "status", "statusCode", "threshold", "time", "type", "uid",
    "unattached", "uniqueName", "unmounted", "usage", "user", "victimCgroup", "volume", "volumeError",
  ]
}
