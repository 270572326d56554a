import Foundation
import PodmortemCorrelate
import PodmortemModel

extension VolumeMountFailingRule {
  package static let examples: [RuleExample] = [
    // kubectl text as users paste it, run end to end through ingest and correlation.
    RuleExample(
      "the ConfigMap behind a volume does not exist",
      .text(
        #"""
        Name:             web-5f6d7c8b9-m3n5p
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-1/10.0.0.5
        Start Time:       Fri, 27 Nov 2026 00:52:00 +0000
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
              /etc/web from config (ro)
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   False 
          Initialized                 True 
          Ready                       False 
          ContainersReady             False 
          PodScheduled                True 
        Volumes:
          config:
            Type:      ConfigMap (a volume populated by a ConfigMap)
            Name:      app-config
            Optional:  false
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
          Type     Reason       Age                   From               Message
          ----     ------       ----                  ----               -------
          Normal   Scheduled    8m                    default-scheduler  Successfully assigned default/web-5f6d7c8b9-m3n5p to node-1
        ▶  Warning  FailedMount  103s (x11 over 8m)    kubelet            MountVolume.SetUp failed for volume "config" : configmap "app-config" not found
          Warning  FailedMount  117s (x3 over 5m57s)  kubelet            Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[], failed to process volumes=[]: context deadline exceeded
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [
            KeyValue("kind", "configmap-missing"), KeyValue("volume", "config"),
            KeyValue("object", "configmap/app-config"), KeyValue("failures", "11"),
          ])
      ]),
    RuleExample(
      "a volume that attached and mounted",
      .text(
        #"""
        Name:             db-1
        Namespace:        default
        Priority:         0
        Service Account:  default
        Node:             node-3/10.0.0.7
        Start Time:       Fri, 27 Nov 2026 00:10:00 +0000
        Labels:           app=db
                          statefulset.kubernetes.io/pod-name=db-1
        Annotations:      <none>
        Status:           Running
        IP:               10.244.6.8
        IPs:
          IP:           10.244.6.8
        Controlled By:  StatefulSet/db
        Containers:
          db:
            Container ID:   containerd://3f2a9c1d7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a
            Image:          postgres:16.4
            Image ID:       docker.io/library/postgres@sha256:7c3ad2f4e6b8d0a2c4e6f8b0d2a4c6e8f0b2d4a6c8e0f2b4d6a8c0e2f4b6d8a0
            Port:           5432/TCP
            Host Port:      0/TCP
            State:          Running
              Started:      Fri, 27 Nov 2026 00:21:40 +0000
            Ready:          True
            Restart Count:  0
            Environment:    <none>
            Mounts:
              /var/lib/postgresql/data from data (rw)
              /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
        Conditions:
          Type                        Status
          PodReadyToStartContainers   True 
          Initialized                 True 
          Ready                       True 
          ContainersReady             True 
          PodScheduled                True 
        Volumes:
          data:
            Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
            ClaimName:  data-db-1
            ReadOnly:   false
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
          Type    Reason                  Age   From                     Message
          ----    ------                  ----  ----                     -------
          Normal  Scheduled               39m   default-scheduler        Successfully assigned default/db-1 to node-3
          Normal  SuccessfulAttachVolume  39m   attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-5b1f2c3d-4e6a-47b8-9c0d-1e2f3a4b5c6d"
          Normal  Started                 38m   kubelet                  Started container db
        """#, now: "2026-11-27T01:00:00Z")),
    // Built states, for cases the text above does not reach.
    RuleExample(
      "configmap missing",
      .pod("web-0", phase: "Pending") { p in
        p.container("web", state: .waiting(reason: "ContainerCreating", message: nil))
        p.event(
          .warning, "FailedMount",
          "MountVolume.SetUp failed for volume \"config\" : configmap \"app-config\" not found",
          count: 8)
        p.event(
          .warning, "FailedMount",
          "Unable to attach or mount volumes: unmounted volumes=[config], unattached volumes=[], failed to process "
            + "volumes=[]: context deadline exceeded", count: 2)
      },
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [
            KeyValue("kind", "configmap-missing"), KeyValue("volume", "config"),
            KeyValue("object", "configmap/app-config"),
            .int("failures", 8),
          ], evidenceText: ["configmap \"app-config\" not found"])
      ]),
    RuleExample(
      "RWO volume still attached to the old node",
      .pod("db-0", phase: "Pending") { p in
        p.container("db", state: .waiting(reason: "ContainerCreating", message: nil))
        p.event(
          .warning, "FailedAttachVolume",
          "Multi-Attach error for volume \"pvc-3f2a\" Volume is already exclusively attached to one node and can't be "
            + "attached to another", from: "attachdetach-controller")
      },
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume,
          facts: [KeyValue("kind", "multi-attach"), KeyValue("volume", "pvc-3f2a")])
      ]),
    RuleExample("no volume events", .pod("web-1") { p in p.container("web") }),
    RuleExample(
      "a Multi-Attach error that cleared: the volume attached and the container started after it (Events table alone)",
      .text(
        #"""
        Events:
          Type     Reason                  Age   From                     Message
          ----     ------                  ----  ----                     -------
        ▶  Warning  FailedAttachVolume      71s   attachdetach-controller  Multi-Attach error for volume "pvc-3e90b27c" Volume is already exclusively attached to one node and can't be attached to another
          Normal   SuccessfulAttachVolume  55s   attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-3e90b27c"
          Normal   Created                 37s   kubelet                  Created container nginx
          Normal   Started                 37s   kubelet                  Started container nginx
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .info,
          facts: [KeyValue("kind", "multi-attach"), KeyValue("volume", "pvc-3e90b27c")])
      ]),
    RuleExample(
      "a 1.6-era Events table: the volume manager's older wording names the missing ConfigMap",
      .text(
        #"""
        Events:
          FirstSeen  LastSeen  Count  From                 SubObjectPath  Type     Reason     Message
          ---------  --------  -----  ----                 -------------  ----     ------     -------
          3m         3m        1      {default-scheduler }                Normal   Scheduled  Successfully assigned web-5f6d7c8b9-m3n5p to node-1
        ▶  3m         1m        9      {kubelet node-1}                    Warning  FailedMount  Unable to mount volumes for pod "web-5f6d7c8b9-m3n5p_default(4b8e61a2-1151-11e6-a2d1-0adbaa6061ff)": configmaps "web-template" not found
        """#, now: "2026-11-27T01:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [KeyValue("kind", "configmap-missing"), KeyValue("object", "configmap/web-template")])
      ]),
    // Fragments as users paste them, without the describe around them (docs/kubernetes.md §1.6, §10.1).
    RuleExample(
      "an Events table alone: the volume attached and the container started, nothing failed",
      .text(
        #"""
        Events:
          Type    Reason                  Age   From                     Message
          ----    ------                  ----  ----                     -------
          Normal  SuccessfulAttachVolume  55s   attachdetach-controller  AttachVolume.Attach succeeded for volume "pvc-3e90b27c"
          Normal  Pulled                  40s   kubelet                  Container image "postgres:16" already present on machine
          Normal  Created                 40s   kubelet                  Created container: postgres
          Normal  Started                 39s   kubelet                  Started container postgres
        """#, now: "2026-11-27T01:00:00Z"), expect: []),
    RuleExample(
      "`journalctl -u kubelet` lines alone: the ConfigMap volume mounted",
      .text(
        #"""
        Nov 27 00:58:40 node-1 kubelet[2291]: I1127 00:58:40.512204    2291 reconciler_common.go:258] "operationExecutor.MountVolume started for volume \"config\" (UniqueName: \"kubernetes.io/configmap/5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b-config\") pod \"web-5f6d7c8b9-m3n5p\" (UID: \"5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b\") " pod="shop/web-5f6d7c8b9-m3n5p"
        Nov 27 00:58:40 node-1 kubelet[2291]: I1127 00:58:40.614388    2291 operation_generator.go:721] "MountVolume.SetUp succeeded for volume \"config\" (UniqueName: \"kubernetes.io/configmap/5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b-config\") pod \"web-5f6d7c8b9-m3n5p\" (UID: \"5e0c1a2b-3d4e-4f50-8a6b-7c8d9e0f1a2b\") " pod="shop/web-5f6d7c8b9-m3n5p"
        """#, now: "2026-11-27T00:59:00Z"), expect: []),
    RuleExample(
      "a 2015 kubelet's lines alone: the secret behind a volume does not exist",
      .text(
        #"""
        E0512 13:56:58.757800   13539 secret.go:119] Couldn't get secret test/mysecret
        ▶E0512 13:56:58.757986   13539 kubelet.go:943] Unable to mount volumes for pod "ruby-sample-build-2_test": secrets "mysecret" not found; skipping pod
        """#, now: "2015-05-12T14:00:00Z"),
      expect: [
        ExpectedFinding(
          ruleID: "volume.mount-failing", category: .volume, severity: .critical,
          facts: [KeyValue("kind", "secret-missing"), KeyValue("object", "secret/mysecret")])
      ]),
  ]
}
