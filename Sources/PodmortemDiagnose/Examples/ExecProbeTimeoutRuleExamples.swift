import PodmortemCorrelate
import PodmortemModel

extension ExecProbeTimeoutRule {
  package static let examples: [RuleExample] = [
    RuleExample(
      "a journald kubelet line alone: ExecSync hit its deadline",
      .text(
        #"""
        ▶Jul  9 00:32:48 node-1 kubelet[6781]: E0709 00:32:48.042859    6781 remote_runtime.go:479] "ExecSync cmd from runtime service failed" err="rpc error: code = DeadlineExceeded desc = context deadline exceeded" containerID="5c82a1e07d9b36f4e2a8c0d15b7f93e6a4d2c18b0e5f7a39d6c1b4e82f07a5d9" cmd=[/bin/sh -c test ! -f /tmp/not-ready]
        """#, now: "2026-07-09T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.exec-timeout", category: .probeFailure, severity: .warning,
          facts: [
            KeyValue("mode", "exec-timeout"), KeyValue("failures", "1"),
            KeyValue("command", "/bin/sh -c test ! -f /tmp/not-ready"),
          ])
      ]),
    RuleExample(
      "a kubelet before structured logging",
      .text(
        #"""
        ▶E0312 10:01:02.000001    2201 remote_runtime.go:351] ExecSync 0f1c2d3e4a5b6c7d '/bin/sh -c redis-cli ping' from runtime service failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded
        ▶E0312 10:01:12.000001    2201 remote_runtime.go:351] ExecSync 0f1c2d3e4a5b6c7d '/bin/sh -c redis-cli ping' from runtime service failed: rpc error: code = DeadlineExceeded desc = context deadline exceeded
        """#, now: "2026-03-12T10:05:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.exec-timeout", category: .probeFailure, severity: .warning,
          facts: [KeyValue("failures", "2"), KeyValue("containerID", "0f1c2d3e4a5b6c7d")])
      ]),
    RuleExample(
      "near miss: ExecSync into a container that has exited is no timeout",
      .text(
        #"""
        E0709 00:32:48.042859    6781 remote_runtime.go:479] "ExecSync cmd from runtime service failed" err="rpc error: code = NotFound desc = failed to exec in container: container is in CONTAINER_EXITED state" containerID="5c82a1e07d9b" cmd=[pg_isready]
        """#, now: "2026-07-09T01:00:00Z")),
  ]
}
