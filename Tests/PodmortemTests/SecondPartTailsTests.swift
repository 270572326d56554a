import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemTestSupport
import PodmortemText
import Testing

@testable import Podmortem

/// The first half of a kubelet log read in two halves drops the tails the second half filled
/// (`HeadFills`, docs/architecture.md "Memory of the kubelet-log run"): the reports and
/// diagnostics are byte for byte those of reading the file in one go, whether the second half is
/// used or, with lines no parser reads after the middle, the first half reads on to the end. When
/// the reading on leaves a dropped tail short, the tail is given the first half's records again
/// from a second reading of the file (`SecondPart.reread`), which must give the records of the
/// single reading, in its order.
@Suite struct SecondPartTailsTests {
  /// `SecondPartHeadsTests.log` with, when `unread`, lines no parser reads after the middle (each
  /// after an empty line, which ends a held line: else it would be read as that line's wrapped rest).
  static func log(seed: UInt64, bytes: Int, pods: Int, unread: Bool) -> String {
    let text = SecondPartHeadsTests.log(seed: seed, bytes: bytes, pods: pods)
    guard unread else { return text }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var rng = SplitMix64(seed: seed &+ 17)
    for _ in 0..<5 {
      let at = Int.random(in: (lines.count * 3 / 5)..<(lines.count - 1), using: &rng)
      lines.insert(contentsOf: ["", "goroutine \(at) [running]:"], at: at)
    }
    return lines.joined(separator: "\n")
  }

  @Test(arguments: 0..<4)
  func tailsDroppedGiveTheSameReports(seed: UInt64) throws {
    let unread = seed % 2 == 1
    let path = try SecondPartTests.write(
      Self.log(seed: seed, bytes: 300_000 + Int(seed) * 40_000, pods: 2 + Int(seed), unread: unread),
      name: "tails-\(seed).log")
    let used = SecondPartTests.compare(path)
    #expect(used.count == (unread ? 0 : 1), "\(seed)")
  }

  /// The second reading gives every log record of the single reading, in its order, on generated
  /// logs of every kind `SecondPartTests` makes (multi-line values, wrapped lines, CRLF, journald
  /// lines, lines no parser reads) and on the shipped kubelet logs, with the capture time given
  /// and found in the file.
  @Test(arguments: 0..<6)
  func theSecondReadingGivesTheSameRecords(seed: UInt64) throws {
    let text = SecondPartTests.log(
      seed: seed &+ 100, bytes: 150_000 + Int(seed) * 20_000, unread: seed % 3 == 0, crlf: seed % 3 == 1)
    let path = try SecondPartTests.write(text, name: "reread-\(seed).log")
    let origin: CaptureTime.Origin = seed % 2 == 0 ? .flag : .fileModificationTime
    let read = SecondPart.readTwice(
      path, captureTime: CaptureTime(date: Date(timeIntervalSince1970: 1_795_740_000), origin: origin))
    #expect(read.once.count > 100)
    #expect(read.again == read.once, "\(seed)")
  }

  @Test func theSecondReadingGivesTheShippedLogsRecords() throws {
    let logs = [
      "samples/bundles/kubelet-journal/kubelet-journal.log",
      "samples/bundles/must-gather/must-gather.local.1234/quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-abc/host_service_logs/masters/kubelet_service.log",
    ]
    for log in logs {
      let path = SecondPartTests.repo.appendingPathComponent(log).path
      let read = SecondPart.readTwice(
        path, captureTime: CaptureTime(date: Date(timeIntervalSince1970: 1_795_740_000), origin: .input))
      #expect(!read.once.isEmpty)
      #expect(read.again == read.once, "\(log)")
    }
  }
}

extension SecondPart {
  /// The log records of `path` as the reading thread's single reading gives them (split offered,
  /// not taken) and as `reread` gives them again: the same, in the same order
  /// (`SecondPartTailsTests`).
  fileprivate static func readTwice(
    _ path: String, captureTime: CaptureTime
  ) -> (once: [LogRecord], again: [LogRecord]) {
    var options = InputOptions()
    options.splitFilesAbove = 1
    let reader = InputReader(options: options, diagnostics: { _ in })
    let ingestor = Ingestor(patterns: PatternCatalog.shipped(diagnostics: { _ in }))
    var once: [LogRecord] = []
    var again: [LogRecord] = []
    reader.read([path]) { info, lines in
      let parts = reader.parts.take()
      let context = ParseContext(source: info, captureTime: captureTime, diagnostics: { _ in })
      var start: IngestStart?
      _ = ingestor.ingest(&lines, context: context, started: { start = $0 }) { record in
        if case .log(let log) = record { once.append(log) }
      }
      if let parts, let start { reread(parts, start, ingestor: ingestor) { again.append($0) } }
    }
    return (once, again)
  }
}
