import PodmortemInput

/// The account of a bundle's files by layout: which producers were seen and which files no layout
/// explains (docs/architecture.md: nothing is silently skipped). The facade adds every source and reports
/// `unknownFiles` beside the line accounting.
package struct BundleInventory: Hashable, Sendable {
  /// How many files followed each producer's layout.
  package private(set) var filesByProducer: [BundleFile.Producer: Int] = [:]
  /// Files whose role is known: container logs, lists, objects, kubelet logs, text.
  package private(set) var recognised = 0
  /// Files a producer writes that podmortem does not read.
  package private(set) var other = 0
  /// Source names of bundle files no layout explains, in the order they were read.
  package private(set) var unknownFiles: [String] = []

  package init() {}

  /// Classifies one source and counts it. A file the user named on its own (no path inside a
  /// directory or archive) is not a bundle member, so it is never listed as unknown.
  @discardableResult
  package mutating func add(_ info: SourceInfo) -> BundleFile {
    let file = info.bundleFile
    if let producer = file.producer { filesByProducer[producer, default: 0] += 1 }
    switch file.role {
    case .unknown:
      if !info.relativePath.isEmpty { unknownFiles.append(info.name) }
    case .other:
      other += 1
    default:
      recognised += 1
    }
    return file
  }

  /// The producers seen, most files first, ties by name (deterministic output).
  package var producers: [BundleFile.Producer] {
    filesByProducer.sorted { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }.map(\.key)
  }
}
