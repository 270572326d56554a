import Foundation
import PodmortemCorrelate
import PodmortemModel

extension StuckTerminatingRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "the runtime cannot kill the container: 47m past the grace deadline",
      .text(
        #"""
        Name:                      worker-5c9d7b8f6-t7k2m
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      node-1/10.0.0.5
        Start Time:                Thu, 26 Nov 2026 21:02:08 +0000
        Labels:                    app=worker
                                   pod-template-hash=5c9d7b8f6
        Annotations:               <none>
        ▶Status:                    Terminating (lasts 47m)
        ▶Termination Grace Period:  30s
        IP:                        10.244.2.17
        IPs:
          IP:           10.244.2.17
        Controlled By:  ReplicaSet/worker-5c9d7b8f6
        Containers:
          worker:
            Container ID:   containerd://8b1e0d4c2a7f9e6b5d3c1a0f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d
            Image:          registry.example.com/shop/worker:2.4.1
            Image ID:       registry.example.com/shop/worker@sha256:9e2b7c4d1f0a3e5c7b9d2f4a6c8e0b1d3f5a7c9e2b4d6f8a0c1e3b5d7f9a2c4e
            Port:           <none>
            Host Port:      <none>
            State:          Running
              Started:      Thu, 26 Nov 2026 21:02:11 +0000
            Ready:          False
            Restart Count:  0
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
          Type     Reason             Age                 From     Message
          ----     ------             ----                ----     -------
          Normal   Killing            48m                 kubelet  Stopping container worker
        ▶  Warning  FailedPreStopHook  47m                 kubelet  PreStopHook failed
        ▶  Warning  FailedKillPod      60s (x22 over 46m)  kubelet  error killing pod: [failed to "KillContainer" for "worker" with KillContainerError: "rpc error: code = DeadlineExceeded desc = context deadline exceeded", failed to "KillPodSandbox" for "0f1c3a52-7d4e-4b8a-9c1f-2e6d5a4b3c21" with KillPodSandboxError: "rpc error: code = DeadlineExceeded desc = context deadline exceeded"]
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .critical,
          facts: [
            KeyValue("cause", "kill-failed"), KeyValue("causes", "kill-failed,prestop-hook-failed"),
            KeyValue("overdueSeconds", "2820..2880"), KeyValue("graceSeconds", "30"), KeyValue("failedKills", "22"),
            KeyValue("alsoExplains", "lifecycle.hook-failed"),
          ])
      ]),
    RuleExample(
      "node lost: Terminating with reason NodeLost",
      .text(
        #"""
        Name:                      db-0
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      node-2/10.0.0.6
        Start Time:                Thu, 26 Nov 2026 20:14:37 +0000
        Labels:                    app=db
                                   statefulset.kubernetes.io/pod-name=db-0
        Annotations:               <none>
        ▶Status:                    Terminating (lasts 12m)
        Termination Grace Period:  30s
        ▶Reason:                    NodeLost
        Message:                   Node node-2 which was running pod db-0 is unresponsive
        IP:                        10.244.4.5
        IPs:
          IP:           10.244.4.5
        Controlled By:  StatefulSet/db
        Containers:
          db:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          postgres:16.4
            Image ID:       docker.io/library/postgres@sha256:7c3ad2f4e6b8d0a2c4e6f8b0d2a4c6e8f0b2d4a6c8e0f2b4d6a8c0e2f4b6d8a0
            Port:           5432/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Thu, 26 Nov 2026 20:14:40 +0000
            Ready:          False
            Restart Count:  0
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
          Type     Reason        Age   From             Message
          ----     ------        ----  ----             -------
        ▶  Warning  NodeNotReady  18m   node-controller  Node is not ready
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .critical,
          facts: [
            KeyValue("cause", "node-unreachable"), KeyValue("overdueSeconds", "720..780"), KeyValue("node", "node-2"),
            KeyValue("alsoExplains", "node.not-ready"),
          ])
      ]),
    RuleExample(
      "Terminating (lasts <invalid>) inside the grace period is a normal delete",
      .text(
        #"""
        Name:                      web-6d8f9c7b5-z2x4c
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      node-1/10.0.0.5
        Start Time:                Fri, 27 Nov 2026 00:10:00 +0000
        Labels:                    app=web
                                   pod-template-hash=6d8f9c7b5
        Annotations:               <none>
        Status:                    Terminating (lasts <invalid>)
        Termination Grace Period:  30s
        IP:                        10.244.1.7
        IPs:
          IP:           10.244.1.7
        Controlled By:  ReplicaSet/web-6d8f9c7b5
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          nginx:1.27
            Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
            Ready:          False
            Restart Count:  0
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
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Killing  12s   kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z")),
    RuleExample(
      "15s past the deadline with nothing holding it: the kubelet is still cleaning up",
      .text(
        #"""
        Name:                      web-6d8f9c7b5-z2x4c
        Namespace:                 default
        Priority:                  0
        Service Account:           default
        Node:                      node-1/10.0.0.5
        Start Time:                Fri, 27 Nov 2026 00:10:00 +0000
        Labels:                    app=web
                                   pod-template-hash=6d8f9c7b5
        Annotations:               <none>
        Status:                    Terminating (lasts 15s)
        Termination Grace Period:  30s
        IP:                        10.244.1.7
        IPs:
          IP:           10.244.1.7
        Controlled By:  ReplicaSet/web-6d8f9c7b5
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          nginx:1.27
            Image ID:       docker.io/library/nginx@sha256:0a399eb16751829e1af26fea27b20c3ec28d7ab1fb72182879dcae1cca21206a
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
            Ready:          False
            Restart Count:  0
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
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Killing  45s  kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z")),
    // Severity calibration: a Completed pod kept only by a finalizer is a broken controller, not a
    // workload down (warning); a running pod held the same way is critical.
    RuleExample(
      "the fixture's legacy-sync: Succeeded, kept 47 minutes by a finalizer whose controller is gone: warning",
      .text(
        #"""
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "creationTimestamp": "2026-11-24T17:50:00Z",
                "deletionGracePeriodSeconds": 0,
                "deletionTimestamp": "2026-11-27T00:12:52Z",
                "finalizers": [
                    "example.com/drain-protection"
                ],
                "generateName": "legacy-sync-5b7c9d6f8-",
                "labels": {
                    "app": "legacy-sync",
                    "pod-template-hash": "5b7c9d6f8"
                },
                "name": "legacy-sync-5b7c9d6f8-t6r4n",
                "namespace": "default",
                "ownerReferences": [
                    {
                        "apiVersion": "apps/v1",
                        "blockOwnerDeletion": true,
                        "controller": true,
                        "kind": "ReplicaSet",
                        "name": "legacy-sync-5b7c9d6f8",
                        "uid": "3ea143a3-59f7-5c85-97ac-5563a777a9aa"
                    }
                ],
                "resourceVersion": "249498",
                "uid": "d830d457-04b6-56eb-9ea6-8f6628b57df8"
            },
            "spec": {
                "containers": [
                    {
                        "image": "registry.example.com/ops/legacy-sync:0.4.1",
                        "imagePullPolicy": "IfNotPresent",
                        "name": "sync",
                        "resources": {
                            "requests": {
                                "cpu": "50m",
                                "memory": "64Mi"
                            }
                        },
                        "terminationMessagePath": "/dev/termination-log",
                        "terminationMessagePolicy": "File",
                        "volumeMounts": [
                            {
                                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                "name": "kube-api-access-f420d",
                                "readOnly": true
                            }
                        ]
                    }
                ],
                "dnsPolicy": "ClusterFirst",
                "enableServiceLinks": true,
                "nodeName": "worker-2",
                "preemptionPolicy": "PreemptLowerPriority",
                "priority": 0,
                "restartPolicy": "Always",
                "schedulerName": "default-scheduler",
                "securityContext": {},
                "serviceAccount": "default",
                "serviceAccountName": "default",
                "terminationGracePeriodSeconds": 30,
                "tolerations": [
                    {
                        "effect": "NoExecute",
                        "key": "node.kubernetes.io/not-ready",
                        "operator": "Exists",
                        "tolerationSeconds": 300
                    },
                    {
                        "effect": "NoExecute",
                        "key": "node.kubernetes.io/unreachable",
                        "operator": "Exists",
                        "tolerationSeconds": 300
                    }
                ],
                "volumes": [
                    {
                        "name": "kube-api-access-f420d",
                        "projected": {
                            "defaultMode": 420,
                            "sources": [
                                {
                                    "serviceAccountToken": {
                                        "expirationSeconds": 3607,
                                        "path": "token"
                                    }
                                },
                                {
                                    "configMap": {
                                        "items": [
                                            {
                                                "key": "ca.crt",
                                                "path": "ca.crt"
                                            }
                                        ],
                                        "name": "kube-root-ca.crt"
                                    }
                                },
                                {
                                    "downwardAPI": {
                                        "items": [
                                            {
                                                "fieldRef": {
                                                    "apiVersion": "v1",
                                                    "fieldPath": "metadata.namespace"
                                                },
                                                "path": "namespace"
                                            }
                                        ]
                                    }
                                }
                            ]
                        }
                    }
                ]
            },
            "status": {
                "conditions": [
                    {
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-27T00:12:51Z",
                        "status": "False",
                        "type": "PodReadyToStartContainers"
                    },
                    {
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-24T17:50:01Z",
                        "status": "True",
                        "type": "Initialized"
                    },
                    {
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-27T00:12:50Z",
                        "reason": "PodCompleted",
                        "status": "False",
                        "type": "Ready"
                    },
                    {
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-27T00:12:50Z",
                        "reason": "PodCompleted",
                        "status": "False",
                        "type": "ContainersReady"
                    },
                    {
                        "lastProbeTime": null,
                        "lastTransitionTime": "2026-11-24T17:50:00Z",
                        "status": "True",
                        "type": "PodScheduled"
                    }
                ],
                "containerStatuses": [
                    {
                        "containerID": "containerd://20e4b160e9e894396c426daaacf307a33c3f4caa63e681bb4ec580c8e3861fb9",
                        "image": "registry.example.com/ops/legacy-sync:0.4.1",
                        "imageID": "registry.example.com/ops/legacy-sync@sha256:703b375ef1a5ad42fa33f7214aa17fdf987e2c425c31f2064afeb512509910a1",
                        "lastState": {},
                        "name": "sync",
                        "ready": false,
                        "restartCount": 0,
                        "started": false,
                        "state": {
                            "terminated": {
                                "containerID": "containerd://20e4b160e9e894396c426daaacf307a33c3f4caa63e681bb4ec580c8e3861fb9",
                                "exitCode": 0,
                                "finishedAt": "2026-11-27T00:12:50Z",
                                "reason": "Completed",
                                "startedAt": "2026-11-24T17:50:10Z"
                            }
                        },
                        "volumeMounts": [
                            {
                                "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                                "name": "kube-api-access-f420d",
                                "readOnly": true,
                                "recursiveReadOnly": "Disabled"
                            }
                        ]
                    }
                ],
                "hostIP": "10.0.1.12",
                "hostIPs": [
                    {
                        "ip": "10.0.1.12"
                    }
                ],
                "phase": "Succeeded",
                "podIP": "10.244.2.87",
                "podIPs": [
                    {
                        "ip": "10.244.2.87"
                    }
                ],
                "qosClass": "Burstable",
                "startTime": "2026-11-24T17:50:01Z"
            }
        }
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .warning,
          facts: [
            KeyValue("cause", "finalizers"), KeyValue("completed", "true"),
            KeyValue("finalizers", "example.com/drain-protection"),
          ], evidenceText: ["legacy-sync-5b7c9d6f8-t6r4n"])
      ]),
    RuleExample(
      "a running container held only by a finalizer: critical",
      .pod("worker-1") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = ExamplePod.ago(20 * 60)
        p.snapshot.deletionGracePeriodSeconds = 30
        p.snapshot.finalizers = ["example.com/drain-protection"]
        p.podLine("Status:           Terminating (lasts 20m)")
        p.container("worker")
      },
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .critical,
          facts: [KeyValue("cause", "finalizers")])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "finalizer and failed kills, 47 minutes past the deadline",
      .pod("worker-0") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = ExamplePod.ago(47 * 60)
        p.snapshot.deletionGracePeriodSeconds = 30
        p.snapshot.finalizers = ["example.com/drain-protection"]
        p.podLine("Status:           Terminating (lasts 47m)")
        p.container("worker", preStop: "exec [sleep 40]")
        p.event(.warning, "FailedPreStopHook", "PreStopHook failed", lastAgo: 47 * 60)
        p.event(
          .warning, "FailedKillPod",
          "error killing pod: failed to \"KillContainer\" for \"worker\" with KillContainerError: "
            + "\"rpc error: code = DeadlineExceeded desc = context deadline exceeded\"", count: 22, lastAgo: 60,
          firstAgo: 46 * 60)
      },
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .critical,
          facts: [
            KeyValue("cause", "kill-failed"), KeyValue("causes", "kill-failed,finalizers,prestop-hook-failed"),
            KeyValue("overdueSeconds", "2820"), .int("graceSeconds", 30),
            KeyValue("finalizers", "example.com/drain-protection"), .int("failedKills", 22),
          ], evidenceText: ["Terminating (lasts 47m)", "FailedKillPod", "FailedPreStopHook"])
      ]),
    RuleExample(
      "node NotReady holds the pod",
      .pod("db-0") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = ExamplePod.ago(600)
        p.node("node-1", ready: "Unknown", reason: "NodeStatusUnknown")
        p.container("db")
      },
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, facts: [KeyValue("cause", "node-unreachable")],
          evidenceText: ["Ready  Unknown"])
      ]),
    RuleExample(
      "Terminating (lasts <invalid>) during the grace period is normal",
      .pod("web-0") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionTimestamp = TimeRange(exactly: ExamplePod.now.addingTimeInterval(20))
        p.snapshot.deletionGracePeriodSeconds = 30
        p.snapshot.finalizers = ["example.com/x"]
        p.podLine("Status:           Terminating (lasts <invalid>)")
        p.container("web", preStop: "exec [sleep 40]")
      }),
    RuleExample(
      "lasts <invalid> with no deletion time parsed",
      .pod("web-1") { p in
        p.snapshot.terminating = true
        p.snapshot.deletionInFuture = true
        p.podLine("Status:           Terminating (lasts <invalid>)")
        p.container("web")
      }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "the describe's status lines and Events alone: the runtime cannot kill the container, 47m past the deadline",
      .text(
        #"""
        ▶Status:                    Terminating (lasts 47m)
        Termination Grace Period:  30s
        Events:
          Type     Reason         Age                 From     Message
          ----     ------         ----                ----     -------
          Normal   Killing        48m                 kubelet  Stopping container worker
        ▶  Warning  FailedKillPod  2m (x24 over 47m)   kubelet  error killing pod: failed to "KillContainer" for "worker" with KillContainerError: "rpc error: code = Unknown desc = failed to kill container: context deadline exceeded"
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .critical,
          facts: [
            KeyValue("cause", "kill-failed"), KeyValue("failedKills", "24"), KeyValue("graceSeconds", "30"),
            KeyValue("overdueSeconds", "2820..2880"),
          ])
      ]),
    RuleExample(
      "the describe's status lines and Events alone: Terminating (lasts <invalid>) inside the grace period",
      .text(
        #"""
        Status:                    Terminating (lasts <invalid>)
        Termination Grace Period:  30s
        Events:
          Type    Reason   Age   From     Message
          ----    ------   ----  ----     -------
          Normal  Killing  6s    kubelet  Stopping container web
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "get pods rows alone: Terminating with no container ready, since when not shown (info)",
      .text(
        #"""
        ▶my-nginx-9927561668-rf4d0    0/1       Terminating   0          20h
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "terminating.stuck", category: .stuckTerminating, severity: .info,
          facts: [KeyValue("cause", "unknown"), KeyValue("ready", "0/1")])
      ]),
    RuleExample(
      "a get pods row Terminating with its container still ready: the kubelet is stopping it",
      .text(
        #"""
        NAME                   READY   STATUS        RESTARTS   AGE
        cart-7c9d8f6b5-n5k8p   1/1     Terminating   0          5h42m
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}
