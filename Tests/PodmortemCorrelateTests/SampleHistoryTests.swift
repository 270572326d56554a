import Foundation
import PodmortemCorrelate
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemText
import Testing

/// The time-series samples (samples/snapshots/, rendered by the real kubectl) read through the
/// `Ingestor`, each file with its own capture time from samples/manifest.json, into one `Correlator`.
@Suite("sample history")
struct SampleHistoryTests {
  static let series = ["describe-t-20m.txt", "describe-t-10m.txt", "describe-t-0.txt", "events-t-0.json"]
  static let restart = ["kubelet-restart-events.json", "kubelet-restart-describe.txt"]
  static let describes = Array(series.prefix(3))

  @Test("every snapshot file has its capture time in the manifest, 20 and 10 minutes before the epoch and at it")
  func captureTimes() throws {
    let times = try SampleFiles.captureTimes()
    #expect(times["describe-t-20m.txt"] == SampleFiles.epoch.addingTimeInterval(-1200))
    #expect(times["describe-t-10m.txt"] == SampleFiles.epoch.addingTimeInterval(-600))
    #expect(times["describe-t-0.txt"] == SampleFiles.epoch)
    #expect(times["events-t-0.json"] == SampleFiles.epoch)
    for file in Self.series + Self.restart { #expect(times[file] != nil, "\(file)") }
  }

  @Test("each describe snapshot alone shows the counts of its own moment")
  func countsPerSnapshot() throws {
    let expected = ["describe-t-20m.txt": (14, 5), "describe-t-10m.txt": (59, 7), "describe-t-0.txt": (101, 9)]
    for (file, (backOff, restarts)) in expected {
      let s = try SampleFiles.correlate([file])
      #expect(s.event("BackOff")?.count == backOff, "\(file)")
      #expect(s.pods.first?.latest.containers.first?.restartCount == restarts, "\(file)")
    }
  }

  @Test("three describe snapshots merge into one history whose counts are the latest snapshot's, not the sum")
  func describesMerge() throws {
    let merged = try SampleFiles.correlate(Self.describes)
    let latest = try SampleFiles.correlate(["describe-t-0.txt"])
    #expect(merged.pods.count == 1)
    let pod = try #require(merged.pods.first)
    #expect(pod.key.name == "inventory-6d8f7b5c9-zt8mx")
    #expect(pod.snapshots.count == 3)
    #expect(pod.latest.containers.first?.restartCount == 9)
    #expect(merged.events.count == latest.events.count)
    #expect(merged.events.map(\.objects).allSatisfy { $0 == 1 })
    // Sorted: the single describe leaves minute-wide ties that the earlier snapshots break.
    #expect(merged.events.map(SampleFiles.row).sorted() == latest.events.map(SampleFiles.row).sorted())
    #expect(merged.event("BackOff")?.count == 101)
    #expect(pod.events.count == merged.events.count)
    // The 20-minute snapshot saw the first BackOff 3m11s before its capture: the first seen narrows to a second.
    let first = try #require(merged.event("BackOff")?.firstSeen)
    #expect(first.width <= 1)
    let occurred = SampleFiles.epoch.addingTimeInterval(-1391)
    #expect(first.earliest <= occurred && occurred <= first.latest)
  }

  @Test("describe text plus the JSON of the same events is the JSON's history, times narrowed to the JSON's")
  func describeAndJSON() throws {
    let json = try SampleFiles.correlate(["events-t-0.json"])
    for describes in [["describe-t-0.txt"], Self.describes] {
      let both = try SampleFiles.correlate(describes + ["events-t-0.json"])
      #expect(both.events.count == json.events.count)
      for (b, j) in zip(both.events, json.events) {
        #expect(SampleFiles.row(b) == SampleFiles.row(j))
        #expect(b.involved == j.involved)
        #expect(b.sourceHost == j.sourceHost)
        #expect(b.objects == j.objects)
        for (bt, jt) in [(b.firstSeen, j.firstSeen), (b.lastSeen, j.lastSeen)] {
          let bt = try #require(bt)
          let jt = try #require(jt)
          #expect(bt.earliest == jt.earliest, "\(b.reason)")
          #expect(bt.width <= 1, "\(b.reason)")
          #expect(bt.latest <= jt.latest, "\(b.reason)")
        }
      }
    }
  }

  @Test("events of one identity from before and after a kubelet restart add up")
  func kubeletRestart() throws {
    let objects = try SampleFiles.eventObjects("kubelet-restart-events.json")
    #expect(objects.count == 2)
    #expect(Set(objects.map(\.name)).count == 2)
    let older = try #require(objects.min { $0.first < $1.first })
    let newer = try #require(objects.max { $0.first < $1.first })
    #expect(older.last < newer.first)
    for files in [[Self.restart[0]], Self.restart] {
      let s = try SampleFiles.correlate(files)
      #expect(s.events.count == 1)
      let e = try #require(s.event("Unhealthy"))
      #expect(e.count == older.count + newer.count)
      #expect(e.objects == 2)
      #expect(e.firstSeen?.earliest == older.first)
      #expect(e.lastSeen?.earliest == newer.last)
    }
  }

  @Test("the order of the inputs does not matter: every permutation gives the same state")
  func permutations() throws {
    let files = Self.series + Self.restart
    let reference = try SampleFiles.correlate(files)
    var orders = 0
    for order in SampleFiles.permutations(files) {
      #expect(try SampleFiles.correlate(order) == reference, "\(order)")
      orders += 1
    }
    #expect(orders == 720)
  }

  @Test("giving an input twice changes nothing")
  func twice() throws {
    let files = Self.series + Self.restart
    let reference = try SampleFiles.correlate(files)
    #expect(try SampleFiles.correlate(files + files) == reference)
    #expect(try SampleFiles.correlate(files.flatMap { [$0, $0] }) == reference)
    for file in files { #expect(try SampleFiles.correlate(files + [file]) == reference, "\(file)") }
  }
}

/// Reads samples/snapshots/ through the real input and ingest stages, once per file.
enum SampleFiles {
  /// 2026-11-27T01:00:00Z, the manifest's captureEpoch.
  static let epoch = Date(timeIntervalSince1970: 1_795_741_200)

  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("samples/snapshots")

  private struct Manifest: Decodable {
    struct Case: Decodable { var files: [String: File] }
    struct File: Decodable { var captureTime: String? }
    var cases: [String: Case]
  }

  /// The capture time of every file in samples/snapshots/, from samples/manifest.json.
  static func captureTimes() throws -> [String: Date] {
    let url = directory.deletingLastPathComponent().appendingPathComponent("manifest.json")
    let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
    let formatter = ISO8601DateFormatter()
    var times: [String: Date] = [:]
    for (name, file) in manifest.cases["snapshots"]?.files ?? [:] {
      times[name] = file.captureTime.flatMap(formatter.date(from:))
    }
    return times
  }

  /// The records of one sample file, ingested with the capture time the manifest gives it.
  static func read(_ file: String) throws -> (records: [Record], capture: CaptureTime) {
    let date = try #require(try captureTimes()[file], "no captureTime for '\(file)'")
    let capture = CaptureTime(date: date, origin: .input)
    var records: [Record] = []
    var lines = 0
    let ingestor = Ingestor()
    InputReader(diagnostics: { _ in }).read([directory.appendingPathComponent(file).path]) { info, reader in
      let context = ParseContext(source: info, captureTime: capture, diagnostics: { _ in })
      lines += ingestor.ingest(&reader, context: context) { records.append($0) }.lines
    }
    #expect(lines > 0, "nothing read from '\(file)'")
    return (records, capture)
  }

  private static let cache = Cache()

  /// Correlates the files in the order given, as `Analysis` does: records, then the capture time.
  static func correlate(_ files: [String]) throws -> Summary {
    var c = Correlator()
    for file in files {
      let (records, capture) = try cache.get(file)
      for r in records { c.add(r) }
      c.note(capture)
    }
    return Summary(c.finish())
  }

  /// The comparable facts of an event row: what it is and how often it happened.
  static func row(_ e: MergedEvent) -> String { "\(e.type) \(e.reason) \(e.involved.name) x\(e.count): \(e.message)" }

  /// One event object as stored in a JSON event list.
  struct EventObject {
    var name: String
    var count: Int
    var first: Date
    var last: Date
  }

  /// The event objects of a `get events -o json` file, read independently of podmortem's parsers.
  static func eventObjects(_ file: String) throws -> [EventObject] {
    let data = try Data(contentsOf: directory.appendingPathComponent(file))
    let list = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let items = try #require(list["items"] as? [[String: Any]])
    let formatter = ISO8601DateFormatter()
    return try items.map { item in
      let meta = try #require(item["metadata"] as? [String: Any])
      return EventObject(
        name: try #require(meta["name"] as? String), count: try #require(item["count"] as? Int),
        first: try #require((item["firstTimestamp"] as? String).flatMap(formatter.date(from:))),
        last: try #require((item["lastTimestamp"] as? String).flatMap(formatter.date(from:))))
    }
  }

  /// Every ordering of `items` (Heap's algorithm).
  static func permutations<T>(_ items: [T]) -> [[T]] {
    var a = items
    var out: [[T]] = [a]
    var c = [Int](repeating: 0, count: a.count)
    var i = 0
    while i < a.count {
      if c[i] < i {
        a.swapAt(i % 2 == 0 ? 0 : c[i], i)
        out.append(a)
        c[i] += 1
        i = 0
      } else {
        c[i] = 0
        i += 1
      }
    }
    return out
  }

  /// Parsed files, so 720 permutations do not parse them 720 times.
  private final class Cache: @unchecked Sendable {
    // Guarded by `lock`: Swift Testing runs tests in parallel.
    private let lock = NSLock()
    private var files: [String: (records: [Record], capture: CaptureTime)] = [:]

    func get(_ file: String) throws -> (records: [Record], capture: CaptureTime) {
      lock.lock()
      defer { lock.unlock() }
      if let hit = files[file] { return hit }
      let read = try SampleFiles.read(file)
      files[file] = read
      return read
    }
  }
}

extension Summary {
  /// The one event with `reason`.
  func event(_ reason: String) -> MergedEvent? { events.first { $0.reason == reason } }
}
