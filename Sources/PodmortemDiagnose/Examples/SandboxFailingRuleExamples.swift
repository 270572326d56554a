import PodmortemCorrelate
import PodmortemModel

extension SandboxFailingRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "calico is not authorised: no sandbox, no containers",
      .text(
        #"""
        Name:             web-5f6d7c8b9-s9d8f
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:54:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Pending
        IP:               
        IPs:              <none>
        Controlled By:    ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Waiting
              Reason:       ContainerCreating
            Ready:          False
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   False 
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
          Type     Reason                  Age               From               Message
          ----     ------                  ----              ----               -------
          Normal   Scheduled               6m                default-scheduler  Successfully assigned default/web-5f6d7c8b9-s9d8f to node-1
        ▶  Warning  FailedCreatePodSandBox  9s (x26 over 6m)  kubelet            Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "5d1c9e7a3b2f4d6e8a0c1b3d5f7e9a2c4b6d8f0e1a3c5b7d9f2e4a6c8b0d1e3f": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "sandbox.failing", category: .sandbox, severity: .critical,
          facts: [KeyValue("kind", "cni"), KeyValue("failures", "26")])
      ]),
    RuleExample(
      "one sandbox change after the node rebooted, running again",
      .text(
        #"""
        Name:             web-5f6d7c8b9-t1y2u
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=web
                          pod-template-hash=5f6d7c8b9
        Annotations:      <none>
        Status:           Running
        IP:               10.244.1.50
        IPs:
          IP:           10.244.1.50
        Controlled By:  ReplicaSet/web-5f6d7c8b9
        Containers:
          web:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          registry.example.com/shop/web:4.2.0
            Image ID:       registry.example.com/shop/web@sha256:2b4d6f8a0c2e4b6d8f0a2c4e6b8d0f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e2b4d
            Port:           8080/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:42:31 +0000
            Last State:     Terminated
              Reason:       Unknown
              Exit Code:    255
              Started:      Fri, 27 Nov 2026 00:10:05 +0000
              Finished:     Fri, 27 Nov 2026 00:41:50 +0000
            Ready:          True
            Restart Count:  1
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
          Type    Reason          Age   From     Message
          ----    ------          ----  ----     -------
          Normal  SandboxChanged  18m   kubelet  Pod sandbox changed, it will be killed and re-created.
          Normal  Pulled          18m   kubelet  Container image "registry.example.com/shop/web:4.2.0" already present on machine
          Normal  Created         18m   kubelet  Created container: web
          Normal  Started         18m   kubelet  Started container web
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(ruleID: "container.exit-code", category: .containerExit, severity: .info, container: "web")
      ]),
    RuleExample(
      "a kubelet journal alone: the sandbox cannot be created because the CNI is not configured",
      .text(
        #"""
        ▶Nov 27 00:58:41 node-1 kubelet[18578]: E1127 00:58:41.732883   18578 kuberuntime_sandbox.go:54] CreatePodSandbox for pod "kube-apiserver-node-1_kube-system(4c1e9a07d3b58f26e0a7c4d91b3f5e82)" failed: rpc error: code = 2 desc = NetworkPlugin cni failed to set up pod "kube-apiserver-node-1_kube-system" network: cni config uninitialized
        ▶Nov 27 00:58:51 node-1 kubelet[18578]: E1127 00:58:51.734110   18578 kuberuntime_sandbox.go:54] CreatePodSandbox for pod "kube-apiserver-node-1_kube-system(4c1e9a07d3b58f26e0a7c4d91b3f5e82)" failed: rpc error: code = 2 desc = NetworkPlugin cni failed to set up pod "kube-apiserver-node-1_kube-system" network: cni config uninitialized
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "sandbox.failing", category: .sandbox, severity: .critical,
          facts: [KeyValue("kind", "cni"), .int("failures", 2)])
      ]),
    RuleExample(
      "an Events table alone, kubelet 1.9 wording: the node cannot pull the pause image through its proxy",
      .text(
        #"""
          Normal   SandboxChanged          4m (x11 over 64m)  kubelet, node-3  Pod sandbox changed, it will be killed and re-created.
        ▶  Warning  FailedCreatePodSandBox  4m (x76 over 64m)  kubelet, node-3  Failed create pod sandbox: rpc error: code = Unknown desc = failed pulling image "k8s.gcr.io/pause:3.1": Error response from daemon: Get https://k8s.gcr.io/v2/: net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "sandbox.failing", category: .sandbox, severity: .critical,
          facts: [
            KeyValue("kind", "pause-image"), .int("failures", 76), KeyValue("image", "k8s.gcr.io/pause:3.1"),
            KeyValue("pullError", "network"),
          ])
      ]),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "calico cannot assign an address",
      .pod("web-0", phase: "Pending") { p in
        p.container("web", state: .waiting(reason: "ContainerCreating", message: nil))
        p.event(
          .warning, "FailedCreatePodSandBox",
          "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox \"3f2a\": "
            + "plugin type=\"calico\" failed (add): error getting ClusterInformation: connection is unauthorized",
          count: 14)
      },
      expect: [
        ExpectedFinding(
          ruleID: "sandbox.failing", category: .sandbox, severity: .critical,
          facts: [KeyValue("kind", "cni"), .int("failures", 14)], evidenceText: ["Failed to create pod sandbox"])
      ]),
    RuleExample(
      "one sandbox change after a node reboot",
      .pod("web-1") { p in
        p.container("web")
        p.event(.normal, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.")
      }),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §1.3, §3).
    RuleExample(
      "an Events table alone: one sandbox change, then the container started again",
      .text(
        #"""
        Events:
          Type    Reason          Age   From     Message
          ----    ------          ----  ----     -------
          Normal  SandboxChanged  14m   kubelet  Pod sandbox changed, it will be killed and re-created.
          Normal  Pulled          14m   kubelet  Container image "nginx:1.27" already present on machine
          Normal  Created         14m   kubelet  Created container: web
          Normal  Started         14m   kubelet  Started container web
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
  ]
}
