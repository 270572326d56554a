import Foundation
import PodmortemCorrelate
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import Testing

/// `Correlator.finishReleasing()` (a run's last diagnosis: the event book is emptied as it is
/// merged) must give the state `finish()` gives, on every sample the repository holds.
struct ReleasingFinishTests {
  static let samples = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("samples")

  /// Each case folder (and file) under samples/, read as one run.
  static func cases() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: samples.path).filter { $0 != "manifest.json" }.sorted()
  }

  /// The capture time the readings of the samples here are given.
  static let capture = CaptureTime(date: Date(timeIntervalSince1970: 1_795_741_200), origin: .input)

  /// Every record of the sample case `name`, in the order the ingest hands them on.
  static func records(ofCase name: String) -> [Record] {
    var records: [Record] = []
    let ingestor = Ingestor()
    InputReader(diagnostics: { _ in }).read([samples.appendingPathComponent(name).path]) { info, reader in
      let context = ParseContext(source: info, captureTime: capture, diagnostics: { _ in })
      _ = ingestor.ingest(&reader, context: context) { records.append($0) }
    }
    return records
  }

  /// Every event of the sample case `name`, in the order the ingest hands them on.
  static func events(ofCase name: String) -> [Event] {
    records(ofCase: name).compactMap { if case .event(let event) = $0 { event } else { nil } }
  }

  static func correlator(reading path: String) -> Correlator {
    var correlator = Correlator()
    let capture = CaptureTime(date: Date(timeIntervalSince1970: 1_795_741_200), origin: .input)
    let ingestor = Ingestor()
    InputReader(diagnostics: { _ in }).read([path]) { info, reader in
      let context = ParseContext(source: info, captureTime: capture, diagnostics: { _ in })
      let account = ingestor.ingest(&reader, context: context) { correlator.add($0) }
      if let t = account.captureTime { correlator.note(t) }
    }
    return correlator
  }

  @Test func releasingFinishGivesTheSameStateOnEverySample() throws {
    let cases = try Self.cases()
    #expect(cases.count > 20)
    var events = 0
    for name in cases {
      let correlator = Self.correlator(reading: Self.samples.appendingPathComponent(name).path)
      let kept = correlator.finish()
      var released = correlator
      let state = released.finishReleasing()
      #expect(state.events == kept.events, "\(name)")
      #expect(state.pods == kept.pods, "\(name)")
      #expect(state.nodeLogs == kept.nodeLogs, "\(name)")
      #expect(state.workloads == kept.workloads, "\(name)")
      #expect(state.caveats == kept.caveats, "\(name)")
      // A copy taken before still holds them: the book's storage was handed over, not shared.
      #expect(correlator.finish().events == kept.events, "\(name)")
      events += kept.events.count
    }
    #expect(events > 100)
  }
}
