import Foundation
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

/// "a time found in the input" anchors ages when `--now` is not given (docs/architecture.md "Time").
@Suite struct CaptureTimeFinderTests {
  static let describe = """
    $ date -u
    Fri Nov 27 01:00:00 UTC 2026
    $ kubectl describe pod web-0
    Name:             web-0
    Namespace:        default
    Events:
      Type     Reason     Age   From     Message
      ----     ------     ----  ----     -------
      Warning  BackOff    60s   kubelet  Back-off restarting failed container web in pod web-0_default(0f1c)

    """

  private func ingest(_ text: String, origin: CaptureTime.Origin, info: SourceInfo = SourceInfo(name: "paste.txt"))
    -> (SourceAccount, [Event])
  {
    var reader = LineReader(string: text, window: 7)
    let context = ParseContext(
      source: info, captureTime: CaptureTime(date: Date(timeIntervalSince1970: 0), origin: origin),
      diagnostics: { _ in })
    var events: [Event] = []
    let account = Ingestor().ingest(&reader, context: context) { if case .event(let e) = $0 { events.append(e) } }
    return (account, events)
  }

  @Test func aDateLineAboveThePasteAnchorsTheAges() throws {
    let (account, events) = ingest(Self.describe, origin: .fileModificationTime)
    let now = try #require(Timestamps.rfc3339("2026-11-27T01:00:00Z"))
    #expect(account.captureTime == CaptureTime(date: now, origin: .input))
    #expect(account.unrecognised == 0)
    let lastSeen = try #require(events.first?.lastSeen)
    // `60s` is 60–60.999 s ago (docs/kubernetes.md §2), from the pasted `date`, not from the epoch.
    #expect(abs(lastSeen.earliest.timeIntervalSince(now) + 60.999) < 0.01)
    #expect(lastSeen.latest == now.addingTimeInterval(-60))
  }

  @Test func theFlagWins() {
    let (account, _) = ingest(Self.describe, origin: .flag)
    #expect(account.captureTime?.origin == .flag)
    #expect(account.captureTime?.date == Date(timeIntervalSince1970: 0))
  }

  @Test func aSupportBundleNameCarriesItsTime() throws {
    let info = SourceInfo(
      name: "b.tar.gz!supportbundle-2026-11-27T01_00_00/cluster-resources/events/default.json",
      relativePath: "supportbundle-2026-11-27T01_00_00/cluster-resources/events/default.json", root: "b.tar.gz")
    #expect(CaptureTimeFinder.find(head: [], info: info)?.date == Timestamps.rfc3339("2026-11-27T01:00:00Z"))
  }

  @Test(arguments: [
    "Fri Nov 27 01:00:00 CET 2026", "Start Time:       Thu, 26 Nov 2026 23:10:00 +0000",
    "2026-11-27T01:00:00.123Z stdout F hello", "Nov 27 01:00:00",
  ])
  func notACaptureTime(_ text: String) {
    #expect(CaptureTimeFinder.find(head: [Line(number: 1, text: text)], info: SourceInfo(name: "x")) == nil)
  }
}
