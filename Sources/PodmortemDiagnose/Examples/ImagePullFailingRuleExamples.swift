import PodmortemCorrelate
import PodmortemModel

extension ImagePullFailingRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "the tag does not exist",
      .text(
        #"""
        Name:             web-5f6d7c8b9-w2q4e
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:55:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Pending
        IP:               10.244.1.30
        IPs:
          IP:           10.244.1.30
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   
            Image:          nginx:1.99
            Image ID:       
            Port:           80/TCP
            Host Port:      0/TCP
            State:          Waiting
        ▶      Reason:       ImagePullBackOff
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
          Type     Reason     Age                   From               Message
          ----     ------     ----                  ----               -------
          Normal   Scheduled  5m                    default-scheduler  Successfully assigned default/web-5f6d7c8b9-w2q4e to node-1
          Normal   Pulling    2m9s (x5 over 5m)     kubelet            Pulling image "nginx:1.99"
        ▶  Warning  Failed     2m8s (x5 over 4m59s)  kubelet            Failed to pull image "nginx:1.99": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:1.99": failed to resolve reference "docker.io/library/nginx:1.99": docker.io/library/nginx:1.99: not found
        ▶  Warning  Failed     2m8s (x5 over 4m59s)  kubelet            Error: ErrImagePull
        ▶  Normal   BackOff    4s (x20 over 4m58s)   kubelet            Back-off pulling image "nginx:1.99"
          Warning  Failed     4s (x20 over 4m58s)   kubelet            Error: ImagePullBackOff
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical, container: "web",
          facts: [
            KeyValue("pullError", "not-found"), KeyValue("image", "nginx:1.99"), KeyValue("pullFailures", "5"),
            KeyValue("reason", "ImagePullBackOff"),
          ])
      ]),
    RuleExample(
      "one registry timeout, then the pull succeeded",
      .text(
        #"""
        Name:             web-5f6d7c8b9-v7t3r
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.31
        IPs:
          IP:           10.244.1.31
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:11:02 +0000
            Ready:          True
            Restart Count:  0
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
          Type     Reason     Age                From               Message
          ----     ------     ----               ----               -------
          Normal   Scheduled  50m                default-scheduler  Successfully assigned default/web-5f6d7c8b9-v7t3r to node-1
          Normal   Pulling    49m (x2 over 50m)  kubelet            Pulling image "registry.example.com/shop/web:4.2.0"
          Warning  Failed     49m                kubelet            Failed to pull image "registry.example.com/shop/web:4.2.0": rpc error: code = DeadlineExceeded desc = failed to pull and unpack image "registry.example.com/shop/web:4.2.0": failed to resolve reference "registry.example.com/shop/web:4.2.0": failed to do request: Head "https://registry.example.com/v2/shop/web/manifests/4.2.0": dial tcp 10.20.0.8:443: i/o timeout
          Warning  Failed     49m                kubelet            Error: ErrImagePull
          Normal   BackOff    49m                kubelet            Back-off pulling image "registry.example.com/shop/web:4.2.0"
          Warning  Failed     49m                kubelet            Error: ImagePullBackOff
          Normal   Pulled     49m                kubelet            Successfully pulled image "registry.example.com/shop/web:4.2.0" in 2.417s (2.417s including waiting). Image size: 48213577 bytes.
          Normal   Created    49m                kubelet            Created container: web
          Normal   Started    49m                kubelet            Started container web
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "tag does not exist",
      .pod("web-0") { p in
        p.container("web", state: .waiting(reason: "ImagePullBackOff", message: nil), image: "nginx:1.99")
        p.event(
          .warning, "Failed",
          "Failed to pull image \"nginx:1.99\": rpc error: code = NotFound desc = failed to pull and unpack image "
            + "\"docker.io/library/nginx:1.99\": failed to resolve reference \"docker.io/library/nginx:1.99\": "
            + "docker.io/library/nginx:1.99: not found", count: 4)
        p.event(.normal, "BackOff", "Back-off pulling image \"nginx:1.99\"", count: 12)
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical, container: "web",
          facts: [KeyValue("pullError", "not-found"), KeyValue("image", "nginx:1.99"), .int("pullFailures", 4)],
          evidenceText: ["Failed to pull image", "Back-off pulling image"])
      ]),
    RuleExample(
      "private registry without credentials",
      .pod("web-1") { p in
        p.container("web", state: .waiting(reason: "ErrImagePull", message: nil), image: "registry.example.com/app:1")
        p.event(
          .warning, "Failed",
          "Failed to pull image \"registry.example.com/app:1\": failed to authorize: failed to fetch anonymous token: "
            + "unexpected status from GET request: 401 Unauthorized")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "unauthorized")])
      ]),
    RuleExample(
      "Docker Hub rate limit",
      .pod("web-2") { p in
        p.container("web", state: .waiting(reason: "ErrImagePull", message: nil))
        p.event(
          .warning, "Failed",
          "Failed to pull image \"redis:7\": 429 Too Many Requests - Server message: toomanyrequests: You have reached "
            + "your pull rate limit")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "rate-limited")])
      ]),
    RuleExample(
      "arm64 node, amd64-only image",
      .pod("web-3") { p in
        p.container("web", state: .waiting(reason: "ErrImagePull", message: nil))
        p.event(
          .warning, "Failed",
          "Failed to pull image \"example/app:1\": no matching manifest for linux/arm64 in the manifest list entries")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "wrong-architecture")])
      ]),
    RuleExample(
      "imagePullPolicy Never, image absent",
      .pod("web-4") { p in
        p.container("web", state: .waiting(reason: "ErrImageNeverPull", message: nil))
        p.event(
          .warning, "ErrImageNeverPull",
          "Container image \"example/app:1\" is not present with pull policy of Never")
      },
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "never-pull")])
      ]),
    RuleExample(
      "registry DNS failure",
      .pod("web-5") { p in
        p.container("web", state: .waiting(reason: "ImagePullBackOff", message: nil))
        p.event(
          .warning, "Failed",
          "Failed to pull image \"reg.internal/app:1\": dial tcp: lookup reg.internal on 10.96.0.10:53: no such host")
      },
      expect: [
        ExpectedFinding(ruleID: "image.pull-failing", category: .imagePull, facts: [KeyValue("pullError", "network")])
      ]),
    RuleExample(
      "pulled in the end, running",
      .pod("web-6") { p in
        p.container("web")
        p.event(.warning, "Failed", "Failed to pull image \"redis:7\": i/o timeout", lastAgo: 3000)
      }),
    RuleExample(
      "an OpenShift 3 FailedSync: the pod's infrastructure image cannot be pulled",
      .text(
        """
        LASTSEEN   FIRSTSEEN   COUNT     NAME               KIND      SUBOBJECT   TYPE      REASON       SOURCE                        MESSAGE
        59m        59m         1         registry-1-deploy  Pod                   Normal    Scheduled    {default-scheduler }          Successfully assigned registry-1-deploy to node1.example.com
        ▶58m        58m         1         registry-1-deploy  Pod                   Warning   FailedSync   {kubelet node1.example.com}   Error syncing pod, skipping: failed to "StartContainer" for "POD" with ErrImagePull: "net/http: request canceled"
        """, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical,
          facts: [KeyValue("pullError", "network")])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: the tag does not exist, pulls backing off",
      .text(
        #"""
        Events:
          Type     Reason     Age                From     Message
          ----     ------     ----               ----     -------
          Normal   Pulling    2m (x4 over 3m)    kubelet  Pulling image "registry.example.com/shop/web:2.4.9"
        ▶  Warning  Failed     2m (x4 over 3m)    kubelet  Failed to pull image "registry.example.com/shop/web:2.4.9": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/web:2.4.9": failed to resolve reference "registry.example.com/shop/web:2.4.9": registry.example.com/shop/web:2.4.9: not found
        ▶  Warning  Failed     2m (x4 over 3m)    kubelet  Error: ErrImagePull
          Normal   BackOff    90s (x6 over 3m)   kubelet  Back-off pulling image "registry.example.com/shop/web:2.4.9"
          Warning  Failed     90s (x6 over 3m)   kubelet  Error: ImagePullBackOff
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical,
          facts: [KeyValue("pullError", "not-found"), KeyValue("pullFailures", "4")])
      ]),
    RuleExample(
      "an Events table alone: one registry timeout, then the pull succeeded and the container started",
      .text(
        #"""
        Events:
          Type     Reason     Age                From     Message
          ----     ------     ----               ----     -------
          Normal   Pulling    5m (x2 over 6m)    kubelet  Pulling image "registry.example.com/shop/web:2.4.9"
          Warning  Failed     6m                 kubelet  Failed to pull image "registry.example.com/shop/web:2.4.9": rpc error: code = Unknown desc = failed to pull and unpack image "registry.example.com/shop/web:2.4.9": failed to resolve reference "registry.example.com/shop/web:2.4.9": failed to do request: Head "https://registry.example.com/v2/shop/web/manifests/2.4.9": dial tcp 10.0.0.40:443: i/o timeout
          Warning  Failed     6m                 kubelet  Error: ErrImagePull
          Normal   Pulled     5m                 kubelet  Successfully pulled image "registry.example.com/shop/web:2.4.9" in 4.2s (4.2s including waiting). Image size: 48213712 bytes.
          Normal   Created    5m                 kubelet  Created container: web
          Normal   Started    5m                 kubelet  Started container web
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "a pre-1.0 get pods table: both containers wait on images that do not exist",
      .text(
        #"""
        POD       IP          CONTAINER(S)   IMAGE(S)    HOST                  LABELS    STATUS    CREATED          MESSAGE
        foo       10.0.0.53                              127.0.0.1/127.0.0.1   <none>    Pending   About a minute
                              bar1           fooimage1                                   Waiting                    Error: image library/fooimage1:latest not found
                              bar2           fooimage2                                   Waiting                    Error: image library/fooimage2:latest not found
        """#, now: "2015-05-10T12:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, container: "bar1",
          facts: [KeyValue("pullError", "not-found"), KeyValue("image", "fooimage1")],
          evidenceText: ["bar1           fooimage1"]),
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, container: "bar2",
          facts: [KeyValue("pullError", "not-found"), KeyValue("image", "fooimage2")],
          evidenceText: ["bar2           fooimage2"]),
      ]),
    RuleExample(
      "a pre-1.0 get pods table: the container is running",
      .text(
        #"""
        POD       IP          CONTAINER(S)   IMAGE(S)    HOST                  LABELS    STATUS    CREATED          MESSAGE
        foo       10.0.0.53                              127.0.0.1/127.0.0.1   <none>    Running   About a minute
                              bar1           fooimage1                                   Running   About a minute
        """#, now: "2015-05-10T12:00:00Z"), expect: []),
  ]
}
