import PodmortemCorrelate
import PodmortemModel

extension ContainerConfigErrorRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "an env var from a Secret that does not exist",
      .text(
        #"""
        Name:             api-7d9f8b6c5d-b4c6d
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:57:00 +0000
        Labels:           app=api
                          pod-template-hash=7d9f8b6c5d
        Annotations:      <none>
        Status:           Pending
        IP:               10.244.3.14
        IPs:
          IP:           10.244.3.14
        Controlled By:  ReplicaSet/api-7d9f8b6c5d
        Containers:
          api:
            Container ID:   
            Image:          registry.example.com/shop/api:1.8.0
            Image ID:       
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
        ▶      Reason:       CreateContainerConfigError
            Ready:          False
            Restart Count:  0
            Environment:
              DB_PASSWORD:  <set to the key 'password' in secret 'db-creds'>  Optional: false
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
          Type     Reason     Age               From               Message
          ----     ------     ----              ----               -------
          Normal   Scheduled  3m                default-scheduler  Successfully assigned default/api-7d9f8b6c5d-b4c6d to node-1
          Normal   Pulled     6s (x15 over 3m)  kubelet            Container image "registry.example.com/shop/api:1.8.0" already present on machine
        ▶  Warning  Failed     6s (x15 over 3m)  kubelet            Error: secret "db-creds" not found
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig, severity: .critical, container: "api",
          facts: [
            KeyValue("kind", "secret-missing"), KeyValue("object", "secret/db-creds"),
            KeyValue("reason", "CreateContainerConfigError"),
          ])
      ]),
    RuleExample(
      "\"Error: ErrImagePull\" is a pull failure, not a config error",
      .text(
        #"""
        Name:             api-6c8e7f9a4b-d5f7g
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:59:00 +0000
        Labels:           app=api
                          pod-template-hash=6c8e7f9a4b
        Annotations:      <none>
        Status:           Pending
        IP:               10.244.3.15
        IPs:
          IP:           10.244.3.15
        Controlled By:  ReplicaSet/api-6c8e7f9a4b
        Containers:
          api:
            Container ID:   
            Image:          registry.example.com/shop/api:1.9.0
            Image ID:       
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       ErrImagePull
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
          Type     Reason   Age   From     Message
          ----     ------   ----  ----     -------
          Normal   Pulling  45s   kubelet  Pulling image "registry.example.com/shop/api:1.9.0"
          Warning  Failed   44s   kubelet  Failed to pull image "registry.example.com/shop/api:1.9.0": failed to pull and unpack image "registry.example.com/shop/api:1.9.0": failed to resolve reference "registry.example.com/shop/api:1.9.0": failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.example.com/token?scope=repository%3Ashop%2Fapi%3Apull: 401 Unauthorized
          Warning  Failed   44s   kubelet  Error: ErrImagePull
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical, container: "api",
          facts: [KeyValue("pullError", "unauthorized")])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "secret missing",
      .pod("api-0", phase: "Pending") { p in
        p.container("api", state: .waiting(reason: "CreateContainerConfigError", message: nil))
        p.event(.warning, "Failed", "Error: secret \"db-creds\" not found", count: 6)
      },
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig, severity: .critical,
          facts: [KeyValue("kind", "secret-missing"), KeyValue("object", "secret/db-creds")],
          evidenceText: ["Error: secret \"db-creds\" not found", "CreateContainerConfigError"])
      ]),
    RuleExample(
      "key missing from a secret",
      .pod("api-1", phase: "Pending") { p in
        p.container("api", state: .waiting(reason: "CreateContainerConfigError", message: nil))
        p.event(.warning, "Failed", "Error: couldn't find key password in Secret default/db-creds")
      },
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig,
          facts: [
            KeyValue("kind", "secret-key-missing"), KeyValue("object", "secret/db-creds"), KeyValue("key", "password"),
          ])
      ]),
    RuleExample(
      "runAsNonRoot with a root image",
      .pod("api-2", phase: "Pending") { p in
        p.container("api", state: .waiting(reason: "CreateContainerConfigError", message: nil))
        p.event(
          .warning, "Failed",
          "Error: container has runAsNonRoot and image will run as root (pod: \"api-2_default(0f1c)\", container: api)")
      },
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig,
          facts: [KeyValue("kind", "run-as-non-root")])
      ]),
    RuleExample(
      "pull errors are not config errors",
      .pod("api-3") { p in
        p.container("api", state: .waiting(reason: "ErrImagePull", message: nil))
        p.event(.warning, "Failed", "Error: ErrImagePull")
      }),
    RuleExample(
      "Kubernetes 1.0: Docker refuses to create the container (lower-case reason 'failed')",
      .text(
        """
        Name:				valid-pod
        Image(s):			kubernetes/serve_hostname
        Host:				minion-1.c.example.internal/
        Labels:				name=valid-pod
        Status:				Pending
        Replication Controllers:	<none>
        Conditions:
          Type		Status
          Ready 	False 
        Events:
          FirstSeen				LastSeen			Count	From								SubobjectPath					Reason	Message
        ▶  Thu, 26 Mar 2015 22:44:20 -0700	Fri, 27 Mar 2015 11:38:38 -0700	4645	{kubelet minion-1.c.example.internal}	spec.containers{serve-hostname}	failed	Failed to create docker container with error: API error (500): Minimum memory limit allowed is 4MB
        """, now: "2015-03-27T18:40:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig, severity: .critical,
          facts: [KeyValue("kind", "other")])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: the Secret behind an env var does not exist",
      .text(
        #"""
        Events:
          Type     Reason     Age                 From     Message
          ----     ------     ----                ----     -------
          Normal   Pulled     12s (x6 over 70s)   kubelet  Container image "registry.example.com/shop/api:3.1.0" already present on machine
        ▶  Warning  Failed     12s (x6 over 70s)   kubelet  Error: secret "db-credentials" not found
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig, severity: .critical,
          facts: [KeyValue("kind", "secret-missing"), KeyValue("object", "secret/db-credentials")])
      ]),
    RuleExample(
      "a container's State lines alone: waiting in CreateContainerConfigError, the missing object not shown",
      .text(
        #"""
        ▶    State:          Waiting
        ▶      Reason:       CreateContainerConfigError
            Ready:          False
            Restart Count:  0
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "config.create-container-error", category: .containerConfig, severity: .critical,
          facts: [KeyValue("kind", "other"), KeyValue("reason", "CreateContainerConfigError")])
      ]),
    RuleExample(
      "headerless rows: \"Error: ErrImagePull\" is a pull failure, not a config error",
      .text(
        #"""
          Normal   Pulling    40s (x3 over 85s)  kubelet  Pulling image "registry.example.com/shop/api:3.1.0-rc1"
        ▶  Warning  Failed     39s (x3 over 84s)  kubelet  Failed to pull image "registry.example.com/shop/api:3.1.0-rc1": rpc error: code = NotFound desc = failed to pull and unpack image "registry.example.com/shop/api:3.1.0-rc1": failed to resolve reference "registry.example.com/shop/api:3.1.0-rc1": registry.example.com/shop/api:3.1.0-rc1: not found
        ▶  Warning  Failed     39s (x3 over 84s)  kubelet  Error: ErrImagePull
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "image.pull-failing", category: .imagePull, severity: .critical,
          facts: [KeyValue("pullError", "not-found")])
      ]),
  ]
}
