/// The pod and container a kubepods cgroup path names (docs/kubernetes.md §10.4): cgroupfs
/// `/kubepods/burstable/pod<uid>/<container id>`, systemd `…/kubepods-burstable-pod<uid with
/// underscores>.slice/cri-containerd-<id>.scope` (also `docker-`, `crio-`).
enum CgroupPath {
  static func parse(_ path: String) -> (podUID: String?, containerID: String?) {
    var podUID: String?
    var containerID: String?
    for part in path.split(separator: "/") {
      if let range = part.range(of: "pod", options: .backwards), part.hasPrefix("kubepods") || part.hasPrefix("pod") {
        var uid = part[range.upperBound...]
        if uid.hasSuffix(".slice") { uid = uid.dropLast(".slice".count) }
        let normalized = uid.replacingOccurrences(of: "_", with: "-")
        if normalized.count >= 32, normalized.allSatisfy({ $0.isHexDigit || $0 == "-" }) { podUID = normalized }
        continue
      }
      guard podUID != nil else { continue }
      var id = part
      if id.hasSuffix(".scope") { id = id.dropLast(".scope".count) }
      for runtime in ["cri-containerd-", "docker-", "crio-"] where id.hasPrefix(runtime) {
        id = id.dropFirst(runtime.count)
      }
      if id.count >= 12, id.allSatisfy(\.isHexDigit) { containerID = String(id) }
    }
    return (podUID, containerID)
  }
}
