import PodmortemInput

/// Recognises support-bundle layouts from a file's path (docs/kubernetes.md §12).
///
/// Pure: one path in, one `BundleFile` out, no file system access. Every layout is matched at the
/// end of the path, after its marker directory (`namespaces/`, `cluster-resources/`, `kubectl/` …),
/// so any wrapper directories in front (`must-gather.local.123/quay-io-…/`,
/// `supportbundle-2026-11-27T01_00_00/`) do not matter. Names in a path must be valid Kubernetes
/// names (§12 layouts never hold anything else), which keeps a user's own folders from being taken
/// for a namespace.
package enum BundleLayout {
  /// Classifies a source by its path inside what the user named; a file named on its own is
  /// classified by its full name, so `/var/log/pods/…/0.log` is recognised too.
  package static func classify(_ info: SourceInfo) -> BundleFile {
    if !info.relativePath.isEmpty { return classify(path: info.relativePath) }
    let name = info.name
    let inner = name.lastIndex(of: "!").map { String(name[name.index(after: $0)...]) } ?? name
    return info.isStandardInput ? BundleFile(producer: nil, role: .unknown, path: "") : classify(path: inner)
  }

  /// Classifies one path (`/` or `\` separated).
  package static func classify(path raw: String) -> BundleFile {
    var parts = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init).filter { $0 != "." }
    var compressed = false
    if let last = parts.last, last.hasSuffix(".gz"), last.count > 3 {
      parts[parts.count - 1] = String(last.dropLast(3))
      compressed = true
    }
    let path = parts.joined(separator: "/")
    let matchers: [([String]) -> BundleFile?] = [
      mustGather, crustGather, troubleshoot, supportBundleKit, rancher, varLogPods, clusterInfoDump,
    ]
    var file = BundleFile(producer: nil, role: .unknown)
    for matcher in matchers {
      if let found = matcher(parts) {
        file = found
        break
      }
    }
    file.compressed = compressed
    file.path = path
    file.syntax = syntax(parts.last ?? "")
    return file
  }

  static func syntax(_ name: String) -> BundleFile.Syntax {
    if name.hasSuffix(".json") { return .json }
    if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .yaml }
    return .text
  }

  // MARK: - must-gather

  /// `namespaces/<ns>/core/pods.yaml`, `namespaces/<ns>/pods/<pod>/<ctr>/<ctr>/logs/current.log`,
  /// `cluster-scoped-resources/core/nodes/<node>.yaml`, `host_service_logs/masters/kubelet_service.log`.
  static func mustGather(_ p: [String]) -> BundleFile? {
    for i in markers("namespaces", in: p) {
      let rest = Array(p[(i + 1)...])
      guard rest.count >= 2, isLabel(rest[0]) else { continue }
      let ns = rest[0]
      if rest.count == 2, rest[1] == ns + ".yaml" {
        return BundleFile(producer: .mustGather, role: .other, namespace: ns)
      }
      if rest.count == 3, isAPIGroupDirectory(rest[1]), rest[2].hasSuffix(".yaml") {
        let role: BundleFile.Role
        switch (rest[1], rest[2]) {
        case ("core", "pods.yaml"): role = .podList
        case ("core", "events.yaml"): role = .eventList
        case ("apps", "deployments.yaml"), ("apps", "replicasets.yaml"), ("apps", "statefulsets.yaml"),
          ("apps", "daemonsets.yaml"), ("batch", "jobs.yaml"), ("batch", "cronjobs.yaml"):
          role = .workloads
        default: role = .other
        }
        return BundleFile(producer: .mustGather, role: role, namespace: ns)
      }
      guard rest.count >= 4, rest[1] == "pods", isSubdomain(rest[2]) else { continue }
      let pod = rest[2]
      if rest.count == 4, rest[3] == pod + ".yaml" {
        return BundleFile(producer: .mustGather, role: .podObject, namespace: ns)
      }
      // `oc adm inspect` writes the container name twice: <ctr>/<ctr>/logs/current.log.
      if rest.count >= 7, rest[3] == rest[4], isLabel(rest[3]), rest[5] == "logs" {
        let log = ContainerLogPath(namespace: ns, pod: pod, container: rest[3])
        if rest.count == 7, let previous = mustGatherLogName(rest[6]) {
          var current = log
          current.previous = previous
          return BundleFile(producer: .mustGather, role: .containerLog(current), namespace: ns)
        }
        if rest.count == 8, rest[6] == "rotated" {
          var rotated = log
          rotated.rotated = true
          return BundleFile(producer: .mustGather, role: .containerLog(rotated), namespace: ns)
        }
      }
      return BundleFile(producer: .mustGather, role: .other, namespace: ns)
    }
    if let i = markers("cluster-scoped-resources", in: p).first, p.count > i + 1 {
      let rest = Array(p[(i + 1)...])
      let isNode = rest.count == 3 && rest[0] == "core" && rest[1] == "nodes" && rest[2].hasSuffix(".yaml")
      return BundleFile(producer: .mustGather, role: isNode ? .nodes : .other)
    }
    if let i = markers("host_service_logs", in: p).first, p.count > i + 1 {
      let isKubelet = p.count == i + 3 && p[i + 2] == "kubelet_service.log"
      return BundleFile(producer: .mustGather, role: isKubelet ? .kubeletLog(.journal) : .other)
    }
    return nil
  }

  /// must-gather groups resources by API group: `core`, `apps`, `batch`, or a dotted group name.
  static func isAPIGroupDirectory(_ name: String) -> Bool {
    name == "core" || name == "apps" || name == "batch" || (name.contains(".") && isSubdomain(name))
  }

  /// `current.log` → false, `previous.log` → true; the `.insecure.log` variants are written when
  /// the kubelet's serving certificate could not be verified.
  static func mustGatherLogName(_ name: String) -> Bool? {
    switch name {
    case "current.log", "current.insecure.log": false
    case "previous.log", "previous.insecure.log": true
    default: nil
    }
  }

  // MARK: - crust-gather

  /// `namespaces/<ns>/v1/pod/<name>.yaml`, `namespaces/<ns>/v1/pod/<name>/<ctr>/current.log`,
  /// `namespaces/<ns>/apps/v1/deployment/<name>.yaml`, `cluster/v1/node/<name>.yaml`; early
  /// versions left the group/version out (`namespaces/<ns>/pod/<name>.yaml`).
  static func crustGather(_ p: [String]) -> BundleFile? {
    for i in markers("namespaces", in: p) {
      let rest = Array(p[(i + 1)...])
      guard rest.count >= 3, isLabel(rest[0]) else { continue }
      let ns = rest[0]
      guard let (kind, after) = groupVersionKind(Array(rest.dropFirst())) else { continue }
      if after.count == 1, let name = objectName(after[0]), isSubdomain(name) {
        return BundleFile(producer: .crustGather, role: objectRole(kind), namespace: ns)
      }
      if kind == "pod", after.count == 3, isSubdomain(after[0]), isLabel(after[1]),
        after[2] == "current.log" || after[2] == "previous.log"
      {
        let log = ContainerLogPath(
          namespace: ns, pod: after[0], container: after[1], previous: after[2] == "previous.log")
        return BundleFile(producer: .crustGather, role: .containerLog(log), namespace: ns)
      }
    }
    for i in markers("cluster", in: p) {
      let rest = Array(p[(i + 1)...])
      guard let (kind, after) = groupVersionKind(rest), after.count == 1, let name = objectName(after[0]),
        isSubdomain(name)
      else { continue }
      return BundleFile(producer: .crustGather, role: kind == "node" ? .nodes : .other)
    }
    return nil
  }

  /// Splits `[group/]version/kind/…` (or an early `kind/…`) into the lower-case kind and the rest.
  static func groupVersionKind(_ p: [String]) -> (kind: String, rest: [String])? {
    if p.count >= 3, isVersion(p[0]), isKindDirectory(p[1]) { return (p[1], Array(p.dropFirst(2))) }
    if p.count >= 4, isSubdomain(p[0]), isVersion(p[1]), isKindDirectory(p[2]) {
      return (p[2], Array(p.dropFirst(3)))
    }
    if p.count >= 2, ["pod", "event", "node"].contains(p[0]) { return (p[0], Array(p.dropFirst())) }
    return nil
  }

  static func objectRole(_ kind: String) -> BundleFile.Role {
    switch kind {
    case "pod": .podObject
    case "event": .eventObject
    case "node": .nodes
    case "deployment", "replicaset", "statefulset", "daemonset", "job", "cronjob": .workloads
    default: .other
    }
  }

  /// `web-0.yaml` → `web-0` (crust-gather writes `.json` when asked to).
  static func objectName(_ file: String) -> String? {
    for suffix in [".yaml", ".json"] where file.hasSuffix(suffix) && file.count > suffix.count {
      return String(file.dropLast(suffix.count))
    }
    return nil
  }

  /// `v1`, `v1beta1`, `v2alpha3`.
  static func isVersion(_ name: String) -> Bool {
    let scalars = Array(name.unicodeScalars)
    guard scalars.count >= 2, scalars[0] == "v", isDigit(scalars[1]) else { return false }
    var tail = String(String.UnicodeScalarView(scalars.dropFirst()))
    while let first = tail.unicodeScalars.first, isDigit(first) { tail.removeFirst() }
    for stage in ["alpha", "beta"] where tail.hasPrefix(stage) {
      let number = tail.dropFirst(stage.count)
      return !number.isEmpty && number.unicodeScalars.allSatisfy(isDigit)
    }
    return tail.isEmpty
  }

  /// A kind directory is the lower-case kind: letters and digits only.
  static func isKindDirectory(_ name: String) -> Bool {
    !name.isEmpty && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || isDigit($0) }
  }

  // MARK: - troubleshoot.sh

  /// `cluster-resources/pods/<ns>.json`, `cluster-resources/events/<ns>.json`,
  /// `cluster-resources/nodes.json`, `cluster-resources/pods/logs/<ns>/<pod>/<ctr>[-previous].log`.
  static func troubleshoot(_ p: [String]) -> BundleFile? {
    guard let i = markers("cluster-resources", in: p).first, p.count > i + 1 else { return nil }
    let rest = Array(p[(i + 1)...])
    if rest == ["nodes.json"] { return BundleFile(producer: .troubleshoot, role: .nodes) }
    if rest.count == 2, let ns = objectName(rest[1]), rest[1].hasSuffix(".json"), isLabel(ns) {
      let role: BundleFile.Role
      switch rest[0] {
      case "pods": role = .podList
      case "events": role = .eventList
      case "deployments", "replicasets", "statefulsets", "daemonsets", "jobs", "cronjobs": role = .workloads
      default: role = .other
      }
      return BundleFile(producer: .troubleshoot, role: role, namespace: ns)
    }
    if rest.count == 5, rest[0] == "pods", rest[1] == "logs", isLabel(rest[2]), isSubdomain(rest[3]),
      rest[4].hasSuffix(".log")
    {
      var container = String(rest[4].dropLast(4))
      // `<ctr>-logs-errors.log` holds the error the API gave instead of a log ("is waiting to start").
      if container.hasSuffix("-logs-errors") {
        return BundleFile(producer: .troubleshoot, role: .other, namespace: rest[2])
      }
      var previous = false
      if container.hasSuffix("-previous") {
        container = String(container.dropLast("-previous".count))
        previous = true
      }
      if isLabel(container) {
        let log = ContainerLogPath(namespace: rest[2], pod: rest[3], container: container, previous: previous)
        return BundleFile(producer: .troubleshoot, role: .containerLog(log), namespace: rest[2])
      }
    }
    return BundleFile(producer: .troubleshoot, role: .other)
  }

  // MARK: - support-bundle-kit

  /// `yamls/namespaced/<ns>/kubernetes/<kind>.yaml`, `yamls/cluster/kubernetes/nodes.yaml`,
  /// `logs/<ns>/<pod>/<ctr>.log`.
  static func supportBundleKit(_ p: [String]) -> BundleFile? {
    if let i = markers("yamls", in: p).first, p.count > i + 2, p[i + 1] == "namespaced" || p[i + 1] == "cluster" {
      let rest = Array(p[(i + 1)...])
      if rest.count == 4, rest[0] == "namespaced", isLabel(rest[1]), rest[2] == "kubernetes" {
        let role: BundleFile.Role
        switch rest[3] {
        case "pods.yaml": role = .podList
        case "events.yaml": role = .eventList
        case "deployments.yaml", "daemonsets.yaml", "statefulsets.yaml", "jobs.yaml", "cronjobs.yaml":
          role = .workloads
        default: role = .other
        }
        return BundleFile(producer: .supportBundleKit, role: role, namespace: rest[1])
      }
      let isNodes = rest == ["cluster", "kubernetes", "nodes.yaml"]
      return BundleFile(producer: .supportBundleKit, role: isNodes ? .nodes : .other)
    }
    let n = p.count
    if n >= 4, p[n - 4] == "logs", isLabel(p[n - 3]), isSubdomain(p[n - 2]), p[n - 1].hasSuffix(".log") {
      let container = String(p[n - 1].dropLast(4))
      guard isLabel(container) else { return nil }
      let log = ContainerLogPath(namespace: p[n - 3], pod: p[n - 2], container: container)
      return BundleFile(producer: .supportBundleKit, role: .containerLog(log), namespace: p[n - 3])
    }
    if p.last == "bundleGenerationError.log" { return BundleFile(producer: .supportBundleKit, role: .other) }
    return nil
  }

  // MARK: - rancher2_logs_collector

  /// The namespaces the rancher collector takes pod logs from (`SYSTEM_NAMESPACES` in
  /// `rancher2_logs_collector.sh`); its `podlogs/<ns>-<pod>` names are split against them.
  static let rancherNamespaces: [String] = [
    "kube-system", "kube-public", "cattle-system", "cattle-alerting", "cattle-logging", "cattle-pipeline",
    "ingress-nginx", "cattle-prometheus", "istio-system", "longhorn-system", "cattle-global-data", "fleet-system",
    "fleet-default", "rancher-operator-system", "cattle-monitoring-system", "cattle-logging-system",
    "cattle-fleet-system", "cattle-fleet-local-system", "tigera-operator", "calico-system",
  ]

  /// What the collector's `kubectl get … -o wide` files list.
  static let rancherGetResources: Set<String> = [
    "pods", "events", "nodes", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs",
  ]

  /// `<distro>/kubectl/{pods,events,…}`, `<distro>/kubectl/poddescribe/<ns>`,
  /// `<distro>/podlogs/<ns>-<pod>[-previous]`, `journald/kubelet`, `<distro>/agent-logs/kubelet.log`.
  static func rancher(_ p: [String]) -> BundleFile? {
    let n = p.count
    guard n >= 2 else { return nil }
    let parent = p[n - 2]
    let file = p[n - 1]
    if parent == "kubectl" {
      if rancherGetResources.contains(file) {
        return BundleFile(producer: .rancherLogsCollector, role: .getText(resource: file))
      }
      if file == "nodesdescribe" {
        return BundleFile(producer: .rancherLogsCollector, role: .describeText(resource: "nodes"))
      }
      if file == "cluster-info_dump" { return BundleFile(producer: .rancherLogsCollector, role: .clusterInfoDump) }
      if file == "nodes.json" { return BundleFile(producer: .rancherLogsCollector, role: .nodes) }
      return BundleFile(producer: .rancherLogsCollector, role: .other)
    }
    if n >= 3, p[n - 3] == "kubectl", parent == "poddescribe", isLabel(file) {
      return BundleFile(producer: .rancherLogsCollector, role: .describeText(resource: "pods"), namespace: file)
    }
    if parent == "podlogs", let log = rancherPodLog(file) {
      return BundleFile(producer: .rancherLogsCollector, role: .containerLog(log), namespace: log.namespace)
    }
    if parent == "journald" {
      // k3s and rke2 run the kubelet inside their own process, so its klog lines land in their unit.
      let kubelet: Set<String> = ["kubelet", "k3s", "k3s-agent", "rke2-agent", "rke2-server"]
      return BundleFile(producer: .rancherLogsCollector, role: kubelet.contains(file) ? .kubeletLog(.journal) : .other)
    }
    if parent == "agent-logs", file == "kubelet.log" {
      return BundleFile(producer: .rancherLogsCollector, role: .kubeletLog(.file))
    }
    return nil
  }

  /// `kube-system-coredns-abc[-previous]` (`kubectl logs --all-containers`), or the docker
  /// container name `k8s_<ctr>_<pod>_<ns>_<uid>_<attempt>` that RKE1 nodes use.
  static func rancherPodLog(_ file: String) -> ContainerLogPath? {
    let docker = file.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    if docker.count == 6, docker[0] == "k8s", isLabel(docker[1]) || docker[1] == "POD", isSubdomain(docker[2]),
      isLabel(docker[3])
    {
      return ContainerLogPath(namespace: docker[3], pod: docker[2], container: docker[1], podUID: docker[4])
    }
    var joined = file
    var previous = false
    if joined.hasSuffix("-previous") {
      joined = String(joined.dropLast("-previous".count))
      previous = true
    }
    guard isSubdomain(joined) else { return nil }
    let namespace = rancherNamespaces.filter { joined.hasPrefix($0 + "-") && joined.count > $0.count + 1 }
      .max { $0.count < $1.count }
    guard let namespace else {
      return ContainerLogPath(namespace: nil, pod: nil, container: nil, previous: previous, joinedName: joined)
    }
    return ContainerLogPath(
      namespace: namespace, pod: String(joined.dropFirst(namespace.count + 1)), container: nil, previous: previous)
  }

  // MARK: - /var/log/pods and /var/log/containers

  /// `<ns>_<pod>_<uid>/<ctr>/<n>.log` (+ rotated `<n>.log.<YYYYMMDD-hhmmss>`) and
  /// `<pod>_<ns>_<ctr>-<id>.log` (docs/kubernetes.md §10.2). Inside a rancher collector's `podlogs/`
  /// (which copies these directories) the producer is the collector.
  static func varLogPods(_ p: [String]) -> BundleFile? {
    let n = p.count
    let collector = p.contains("podlogs") || p.contains("containers-varlogs")
    let producer: BundleFile.Producer = collector ? .rancherLogsCollector : .varLogPods
    if n >= 3, let log = kubeletPodLog(directory: p[n - 3], container: p[n - 2], file: p[n - 1]) {
      return BundleFile(producer: producer, role: .containerLog(log), namespace: log.namespace)
    }
    if let last = p.last, let log = kubeletContainerLink(last) {
      return BundleFile(producer: producer, role: .containerLog(log), namespace: log.namespace)
    }
    return nil
  }

  static func kubeletPodLog(directory: String, container: String, file: String) -> ContainerLogPath? {
    let ids = directory.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    guard ids.count == 3, isLabel(ids[0]), isSubdomain(ids[1]), isUID(ids[2]), isLabel(container) else { return nil }
    guard let dot = file.firstIndex(of: "."), let restarts = Int(file[..<dot]), restarts >= 0 else { return nil }
    let suffix = file[dot...]
    var log = ContainerLogPath(
      namespace: ids[0], pod: ids[1], container: container, podUID: ids[2], restartCount: restarts)
    if suffix == ".log" { return log }
    guard suffix.hasPrefix(".log."), isRotationStamp(suffix.dropFirst(5)) else { return nil }
    log.rotated = true
    return log
  }

  static func kubeletContainerLink(_ file: String) -> ContainerLogPath? {
    guard file.hasSuffix(".log"), let dash = file.lastIndex(of: "-") else { return nil }
    let id = file[file.index(after: dash)..<file.index(file.endIndex, offsetBy: -4)]
    guard id.count == 64, id.unicodeScalars.allSatisfy(isHex) else { return nil }
    let ids = file[..<dash].split(separator: "_", omittingEmptySubsequences: false).map(String.init)
    guard ids.count == 3, isSubdomain(ids[0]), isLabel(ids[1]), isLabel(ids[2]) else { return nil }
    return ContainerLogPath(namespace: ids[1], pod: ids[0], container: ids[2], containerID: String(id))
  }

  /// `20261127-010203` (the kubelet's `timestampFormat`, §10.2).
  static func isRotationStamp(_ text: Substring) -> Bool {
    let scalars = Array(text.unicodeScalars)
    guard scalars.count == 15, scalars[8] == "-" else { return false }
    return scalars.enumerated().allSatisfy { $0.offset == 8 || isDigit($0.element) }
  }

  /// A pod UID: a UUID, or the hex hash a static pod gets.
  static func isUID(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 64 && text.unicodeScalars.allSatisfy { isHex($0) || $0 == "-" }
  }

  // MARK: - kubectl cluster-info dump

  /// `nodes.json`, `<ns>/events.json`, `<ns>/pods.json`, `<ns>/<pod>/logs.txt` (docs/kubernetes.md §10.3).
  static func clusterInfoDump(_ p: [String]) -> BundleFile? {
    let n = p.count
    guard let file = p.last else { return nil }
    if file == "nodes.json" { return BundleFile(producer: .clusterInfoDump, role: .nodes) }
    if file == "logs.txt", n >= 3, isLabel(p[n - 3]), isSubdomain(p[n - 2]) {
      let log = ContainerLogPath(namespace: p[n - 3], pod: p[n - 2], container: nil)
      return BundleFile(producer: .clusterInfoDump, role: .containerLog(log), namespace: p[n - 3])
    }
    guard n >= 2, isLabel(p[n - 2]) else { return nil }
    let role: BundleFile.Role
    switch file {
    case "events.json": role = .eventList
    case "pods.json": role = .podList
    case "deployments.json", "replicasets.json", "daemonsets.json", "replication-controllers.json": role = .workloads
    case "services.json": role = .other
    default: return nil
    }
    return BundleFile(producer: .clusterInfoDump, role: role, namespace: p[n - 2])
  }

  // MARK: - names

  /// Indices of `marker` in `p`, last first (the innermost layout wins over a wrapper's name).
  static func markers(_ marker: String, in p: [String]) -> [Int] {
    p.indices.reversed().filter { p[$0] == marker }
  }

  /// A DNS-1123 label: namespaces and container names.
  static func isLabel(_ name: String) -> Bool {
    name.utf8.count <= 63 && isDNSName(name, allowDots: false)
  }

  /// A DNS-1123 subdomain: pod and node names.
  static func isSubdomain(_ name: String) -> Bool {
    name.utf8.count <= 253 && isDNSName(name, allowDots: true)
  }

  static func isDNSName(_ name: String, allowDots: Bool) -> Bool {
    let scalars = name.unicodeScalars
    guard let first = scalars.first, let last = scalars.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last)
    else { return false }
    return scalars.allSatisfy { isLowerAlphanumeric($0) || $0 == "-" || (allowDots && $0 == ".") }
  }

  static func isLowerAlphanumeric(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || isDigit(c) }
  static func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }
  static func isHex(_ c: Unicode.Scalar) -> Bool { isDigit(c) || ("a"..."f").contains(c) }
}
