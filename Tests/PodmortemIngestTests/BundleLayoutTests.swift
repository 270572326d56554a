import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// One path and what it must be classified as.
struct LayoutCase: CustomTestStringConvertible, Sendable {
  var path: String
  var producer: BundleFile.Producer?
  var role: BundleFile.Role
  var namespace: String?
  var testDescription: String { path }

  init(_ path: String, _ producer: BundleFile.Producer?, _ role: BundleFile.Role, ns namespace: String? = nil) {
    self.path = path
    self.producer = producer
    self.role = role
    self.namespace = namespace
  }
}

private func log(
  _ namespace: String?, _ pod: String?, _ container: String?, previous: Bool = false, rotated: Bool = false,
  uid: String? = nil, restarts: Int? = nil, id: String? = nil, joined: String? = nil
) -> BundleFile.Role {
  .containerLog(
    ContainerLogPath(
      namespace: namespace, pod: pod, container: container, previous: previous, rotated: rotated, podUID: uid,
      restartCount: restarts, containerID: id, joinedName: joined))
}

private let uid = "3f1c2a9e-5b7d-4e21-9c0a-1d2e3f4a5b6c"
private let cid = String(repeating: "ab12", count: 16)
private let mg = "must-gather.local.5512/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-4f68"

private let cases: [LayoutCase] = [
  // kubectl cluster-info dump --output-directory (§10.3)
  LayoutCase("nodes.json", .clusterInfoDump, .nodes),
  LayoutCase("kube-system/events.json", .clusterInfoDump, .eventList, ns: "kube-system"),
  LayoutCase("prod/pods.json", .clusterInfoDump, .podList, ns: "prod"),
  LayoutCase("prod/deployments.json", .clusterInfoDump, .workloads, ns: "prod"),
  LayoutCase("prod/replication-controllers.json", .clusterInfoDump, .workloads, ns: "prod"),
  LayoutCase("prod/services.json", .clusterInfoDump, .other, ns: "prod"),
  LayoutCase("prod/web-0/logs.txt", .clusterInfoDump, log("prod", "web-0", nil), ns: "prod"),
  LayoutCase("dump-2026/prod/web-0/logs.txt", .clusterInfoDump, log("prod", "web-0", nil), ns: "prod"),
  // must-gather
  LayoutCase("\(mg)/namespaces/prod/core/pods.yaml", .mustGather, .podList, ns: "prod"),
  LayoutCase("\(mg)/namespaces/prod/core/events.yaml", .mustGather, .eventList, ns: "prod"),
  LayoutCase("\(mg)/namespaces/prod/core/configmaps.yaml", .mustGather, .other, ns: "prod"),
  LayoutCase("\(mg)/namespaces/prod/apps/deployments.yaml", .mustGather, .workloads, ns: "prod"),
  LayoutCase("\(mg)/namespaces/prod/route.openshift.io/routes.yaml", .mustGather, .other, ns: "prod"),
  LayoutCase("\(mg)/namespaces/prod/prod.yaml", .mustGather, .other, ns: "prod"),
  LayoutCase("\(mg)/namespaces/prod/pods/web-0/web-0.yaml", .mustGather, .podObject, ns: "prod"),
  LayoutCase(
    "\(mg)/namespaces/prod/pods/web-0/app/app/logs/current.log", .mustGather, log("prod", "web-0", "app"),
    ns: "prod"),
  LayoutCase(
    "\(mg)/namespaces/prod/pods/web-0/app/app/logs/previous.log", .mustGather,
    log("prod", "web-0", "app", previous: true), ns: "prod"),
  LayoutCase(
    "\(mg)/namespaces/prod/pods/web-0/app/app/logs/previous.insecure.log", .mustGather,
    log("prod", "web-0", "app", previous: true), ns: "prod"),
  LayoutCase(
    "\(mg)/namespaces/prod/pods/web-0/app/app/logs/rotated/0.log.20261127-010203.gz", .mustGather,
    log("prod", "web-0", "app", rotated: true), ns: "prod"),
  LayoutCase("\(mg)/cluster-scoped-resources/core/nodes/node-1.yaml", .mustGather, .nodes),
  LayoutCase("\(mg)/cluster-scoped-resources/config.openshift.io/clusterversions.yaml", .mustGather, .other),
  LayoutCase("\(mg)/host_service_logs/masters/kubelet_service.log", .mustGather, .kubeletLog(.journal)),
  LayoutCase("\(mg)/host_service_logs/masters/kubelet_service.log.gz", .mustGather, .kubeletLog(.journal)),
  LayoutCase("\(mg)/host_service_logs/masters/crio_service.log", .mustGather, .other),
  LayoutCase("\(mg)/timestamp", nil, .unknown),
  // troubleshoot.sh
  LayoutCase("supportbundle-2026-11-27T01_00_00/cluster-resources/pods/prod.json", .troubleshoot, .podList, ns: "prod"),
  LayoutCase("cluster-resources/events/kube-system.json", .troubleshoot, .eventList, ns: "kube-system"),
  LayoutCase("cluster-resources/nodes.json", .troubleshoot, .nodes),
  LayoutCase("cluster-resources/deployments/prod.json", .troubleshoot, .workloads, ns: "prod"),
  LayoutCase("cluster-resources/pods-errors.json", .troubleshoot, .other),
  LayoutCase("cluster-resources/pods/logs/prod/web-0/app.log", .troubleshoot, log("prod", "web-0", "app"), ns: "prod"),
  LayoutCase(
    "cluster-resources/pods/logs/prod/web-0/app-previous.log", .troubleshoot,
    log("prod", "web-0", "app", previous: true), ns: "prod"),
  LayoutCase("cluster-resources/pods/logs/prod/web-0/app-logs-errors.log", .troubleshoot, .other, ns: "prod"),
  // crust-gather
  LayoutCase("crust-gather/namespaces/prod/v1/pod/web-0.yaml", .crustGather, .podObject, ns: "prod"),
  LayoutCase("namespaces/prod/v1/pod/web-0.json", .crustGather, .podObject, ns: "prod"),
  LayoutCase("namespaces/prod/v1/event/web-0.187a2b3c4d5e6f70.yaml", .crustGather, .eventObject, ns: "prod"),
  LayoutCase("namespaces/prod/events.k8s.io/v1/event/web-0.187a.yaml", .crustGather, .eventObject, ns: "prod"),
  LayoutCase("namespaces/prod/apps/v1/deployment/web.yaml", .crustGather, .workloads, ns: "prod"),
  LayoutCase("namespaces/prod/v1/configmap/settings.yaml", .crustGather, .other, ns: "prod"),
  LayoutCase("namespaces/prod/v1/pod/web-0/app/current.log", .crustGather, log("prod", "web-0", "app"), ns: "prod"),
  LayoutCase(
    "namespaces/prod/v1/pod/web-0/app/previous.log", .crustGather, log("prod", "web-0", "app", previous: true),
    ns: "prod"),
  LayoutCase("namespaces/prod/pod/web-0.yaml", .crustGather, .podObject, ns: "prod"),
  LayoutCase("cluster/v1/node/node-1.yaml", .crustGather, .nodes),
  LayoutCase("cluster/rbac.authorization.k8s.io/v1/clusterrole/admin.yaml", .crustGather, .other),
  // rancher2_logs_collector
  LayoutCase("node-1-2026-11-27_01_00_00/rke2/kubectl/pods", .rancherLogsCollector, .getText(resource: "pods")),
  LayoutCase("rke2/kubectl/events", .rancherLogsCollector, .getText(resource: "events")),
  LayoutCase("k3s/kubectl/nodesdescribe", .rancherLogsCollector, .describeText(resource: "nodes")),
  LayoutCase(
    "rke2/kubectl/poddescribe/kube-system", .rancherLogsCollector, .describeText(resource: "pods"), ns: "kube-system"),
  LayoutCase("rke2/kubectl/api-resources", .rancherLogsCollector, .other),
  LayoutCase("kubeadm/kubectl/cluster-info_dump", .rancherLogsCollector, .clusterInfoDump),
  LayoutCase(
    "rke2/podlogs/kube-system-coredns-6799fbcd5-x2x9q", .rancherLogsCollector,
    log("kube-system", "coredns-6799fbcd5-x2x9q", nil), ns: "kube-system"),
  LayoutCase(
    "rke2/podlogs/cattle-fleet-system-fleet-agent-0-previous", .rancherLogsCollector,
    log("cattle-fleet-system", "fleet-agent-0", nil, previous: true), ns: "cattle-fleet-system"),
  LayoutCase("rke2/podlogs/team-a-web-0", .rancherLogsCollector, log(nil, nil, nil, joined: "team-a-web-0")),
  LayoutCase(
    "k8s/podlogs/k8s_coredns_coredns-7f8b-abcde_kube-system_\(uid)_3", .rancherLogsCollector,
    log("kube-system", "coredns-7f8b-abcde", "coredns", uid: uid), ns: "kube-system"),
  LayoutCase(
    "k3s/podlogs/kube-system_coredns-abc_\(uid)/coredns/0.log", .rancherLogsCollector,
    log("kube-system", "coredns-abc", "coredns", uid: uid, restarts: 0), ns: "kube-system"),
  LayoutCase("journald/kubelet", .rancherLogsCollector, .kubeletLog(.journal)),
  LayoutCase("journald/k3s", .rancherLogsCollector, .kubeletLog(.journal)),
  LayoutCase("journald/containerd", .rancherLogsCollector, .other),
  LayoutCase("rke2/agent-logs/kubelet.log", .rancherLogsCollector, .kubeletLog(.file)),
  // support-bundle-kit
  LayoutCase(
    "supportbundle_x/yamls/namespaced/harvester-system/kubernetes/pods.yaml", .supportBundleKit, .podList,
    ns: "harvester-system"),
  LayoutCase("yamls/namespaced/default/kubernetes/events.yaml", .supportBundleKit, .eventList, ns: "default"),
  LayoutCase("yamls/namespaced/default/kubernetes/daemonsets.yaml", .supportBundleKit, .workloads, ns: "default"),
  LayoutCase("yamls/namespaced/default/kubevirt/virtualmachines.yaml", .supportBundleKit, .other),
  LayoutCase("yamls/cluster/kubernetes/nodes.yaml", .supportBundleKit, .nodes),
  LayoutCase(
    "logs/kube-system/coredns-abc/coredns.log", .supportBundleKit, log("kube-system", "coredns-abc", "coredns"),
    ns: "kube-system"),
  // the kubelet's own directories (§10.2)
  LayoutCase(
    "/var/log/pods/prod_web-0_\(uid)/app/2.log", .varLogPods, log("prod", "web-0", "app", uid: uid, restarts: 2),
    ns: "prod"),
  LayoutCase(
    "var/log/pods/prod_web-0_\(uid)/app/1.log.20261127-010203", .varLogPods,
    log("prod", "web-0", "app", rotated: true, uid: uid, restarts: 1), ns: "prod"),
  LayoutCase(
    "var/log/pods/prod_web-0_\(uid)/app/0.log.20261126-230000.gz", .varLogPods,
    log("prod", "web-0", "app", rotated: true, uid: uid, restarts: 0), ns: "prod"),
  LayoutCase(
    "kube-system_kube-apiserver-node-1_0d5c9a8b7e6f5a4b3c2d1e0f9a8b7c6d/kube-apiserver/0.log", .varLogPods,
    log("kube-system", "kube-apiserver-node-1", "kube-apiserver", uid: "0d5c9a8b7e6f5a4b3c2d1e0f9a8b7c6d", restarts: 0),
    ns: "kube-system"),
  LayoutCase(
    "/var/log/containers/web-0_prod_app-\(cid).log", .varLogPods, log("prod", "web-0", "app", id: cid), ns: "prod"),
  // nothing known
  LayoutCase("notes/readme.md", nil, .unknown),
  LayoutCase("Downloads/events.json", nil, .unknown),
  LayoutCase("var/log/pods/prod_web-0_\(uid)/app/2.log.tmp", nil, .unknown),
]

