/// What a container log's path says about it (REFERENCE.md §10.2):
/// `…/var/log/pods/<ns>_<pod>_<uid>/<container>/<restart>.log` (also rotated `.log.<YYYYMMDD-hhmmss>`
/// and `.gz` names) and the symlink `…/var/log/containers/<pod>_<ns>_<container>-<id>.log`.
package struct ContainerLogPath: Hashable, Sendable {
  package var namespace: String
  package var pod: String
  package var container: String
  /// The pod UID (the `/var/log/pods` layout only).
  package var podUID: String?
  /// The container ID (the `/var/log/containers` layout only).
  package var containerID: String?
  /// The restart count the file belongs to (the `/var/log/pods` layout only).
  package var restartCount: Int?
  /// `20261127-010203` for a rotated file: the kubelet's clock when it rotated the file.
  package var rotatedAt: String?
  /// True for `….gz` (older rotated files are gzipped).
  package var compressed: Bool

  /// The mapping for `path` (any prefix, `/` or `!` separated), or nil when it is not a container
  /// log path.
  package static func parse(_ path: String) -> ContainerLogPath? {
    let parts = path.split(whereSeparator: { $0 == "/" || $0 == "!" || $0 == "\\" })
    guard let file = parts.last, let name = RotatedName(file) else { return nil }
    let directory = parts.dropLast().last
    if let directory, let podDirectory = parts.dropLast(2).last, let restart = Int(name.stem),
      name.stem.allSatisfy(\.isNumber), let (namespace, pod, uid) = triple(podDirectory)
    {
      return ContainerLogPath(
        namespace: String(namespace), pod: String(pod), container: String(directory), podUID: String(uid),
        containerID: nil, restartCount: restart, rotatedAt: name.rotatedAt, compressed: name.compressed)
    }
    guard directory == "containers", let (pod, namespace, rest) = triple(name.stem),
      let dash = rest.lastIndex(of: "-")
    else { return nil }
    let container = rest[..<dash]
    let id = rest[rest.index(after: dash)...]
    guard !container.isEmpty, id.count >= 12, id.allSatisfy(\.isHexDigit) else { return nil }
    return ContainerLogPath(
      namespace: String(namespace), pod: String(pod), container: String(container), podUID: nil,
      containerID: String(id), restartCount: nil, rotatedAt: name.rotatedAt, compressed: name.compressed)
  }

  /// `a_b_c` as three non-empty parts (namespace and pod names cannot hold `_`).
  private static func triple(_ s: Substring) -> (Substring, Substring, Substring)? {
    var parts = s.split(separator: "_", omittingEmptySubsequences: false).makeIterator()
    guard let a = parts.next(), let b = parts.next(), let c = parts.next(), parts.next() == nil, !a.isEmpty,
      !b.isEmpty, !c.isEmpty
    else { return nil }
    return (a, b, c)
  }

  /// `<stem>.log`, `<stem>.log.<YYYYMMDD-hhmmss>`, either with `.gz`, and `.tmp` while the kubelet
  /// compresses it.
  private struct RotatedName {
    var stem: Substring
    var rotatedAt: String?
    var compressed: Bool

    init?(_ file: Substring) {
      var name = file
      if name.hasSuffix(".tmp") { name = name.dropLast(4) }
      compressed = name.hasSuffix(".gz")
      if compressed { name = name.dropLast(3) }
      if name.hasSuffix(".log") {
        stem = name.dropLast(4)
        return
      }
      guard let dot = name.lastIndex(of: ".") else { return nil }
      let stamp = name[name.index(after: dot)...]
      let head = name[..<dot]
      guard head.hasSuffix(".log"), Self.isStamp(stamp) else { return nil }
      stem = head.dropLast(4)
      rotatedAt = String(stamp)
    }

    /// `20060102-150405` (the kubelet's `timestampFormat`).
    private static func isStamp(_ s: Substring) -> Bool {
      let bytes = Array(s.utf8)
      guard bytes.count == 15 else { return false }
      return bytes.enumerated().allSatisfy { index, byte in
        index == 8 ? byte == 0x2D : (0x30...0x39).contains(byte)
      }
    }
  }
}
