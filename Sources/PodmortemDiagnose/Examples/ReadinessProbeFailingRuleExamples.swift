import Foundation
import PodmortemCorrelate
import PodmortemModel

extension ReadinessProbeFailingRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "503 from /ready: out of the endpoints, never restarted",
      .text(
        #"""
        Name:             web-1
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.7
        IPs:
          IP:  10.244.1.7
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          nginx:1.27
            Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
        ▶    Ready:          False
            Restart Count:  0
            Liveness:       http-get http://:80/healthz delay=0s timeout=1s period=10s #success=1 #failure=3
        ▶    Readiness:      http-get http://:80/ready delay=0s timeout=1s period=10s #success=1 #failure=3
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            ConfigMapOptional:       <nil>
            DownwardAPI:             true
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason     Age                 From               Message
          ----     ------     ----                ----               -------
          Normal   Scheduled  50m                 default-scheduler  Successfully assigned default/web-1 to node-1
          Normal   Pulled     50m                 kubelet            Container image "nginx:1.27" already present on machine
          Normal   Created    50m                 kubelet            Created container: web
          Normal   Started    49m                 kubelet            Started container web
        ▶  Warning  Unhealthy  5s (x290 over 49m)  kubelet            Readiness probe failed: HTTP probe failed with statuscode: 503
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .warning, container: "web",
          facts: [
            KeyValue("probe", "readiness"), KeyValue("mode", "http-status"), KeyValue("statusCode", "503"),
            KeyValue("failures", "290"), KeyValue("ready", "false"), KeyValue("restarts", "0"),
          ])
      ]),
    RuleExample(
      "a redirect to another host is a ProbeWarning, not a failure",
      .text(
        #"""
        Name:             web-2
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.7
        IPs:
          IP:  10.244.1.7
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          nginx:1.27
            Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
            Ready:          True
            Restart Count:  0
            Readiness:      http-get http://:80/ready delay=0s timeout=1s period=10s #success=1 #failure=3
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       True 
          ContainersReady             True 
          PodScheduled                True 
        Volumes:
          kube-api-access-x7k2p:
            Type:                    Projected (a volume that contains injected data from multiple sources)
            TokenExpirationSeconds:  3607
            ConfigMapName:           kube-root-ca.crt
            ConfigMapOptional:       <nil>
            DownwardAPI:             true
        QoS Class:                   BestEffort
        Node-Selectors:              <none>
        Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                                     node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
        Events:
          Type     Reason        Age                 From     Message
          ----     ------        ----                ----     -------
          Normal   Started       49m                 kubelet  Started container web
          Warning  ProbeWarning  8s (x295 over 49m)  kubelet  Readiness probe warning: Probe terminated redirects, Response body: <html><body>Moved</body></html>
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "`journalctl -u kubelet` probe lines alone",
      .text(
        #"""
        ▶Nov 27 00:58:21 node-1 kubelet[2291]: I1127 00:58:21.118203    2291 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-1" podUID="7e1c2a9b-3d4f-4a6b-8c0d-2e4f6a8b0c1d" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 503"
        ▶Nov 27 00:58:31 node-1 kubelet[2291]: I1127 00:58:31.117954    2291 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-1" podUID="7e1c2a9b-3d4f-4a6b-8c0d-2e4f6a8b0c1d" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 503"
        ▶Nov 27 00:58:41 node-1 kubelet[2291]: I1127 00:58:41.118377    2291 prober.go:107] "Probe failed" probeType="Readiness" pod="default/web-1" podUID="7e1c2a9b-3d4f-4a6b-8c0d-2e4f6a8b0c1d" containerName="web" probeResult="failure" output="HTTP probe failed with statuscode: 503"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .warning, container: "web",
          facts: [
            KeyValue("probe", "readiness"), KeyValue("mode", "http-status"), KeyValue("statusCode", "503"),
            KeyValue("failures", "3"),
          ])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "503 keeps the container out of endpoints",
      .pod("web-1") { p in
        p.container("web", ready: false, probes: [.readiness: .http(8080, "/ready")])
        p.event(
          .warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 20,
          lastAgo: 10, firstAgo: 600)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .warning, container: "web",
          facts: [
            KeyValue("probe", "readiness"), KeyValue("mode", "http-status"), .int("statusCode", 503),
            .int("failures", 20), KeyValue("ready", "false"),
          ], evidenceText: ["Readiness probe failed", "Readiness:"])
      ]),
    RuleExample(
      "refused during start-up, ready now",
      .pod("web-2") { p in
        p.container("web", ready: true, probes: [.readiness: .http(8080, "/ready")])
        p.event(
          .warning, "Unhealthy",
          "Readiness probe failed: Get \"http://10.1.2.3:8080/ready\": dial tcp 10.1.2.3:8080: connect: connection refused",
          count: 2, lastAgo: 3500, firstAgo: 3510)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .info,
          facts: [KeyValue("mode", "refused"), KeyValue("ready", "true")])
      ]),
    // Severity calibration: failures only inside the start-up window (initialDelaySeconds +
    // failureThreshold × periodSeconds + timeoutSeconds after the start) are the app starting.
    RuleExample(
      "ready now, failed only in its first 31 s: info",
      .pod("web-4") { p in
        p.container("web", ready: true, probes: [.readiness: .http(8080, "/ready")])
        p.event(
          .warning, "Unhealthy",
          "Readiness probe failed: Get \"http://10.1.2.4:8080/ready\": dial tcp 10.1.2.4:8080: connect: connection refused",
          count: 3, lastAgo: 3575, firstAgo: 3595)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .info,
          facts: [KeyValue("startupOnly", "true"), KeyValue("ready", "true"), .int("failures", 3)])
      ]),
    RuleExample(
      "started 20 s ago, not ready yet, still inside its 41 s start-up window: info",
      .pod("web-5") { p in
        p.container(
          "web", state: .running(startedAt: ExamplePod.ago(20)), ready: false,
          probes: [.readiness: .http(8080, "/ready", delay: 10)])
        p.event(
          .warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 2,
          lastAgo: 8, firstAgo: 14)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .info,
          facts: [KeyValue("startupOnly", "true"), KeyValue("ready", "false")])
      ]),
    RuleExample(
      "failed only while starting an hour ago, yet still not ready: warning",
      .pod("web-6") { p in
        p.container("web", ready: false, probes: [.readiness: .http(8080, "/ready")])
        p.event(
          .warning, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503", count: 3,
          lastAgo: 3575, firstAgo: 3595)
      },
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .warning,
          facts: [KeyValue("startupOnly", "true"), KeyValue("ready", "false")])
      ]),
    RuleExample(
      "liveness failures are not readiness failures",
      .pod("web-3") { p in
        p.container("web", probes: [.liveness: .http(8080, "/healthz")])
        p.event(.warning, "Unhealthy", "Liveness probe failed: HTTP probe failed with statuscode: 500")
      }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone with a readiness ProbeWarning (a redirect): a warning, not a failure",
      .text(
        #"""
        Events:
          Type     Reason        Age                  From     Message
          ----     ------        ----                 ----     -------
          Warning  ProbeWarning  3m (x12 over 5m)     kubelet  Readiness probe warning: Probe terminated redirects, Response body: <a href="https://login.example.com/">Found</a>.
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "a get events row alone: refused once, fewer than failureThreshold: info",
      .text(
        #"""
        ▶kube-system     3m          3m           1       canal-hgqfr.158111ce45c6fe5f                             Pod         spec.containers{calico-node}                Warning   Unhealthy                 kubelet, 10.150.162.241      Readiness probe failed: Get http://10.150.162.241:9099/readiness: dial tcp 10.150.162.241:9099: connect: connection refused
        """#, now: "2019-01-20T12:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "probe.readiness-failing", category: .probeFailure, severity: .info,
          facts: [KeyValue("mode", "refused"), KeyValue("failures", "1"), KeyValue("belowThreshold", "true")])
      ]),
  ]
}