@Suite struct BundleLayoutTests {
  @Test(arguments: cases)
  func classifies(_ item: LayoutCase) {
    let file = BundleLayout.classify(path: item.path)
    #expect(file.producer == item.producer)
    #expect(file.role == item.role)
    #expect(file.namespace == item.namespace)
  }

  @Test func tableCoversEveryProducer() {
    let seen = Set(cases.compactMap(\.producer))
    #expect(seen == Set(BundleFile.Producer.allCases))
  }

  @Test func syntaxAndCompressionComeFromTheName() {
    #expect(BundleLayout.classify(path: "cluster-resources/pods/prod.json").syntax == .json)
    #expect(BundleLayout.classify(path: "yamls/cluster/kubernetes/nodes.yaml").syntax == .yaml)
    let gz = BundleLayout.classify(path: "\(mg)/host_service_logs/masters/kubelet_service.log.gz")
    #expect(gz.compressed)
    #expect(gz.syntax == .text)
    #expect(gz.path == "\(mg)/host_service_logs/masters/kubelet_service.log")
  }

  @Test func wrapperDirectoriesDoNotMatter() {
    let inner = "namespaces/prod/core/events.yaml"
    for wrapper in ["", "a/", "must-gather.local.1/quay-io-x/", "x/y/z/w/"] {
      let file = BundleLayout.classify(path: wrapper + inner)
      #expect(file.producer == .mustGather)
      #expect(file.role == .eventList)
    }
  }

