import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// Writes `files` (relative path → content) under a fresh temporary directory.
private func tree(_ files: [String: String]) throws -> String {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("podmortem-bundle-\(UUID().uuidString)")
  for (path, text) in files {
    let url = root.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }
  return root.path
}

/// Reads `root` with the real input layer, classifying every source it visits.
private func read(_ root: String) -> (inventory: BundleInventory, files: [String: BundleFile]) {
  var inventory = BundleInventory()
  var files: [String: BundleFile] = [:]
  InputReader(diagnostics: { _ in }).read([root]) { info, _ in
    files[info.relativePath] = inventory.add(info)
  }
  return (inventory, files)
}

private let mg = "must-gather.local.8841/quay-io-openshift-release-dev-sha256-77aa"

@Suite struct BundleInventoryTests {
  @Test func mustGatherTree() throws {
    let root = try tree([
      "\(mg)/timestamp": "2026-11-27 01:00:00.000000000 +0000 UTC m=+0.1\n",
      "\(mg)/namespaces/prod/core/pods.yaml": "apiVersion: v1\nkind: PodList\n",
      "\(mg)/namespaces/prod/core/events.yaml": "apiVersion: v1\nkind: EventList\n",
      "\(mg)/namespaces/prod/pods/web-0/web-0.yaml": "kind: Pod\n",
      "\(mg)/namespaces/prod/pods/web-0/app/app/logs/current.log": "2026-11-27T01:00:00Z ok\n",
      "\(mg)/namespaces/prod/pods/web-0/app/app/logs/previous.log": "panic\n",
      "\(mg)/cluster-scoped-resources/core/nodes/node-1.yaml": "kind: Node\n",
      "\(mg)/host_service_logs/masters/kubelet_service.log": "Nov 27 01:00:00 node-1 kubelet[1]: I1127 x\n",
      "\(mg)/event-filter.html": "<html></html>\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let (inventory, files) = read(root)
    #expect(files.count == 9)
    #expect(files["\(mg)/namespaces/prod/core/pods.yaml"]?.role == .podList)
    #expect(files["\(mg)/namespaces/prod/core/events.yaml"]?.role == .eventList)
    #expect(files["\(mg)/namespaces/prod/pods/web-0/web-0.yaml"]?.role == .podObject)
    #expect(
      files["\(mg)/namespaces/prod/pods/web-0/app/app/logs/current.log"]?.containerLog
        == ContainerLogPath(namespace: "prod", pod: "web-0", container: "app"))
    #expect(files["\(mg)/namespaces/prod/pods/web-0/app/app/logs/previous.log"]?.containerLog?.previous == true)
    #expect(files["\(mg)/cluster-scoped-resources/core/nodes/node-1.yaml"]?.role == .nodes)
    #expect(files["\(mg)/host_service_logs/masters/kubelet_service.log"]?.role == .kubeletLog(.journal))
    #expect(inventory.producers == [.mustGather])
    #expect(inventory.filesByProducer[.mustGather] == 7)
    #expect(inventory.recognised == 7)
    #expect(inventory.unknownFiles == ["\(root)/\(mg)/event-filter.html", "\(root)/\(mg)/timestamp"])
  }

  @Test func troubleshootTree() throws {
    let base = "supportbundle-2026-11-27T01_00_00"
    let root = try tree([
      "\(base)/version.yaml": "apiVersion: troubleshoot.sh/v1beta2\n",
      "\(base)/cluster-resources/nodes.json": "{\"items\": []}\n",
      "\(base)/cluster-resources/pods/prod.json": "{\"items\": []}\n",
      "\(base)/cluster-resources/events/prod.json": "{\"items\": []}\n",
      "\(base)/cluster-resources/pods/logs/prod/web-0/app.log": "started\n",
      "\(base)/cluster-resources/pods/logs/prod/web-0/app-previous.log": "panic\n",
      "\(base)/cluster-resources/secrets/prod.json": "{\"value\": \"***HIDDEN***\"}\n",
      "\(base)/host-collectors/system/hostname.json": "{}\n",
    ])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let (inventory, files) = read(root)
    #expect(files.count == 8)
    #expect(files["\(base)/cluster-resources/nodes.json"]?.role == .nodes)
    #expect(files["\(base)/cluster-resources/pods/prod.json"]?.role == .podList)
    #expect(files["\(base)/cluster-resources/events/prod.json"]?.role == .eventList)
    #expect(files["\(base)/cluster-resources/events/prod.json"]?.namespace == "prod")
    #expect(
      files["\(base)/cluster-resources/pods/logs/prod/web-0/app-previous.log"]?.containerLog
        == ContainerLogPath(namespace: "prod", pod: "web-0", container: "app", previous: true))
    #expect(files["\(base)/cluster-resources/secrets/prod.json"]?.role == .other)
    #expect(inventory.producers == [.troubleshoot])
    #expect(inventory.recognised == 5)
    #expect(inventory.other == 1)
    #expect(
      inventory.unknownFiles == [
        "\(root)/\(base)/host-collectors/system/hostname.json", "\(root)/\(base)/version.yaml",
      ])
  }

  @Test func aFileNamedOnItsOwnIsNotListedAsUnknown() throws {
    let root = try tree(["notes.txt": "hello\n"])
    defer { try? FileManager.default.removeItem(atPath: root) }
    var inventory = BundleInventory()
    InputReader(diagnostics: { _ in }).read([root + "/notes.txt"]) { info, _ in inventory.add(info) }
    #expect(inventory.unknownFiles.isEmpty)
    #expect(inventory.recognised == 0)
  }

  @Test func producersAreOrderedByCountThenName() {
    var inventory = BundleInventory()
    for path in ["journald/kubelet", "cluster-resources/nodes.json", "cluster-resources/pods/a.json"] {
      inventory.add(SourceInfo(name: "b!" + path, relativePath: path))
    }
    inventory.add(SourceInfo(name: "b!nodes.json", relativePath: "nodes.json"))
    #expect(inventory.producers == [.troubleshoot, .clusterInfoDump, .rancherLogsCollector])
  }
}
