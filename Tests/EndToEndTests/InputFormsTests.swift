import Foundation
import Testing

/// Everything a user can point podmortem at — a file, a .gz, a .tar.gz, a .zip, a directory —
/// shows up in `--format json` with its provenance and line accounting.
@Suite("input forms through the binary")
struct InputFormsTests {
  static let text = "Name:             web-0\nNamespace:        default\nStatus:           Running\n"

  private func sources(_ args: [String], cwd: URL) throws -> [[String: Any]] {
    let r = try BinaryRunner.run(["--format", "json"] + args, cwd: cwd)
    #expect(r.status == 0 || r.status == 1, "stderr: \(r.stderr)")
    let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return doc?["sources"] as? [[String: Any]] ?? []
  }

  @Test("file, gzip, tar.gz, zip and directory")
  func allForms() throws {
    let dir = try BinaryRunner.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try Self.text.write(to: dir.appendingPathComponent("describe.txt"), atomically: true, encoding: .utf8)
    try BinaryRunner.shell(
      """
      mkdir -p bundle/ns/prod && cp describe.txt bundle/ns/prod/describe.txt && \
      gzip -c describe.txt > describe.gz && tar -czf bundle.tar.gz bundle && \
      (cd bundle && zip -qr ../bundle.zip .)
      """, cwd: dir)

    let plain = try sources(["describe.txt"], cwd: dir)
    #expect(plain.first?["source"] as? String == "describe.txt")
    #expect(plain.first?["lines"] as? Int == 3)

    let gz = try sources(["describe.gz"], cwd: dir)
    #expect(gz.first?["lines"] as? Int == 3)

    let tgz = try sources(["bundle.tar.gz"], cwd: dir)
    #expect(tgz.map { $0["source"] as? String } == ["bundle.tar.gz!bundle/ns/prod/describe.txt"])

    let zip = try sources(["bundle.zip"], cwd: dir)
    #expect(zip.map { $0["source"] as? String } == ["bundle.zip!ns/prod/describe.txt"])

    let folder = try sources(["bundle"], cwd: dir)
    #expect(folder.map { $0["source"] as? String } == ["bundle/ns/prod/describe.txt"])
  }
}