  @Test func windowsSeparatorsAndDotSegments() {
    let file = BundleLayout.classify(path: #"C:\bundles\sb\cluster-resources\pods\logs\prod\web-0\app.log"#)
    #expect(file.containerLog == ContainerLogPath(namespace: "prod", pod: "web-0", container: "app"))
    #expect(BundleLayout.classify(path: "./cluster-resources/nodes.json").role == .nodes)
  }

  @Test(arguments: [
    "", "/", "//", ".", "..", "../../etc/passwd", "namespaces", "namespaces/", "namespaces/prod",
    "namespaces/prod/pods/web-0/app/app/logs", "cluster-resources", "cluster-resources/pods/logs/prod/web-0/.log",
    "podlogs/-previous", "journald", ".gz", "a/.gz", "var/log/pods/__/x/0.log", "var/log/pods/a_b_c/d/.log",
    "x/y-\(cid).log", "logs/Prod/Web/App.log", "\u{0}/\u{FFFD}/events.json", "名前空間/events.json",
    String(repeating: "a/", count: 2000) + "pods.json", String(repeating: "x", count: 70_000),
  ])
  func oddPathsDoNotCrash(_ path: String) {
    let file = BundleLayout.classify(path: path)
    if case .containerLog(let log) = file.role {
      #expect(log.namespace.map { BundleLayout.isLabel($0) } ?? true)
    }
  }

  @Test func sourceInfoUsesTheRelativePathOrTheInnermostName() {
    let member = SourceInfo(
      name: "b.tar.gz!x.zip!cluster-resources/nodes.json", relativePath: "cluster-resources/nodes.json")
    #expect(member.bundleFile.producer == .troubleshoot)
    let single = SourceInfo(name: "/var/log/pods/prod_web-0_\(uid)/app/0.log")
    #expect(single.bundleFile.containerLog?.pod == "web-0")
    #expect(SourceInfo(name: "<stdin>", isStandardInput: true).bundleFile.role == .unknown)
  }

  @Test func containerLogPathAttributesOnlyWhatARecordLacks() {
    let path = ContainerLogPath(namespace: "prod", pod: "web-0", container: "app")
    var record = LogRecord(
      origin: .container, message: "x", evidence: Evidence(ref: SourceRef(source: "s", line: 1), text: "x"))
    path.attribute(&record)
    #expect(record.namespace == "prod")
    #expect(record.pod == "web-0")
    #expect(record.container == "app")
    var named = LogRecord(
      origin: .container, message: "x", evidence: Evidence(ref: SourceRef(source: "s", line: 1), text: "x"))
    named.container = "sidecar"
    path.attribute(&named)
    #expect(named.container == "sidecar")
  }

  @Test func namesAreKubernetesNames() {
    #expect(BundleLayout.isLabel("kube-system"))
    #expect(!BundleLayout.isLabel("Kube-system"))
    #expect(!BundleLayout.isLabel("-a"))
    #expect(!BundleLayout.isLabel(String(repeating: "a", count: 64)))
    #expect(BundleLayout.isSubdomain("web-0.example"))
    #expect(!BundleLayout.isSubdomain("web_0"))
    #expect(BundleLayout.isVersion("v1"))
    #expect(BundleLayout.isVersion("v2beta1"))
    #expect(!BundleLayout.isVersion("v1gamma1"))
    #expect(!BundleLayout.isVersion("version"))
  }
}
