import Foundation
import Testing

/// `--no-trunc` and `--wide` (README "Usage", Width): long timeline and evidence lines printed whole.
@Suite("--no-trunc and --wide")
struct WidthTests {
  static let evicted = "samples/evicted/describe.txt"
  /// The Evicted event's whole message, 229 characters: longer than the 160 a line is cut to.
  static let message =
    "Warning Evicted: The node was low on resource: ephemeral-storage. Threshold quantity: 4177773120, "
    + "available: 3848856Ki. Container importer was using 14237228Ki, request is 0, has larger consumption of "
    + "ephemeral-storage."

  static func timelineLine(_ stdout: String) -> String? {
    stdout.split(separator: "\n").map(String.init).first { $0.contains("event  Warning Evicted:") }
  }

  @Test("by default the long timeline line is cut with '…'; --no-trunc and --wide print it whole")
  func wholeLines() throws {
    let cut = try BinaryRunner.run(["--now", "2026-11-27T01:00:00Z", Self.evicted])
    let short = try #require(Self.timelineLine(cut.stdout))
    #expect(short.hasSuffix("…"))
    #expect(!short.contains("has larger consumption"))
    for flag in ["--no-trunc", "--wide"] {
      let r = try BinaryRunner.run(["--now", "2026-11-27T01:00:00Z", flag, Self.evicted])
      #expect(r.status == 1, "\(r.stderr)")
      let line = try #require(Self.timelineLine(r.stdout))
      #expect(line.hasSuffix(Self.message), "\(flag): \(line)")
      #expect(!r.stdout.contains("…\n"), "\(flag): no line of the report is cut")
    }
  }

  @Test("--wide only widens text: JSON is the same with and without it")
  func jsonUnchanged() throws {
    let plain = try BinaryRunner.run(["-o", "json", "--now", "2026-11-27T01:00:00Z", Self.evicted])
    let wide = try BinaryRunner.run(["-o", "json", "--now", "2026-11-27T01:00:00Z", "--wide", Self.evicted])
    #expect(plain.stdout == wide.stdout)
  }
}
