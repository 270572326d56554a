import PodmortemModel

extension PodSnapshot {
  /// The pod's STATUS as `kubectl get pods` would print it (docs/kubernetes.md §3.4): the column itself
  /// when a source showed it, otherwise derived from the phase, reason, init containers and
  /// containers the snapshot holds (describe shows only the phase: `Running` for a pod in
  /// CrashLoopBackOff).
  package var kubectlStatus: String? {
    if let displayStatus { return displayStatus }
    var status = reason ?? phase
    let inits = containers.filter { $0.role == .initContainer }
    var initializing = false
    for (i, c) in inits.enumerated() {
      if case .terminated(let t) = c.state, t.exitCode == 0 { continue }
      if c.restartPolicyAlways, c.started == true { continue }
      initializing = true
      switch c.state {
      case .terminated(let t):
        status = "Init:" + (t.reason ?? (t.signal.map { "Signal:\($0)" } ?? "ExitCode:\(t.exitCode)"))
      case .waiting(let reason?, _) where reason != "PodInitializing":
        status = "Init:" + reason
      default:
        status = "Init:\(i)/\(inits.count)"
      }
      break
    }
    if !initializing {
      for c in containers.reversed() where c.role == .container {
        switch c.state {
        case .waiting(let reason?, _) where !reason.isEmpty: status = reason
        case .terminated(let t):
          status = t.reason ?? (t.signal.map { "Signal:\($0)" } ?? "ExitCode:\(t.exitCode)")
        default: break
        }
      }
    }
    if deletionTimestamp != nil || terminating {
      if reason == "NodeLost" { return "Unknown" }
      if phase != "Failed" && phase != "Succeeded" { return "Terminating" }
    }
    return status
  }
}
