import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@Suite struct DirectoryTests {
  @Test func walksInByteWisePathOrder() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    for path in ["dump/b.log", "dump/a/z.log", "dump/a-c.log", "dump/B.log", "dump/a/b/c.log", "dump/é.log"] {
      try dir.write(path, path + "\n")
    }
    let root = dir.path + "/dump"
    for name in [root, root + "/"] {
      let result = collect([name])
      let relative = ["B.log", "a-c.log", "a/b/c.log", "a/z.log", "b.log", "é.log"]
      #expect(result.sources.map(\.info.relativePath) == relative)
      let prefix = name.hasSuffix("/") ? name : name + "/"
      #expect(result.names == relative.map { prefix + $0 })
      #expect(result.sources.allSatisfy { $0.info.root == name })
      #expect(result.texts(prefix + "a/b/c.log") == ["dump/a/b/c.log"])
    }
  }

  @Test func refusesSymlinksThatLeaveTheFolderAndReadsInsideOnesOnce() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("outside/secret.txt", "secret\n")
    try dir.write("dump/logs/app.log", "app\n")
    let fm = FileManager.default
    let root = dir.path + "/dump"
    try fm.createSymbolicLink(atPath: root + "/escape", withDestinationPath: "../outside/secret.txt")
    try fm.createSymbolicLink(atPath: root + "/escape-dir", withDestinationPath: dir.path + "/outside")
    try fm.createSymbolicLink(atPath: root + "/logs/loop", withDestinationPath: "..")
    try fm.createSymbolicLink(atPath: root + "/again.log", withDestinationPath: "logs/app.log")
    try fm.createSymbolicLink(atPath: root + "/dangling", withDestinationPath: "nowhere")
    let result = collect([root])
    // `again.log` comes first in path order and reaches app.log; the direct path is then a repeat.
    #expect(result.names == [root + "/again.log"])
    #expect(result.texts(root + "/again.log") == ["app"])
    #expect(!result.sources.contains { $0.lines.contains { $0.text == "secret" } })
    let messages = result.diagnostics.map { "\($0.level): \($0.message)" }
    #expect(
      messages.contains(
        "warning: refused symlink '\(root)/escape': its target '\(dir.path)/outside/secret.txt' is outside '\(root)'"))
    #expect(
      messages.contains(
        "warning: refused symlink '\(root)/escape-dir': its target '\(dir.path)/outside' is outside '\(root)'"))
    #expect(messages.contains("warning: skipped broken symlink '\(root)/dangling'"))
    #expect(messages.contains("note: skipped '\(root)/logs/app.log': file already read through another link"))
    #expect(
      messages.contains("note: skipped '\(root)/logs/loop': directory already read (a symlink loop or a second link)"))
  }

  @Test func readsArchivesAndSkipsBinaryFilesInsideAFolder() throws {
    let dir = try TemporaryDirectory()
    defer { dir.remove() }
    try dir.write("dump/ns/events.json", "{}\n")
    try dir.write("dump/ns/core", [0x7F, 0x45, 0x4C, 0x46, 0, 0])
    try dir.write("dump/ns/empty.txt", [])
    try dir.write("pack/prod/pod.txt", "Name: web-0\n")
    try dir.run(["tar", "-czf", "dump/bundle.tgz", "-C", "pack", "prod/pod.txt"])
    try dir.run(["gzip", "dump/ns/events.json"])
    let root = dir.path + "/dump"
    let result = collect([root])
    #expect(result.names == [root + "/bundle.tgz!prod/pod.txt", root + "/ns/events.json.gz"])
    #expect(result.texts(root + "/bundle.tgz!prod/pod.txt") == ["Name: web-0"])
    #expect(result.sources.map(\.info.relativePath) == ["prod/pod.txt", "ns/events.json.gz"])
    #expect(result.sources.allSatisfy { $0.info.root == root })
    #expect(result.messages(.note).sorted() == ["empty source", "skipped binary data: a NUL byte at byte 4"])
  }
}
