import Foundation
import PodmortemInput
import PodmortemModel
import Testing

@testable import PodmortemIngest

/// samples/ and samples/manifest.json: the text the real kubectl printed against the fixture API
/// server, and the command, version and stderr of each file.
enum Samples {
  /// The repository root, three folders above this file.
  static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let folder = repoRoot.appendingPathComponent("samples")
  static let fixtures = repoRoot.appendingPathComponent("tools/fixture-apiserver/fixtures")

  /// The manifest, or nil when it cannot be read (a test then fails on `files` being empty).
  static let manifest: Manifest? = decode(Manifest.self, at: folder.appendingPathComponent("manifest.json"))

  /// The moment every age in the samples is relative to (manifest `captureEpoch`).
  static let epoch: Date = manifest.flatMap { date($0.captureEpoch) } ?? .distantPast
  static var capture: CaptureTime { CaptureTime(date: epoch, origin: .flag) }

  /// The time-series samples: each file has its own capture time, and their facts are checked
  /// against each other by Tests/PodmortemCorrelateTests/SampleHistoryTests.swift.
  static let ownCaptureTimes: Set<String> = ["snapshots"]

  /// Every kubectl text sample (stdout) captured at the epoch, in manifest order.
  static let files: [SampleFile] = (manifest?.cases ?? [:]).sorted { $0.key < $1.key }.filter {
    !ownCaptureTimes.contains($0.key)
  }.flatMap { name, entry in
    entry.files.keys.sorted().filter { $0.hasSuffix(".txt") && !$0.hasSuffix(".stderr.txt") }.compactMap { file in
      entry.files[file].map { SampleFile(caseName: name, file: file, info: $0) }
    }
  }

  /// Every stderr kubectl wrote, as the manifest names it.
  static let stderrFiles: [String] = (manifest?.cases ?? [:]).sorted { $0.key < $1.key }.flatMap { name, entry in
    entry.files.values.compactMap(\.stderr).sorted().map { "\(name)/\($0)" }
  }

  static func decode<T: Decodable>(_ type: T.Type, at url: URL) -> T? {
    guard let data = try? Data(contentsOf: url) else { return nil }
    return try? JSONDecoder().decode(type, from: data)
  }

  /// An RFC 3339 time (seconds or fractions), or a fixture's `now-22m9.96s` resolved against the
  /// capture epoch, read without podmortem's own parsers.
  static func date(_ text: String?) -> Date? {
    guard let text else { return nil }
    if text.hasPrefix("now-") {
      guard let seconds = goDuration(text.dropFirst(4)), let manifest, let base = date(manifest.captureEpoch) else {
        return nil
      }
      return base.addingTimeInterval(-seconds)
    }
    let formatter = ISO8601DateFormatter()
    if let d = formatter.date(from: text) { return d }
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text)
  }

  /// `22m9.962118s` → 1329.962118 (the units the fixtures use: h, m, s).
  private static func goDuration(_ text: Substring) -> Double? {
    var total = 0.0
    var number = ""
    for c in text {
      if c.isNumber || c == "." {
        number.append(c)
        continue
      }
      guard let value = Double(number) else { return nil }
      switch c {
      case "h": total += value * 3600
      case "m": total += value * 60
      case "s": total += value
      default: return nil
      }
      number = ""
    }
    return number.isEmpty ? total : nil
  }
}

/// samples/manifest.json.
struct Manifest: Decodable {
  struct Case: Decodable {
    var files: [String: FileInfo]
    var pod: String?
    var namespace: String?
  }

  struct FileInfo: Decodable {
    var command: String
    var namespace: String
    var serverVersion: String
    var stderr: String?
  }

  var captureEpoch: String
  var cases: [String: Case]
}

/// One text sample: a case and a file in it.
struct SampleFile: Sendable, CustomTestStringConvertible {
  enum Kind: Sendable {
    case describe, getPods, getEvents, kubectlEvents
  }

  var caseName: String
  var file: String
  var command: String
  var namespace: String
  /// The kubectl minor that printed the file (`1.32`).
  var version: String

  init(caseName: String, file: String, info: Manifest.FileInfo) {
    self.caseName = caseName
    self.file = file
    self.command = info.command
    self.namespace = info.namespace
    self.version = info.serverVersion
  }

  var testDescription: String { "\(caseName)/\(file)" }
  var url: URL { Samples.folder.appendingPathComponent(caseName).appendingPathComponent(file) }

  var kind: Kind {
    let words = command.split(separator: " ")
    if words.contains("describe") { return .describe }
    if words.contains("pods") || words.contains("pod") { return .getPods }
    if words.dropFirst().first == "events" { return .kubectlEvents }
    return .getEvents
  }

  var isWide: Bool { command.contains("-o wide") }
  var isWatch: Bool { command.contains(" -w") || command.contains("--watch") }
  var allNamespaces: Bool { command.hasSuffix(" -A") || command.contains(" -A ") }
}

/// What the Ingestor made of one sample.
struct IngestedSample {
  var records: [Record] = []
  var account: SourceAccount

  var pods: [PodSnapshot] { records.compactMap { if case .pod(let p) = $0 { p } else { nil } } }
  var events: [Event] { records.compactMap { if case .event(let e) = $0 { e } else { nil } } }

  /// Reads `url` through `Ingestor().ingest` anchored at the capture epoch, as `--now` would,
  /// `window` bytes at a time.
  init(url: URL, name: String, window: Int = .max) throws {
    // A test fixture, not user input: reading it whole is fine here.
    let text = try String(contentsOf: url, encoding: .utf8)
    var reader = LineReader(string: text, window: window)
    let context = ParseContext(source: SourceInfo(name: name), captureTime: Samples.capture, diagnostics: { _ in })
    var records: [Record] = []
    account = Ingestor().ingest(&reader, context: context) { records.append($0) }
    self.records = records
  }
}

// MARK: - The fixture truth, as kubectl -o json printed it

/// A port: a number or a name.
struct IntOrString: Decodable, Equatable {
  var text: String

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let n = try? c.decode(Int.self) { text = String(n) } else { text = try c.decode(String.self) }
  }
}

/// `kubectl get pod -o json`, the fields the round trip compares.
struct TruthPod: Decodable {
  struct Metadata: Decodable {
    var name: String
    var namespace: String
    var uid: String
    var creationTimestamp: String
    var deletionTimestamp: String?
    var deletionGracePeriodSeconds: Int?
    var labels: [String: String]?
    var ownerReferences: [Owner]?
  }

  struct Owner: Decodable {
    var kind: String
    var name: String
    var controller: Bool?
  }

  struct Spec: Decodable {
    var nodeName: String?
    var tolerations: [Toleration]?
    var containers: [Container]
    var initContainers: [Container]?
  }

  struct Toleration: Decodable {
    var key: String?
    var value: String?
    var effect: String?
    var `operator`: String?
    var tolerationSeconds: Int?
  }

  struct Container: Decodable {
    var name: String
    var image: String
    var resources: Resources?
    var livenessProbe: Probe?
    var readinessProbe: Probe?
    var startupProbe: Probe?
    var restartPolicy: String?
    var env: [Env]?
  }

  struct Env: Decodable { var name: String }

  struct Resources: Decodable {
    var limits: [String: String]?
    var requests: [String: String]?
  }

  struct Probe: Decodable {
    struct Exec: Decodable { var command: [String] }
    struct HTTPGet: Decodable {
      var host: String?
      var path: String?
      var port: IntOrString
      var scheme: String?
    }
    struct TCPSocket: Decodable {
      var host: String?
      var port: IntOrString
    }
    struct GRPC: Decodable {
      var port: Int
      var service: String?
    }

    var exec: Exec?
    var httpGet: HTTPGet?
    var tcpSocket: TCPSocket?
    var grpc: GRPC?
    var initialDelaySeconds: Int?
    var timeoutSeconds: Int?
    var periodSeconds: Int?
    var successThreshold: Int?
    var failureThreshold: Int?
  }

  struct Status: Decodable {
    var phase: String
    var reason: String?
    var message: String?
    var hostIP: String?
    var podIP: String?
    var startTime: String?
    var qosClass: String?
    var conditions: [Condition]?
    var containerStatuses: [ContainerStatus]?
    var initContainerStatuses: [ContainerStatus]?
  }

  struct Condition: Decodable {
    var type: String
    var status: String
    var reason: String?
  }

  struct ContainerStatus: Decodable {
    var name: String
    var ready: Bool
    var restartCount: Int
    var started: Bool?
    var state: State?
    var lastState: State?
  }

  struct State: Decodable {
    struct Running: Decodable { var startedAt: String? }
    struct Waiting: Decodable {
      var reason: String?
      var message: String?
    }
    struct Terminated: Decodable {
      var reason: String?
      var message: String?
      var exitCode: Int
      var signal: Int?
      var startedAt: String?
      var finishedAt: String?
    }

    var running: Running?
    var waiting: Waiting?
    var terminated: Terminated?
  }

  var metadata: Metadata
  var spec: Spec
  var status: Status
}

/// One core/v1 Event, from a case's events.json or (for node events the per-pod query leaves out)
/// the fixture itself.
struct TruthEvent: Decodable {
  struct Metadata: Decodable {
    var name: String
    var namespace: String
  }

  struct Involved: Decodable {
    var kind: String
    var name: String
    var uid: String?
    var fieldPath: String?
  }

  struct Source: Decodable {
    var component: String?
    var host: String?
  }

  struct Series: Decodable {
    var count: Int
    var lastObservedTime: String
  }

  var metadata: Metadata
  var involvedObject: Involved
  var type: String
  var reason: String
  var message: String?
  var count: Int?
  var firstTimestamp: String?
  var lastTimestamp: String?
  var eventTime: String?
  var series: Series?
  var source: Source?
  var reportingComponent: String?
  var reportingInstance: String?
  /// Printed by a watch after the initial list: its age is relative to when it was printed.
  var streamed = false
  /// The watch verb `--output-watch-events` prints for it.
  var watchType = "ADDED"

  private enum CodingKeys: String, CodingKey {
    case metadata, involvedObject, type, reason, message, count, firstTimestamp, lastTimestamp, eventTime, series
    case source, reportingComponent, reportingInstance
  }

  var trimmedMessage: String { (message ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

  /// COUNT as every printer shows it: series.count, else count, and 1 for 0 (§1.6, §3.1).
  var shownCount: Int { series?.count ?? (count ?? 0 == 0 ? 1 : count ?? 1) }

  /// describe/`kubectl events` "first": eventTime if set, else firstTimestamp (§1.6).
  var describeFirst: Date? { Samples.date(eventTime) ?? Samples.date(firstTimestamp) }
  /// describe/`kubectl events` "last", when a count is shown: series.lastObservedTime or lastTimestamp.
  var describeLast: Date? { series.flatMap { Samples.date($0.lastObservedTime) } ?? Samples.date(lastTimestamp) }
  /// `get events` FIRST SEEN: firstTimestamp, or eventTime when that is zero (§3.1).
  var tableFirst: Date? { Samples.date(firstTimestamp) ?? Samples.date(eventTime) }
  /// `get events` LAST SEEN: series.lastObservedTime, else lastTimestamp, else FIRST SEEN (§3.1).
  var tableLast: Date? {
    series.flatMap { Samples.date($0.lastObservedTime) } ?? Samples.date(lastTimestamp) ?? tableFirst
  }

  /// From / SOURCE component: source.component, or reportingController when that is empty.
  var component: String? { nonEmpty(source?.component) ?? nonEmpty(reportingComponent) }
  var host: String? { nonEmpty(source?.host) ?? nonEmpty(reportingInstance) }

  private func nonEmpty(_ s: String?) -> String? { s?.isEmpty == false ? s : nil }
}

/// `{"items": [...]}` of `kubectl get events -o json`.
struct TruthEventList: Decodable {
  var items: [TruthEvent]
}

/// One step of a fixture watch script (fixtures/_all/watch.json).
struct WatchStep: Decodable {
  struct Merge: Decodable { var count: Int? }

  var type: String?
  var ref: String?
  var merge: Merge?
  var object: TruthEvent?
}

/// The pods and events a sample's text must agree with.
struct Truth {
  var pods: [TruthPod] = []
  var events: [TruthEvent] = []
  /// Pods a watch script changes after the initial list: a watch prints them again.
  var streamedPods: [String] = []

  /// The truth for one case: its pod.json and events.json, plus the fixture's events about other
  /// objects (nodes) that `--field-selector involvedObject.name=<pod>` left out of events.json.
  static func load(caseName: String) -> Truth {
    let dir = Samples.folder.appendingPathComponent(caseName)
    var truth = Truth()
    if let pod = Samples.decode(TruthPod.self, at: dir.appendingPathComponent("pod.json")) { truth.pods = [pod] }
    truth.events = Samples.decode(TruthEventList.self, at: dir.appendingPathComponent("events.json"))?.items ?? []
    let fixture = Samples.fixtures.appendingPathComponent(caseName).appendingPathComponent("events.json")
    let known = Set(truth.events.map(\.metadata.name))
    truth.events += (Samples.decode([TruthEvent].self, at: fixture) ?? []).filter { !known.contains($0.metadata.name) }
    return truth
  }

  /// Every case together (what the `_all` samples saw), with the watch script's rows.
  static let all: Truth = {
    var truth = Truth()
    for name in (Samples.manifest?.cases ?? [:]).keys.sorted()
    where name != "_all" && !Samples.ownCaptureTimes.contains(name) {
      let one = load(caseName: name)
      truth.pods += one.pods
      truth.events += one.events
    }
    let script = Samples.fixtures.appendingPathComponent("_all/watch.json")
    for step in Samples.decode([WatchStep].self, at: script) ?? [] {
      var event: TruthEvent?
      if let ref = step.ref, truth.pods.contains(where: { "\($0.metadata.namespace)/\($0.metadata.name)" == ref }) {
        truth.streamedPods.append(ref)
      } else if let ref = step.ref {
        event = truth.events.first { "\($0.metadata.namespace)/\($0.metadata.name)" == ref }
        if let count = step.merge?.count { event?.count = count }
      } else {
        event = step.object
      }
      if var event {
        event.streamed = true
        event.watchType = step.type ?? "MODIFIED"
        truth.events.append(event)
      }
    }
    return truth
  }()

  /// What `file` can show: its namespace unless `-A`, and watch rows only for watches.
  func visible(to file: SampleFile) -> Truth {
    var t = self
    if !file.allNamespaces {
      t.pods = pods.filter { $0.metadata.namespace == file.namespace }
      t.events = events.filter { $0.metadata.namespace == file.namespace }
    }
    if !file.isWatch {
      t.events.removeAll { $0.streamed }
      t.streamedPods = []
    }
    if file.kind == .getPods {
      t.streamedPods = t.streamedPods.filter { ref in
        t.pods.contains { "\($0.metadata.namespace)/\($0.metadata.name)" == ref }
      }
    } else {
      t.streamedPods = []
    }
    t.streamedPods = t.streamedPods.map { String($0.split(separator: "/").last ?? "") }
    return t
  }
}

// MARK: - Comparing

/// Collects the facts a round trip compared and the ones that disagreed.
struct FactCheck {
  var compared = 0
  var failures: [String] = []
  var subject: String

  init(_ subject: String) { self.subject = subject }

  mutating func equal<T: Equatable>(_ parsed: T, _ truth: T, _ fact: String) {
    compared += 1
    if parsed != truth { failures.append("\(subject): \(fact): parsed '\(parsed)', truth '\(truth)'") }
  }

  /// The range a printed age or time stands for contains the JSON time.
  mutating func contains(_ range: TimeRange?, _ truth: Date?, _ fact: String) {
    compared += 1
    guard let truth else {
      failures.append("\(subject): \(fact): no time in the truth")
      return
    }
    guard let range, range.earliest <= truth, truth <= range.latest else {
      failures.append("\(subject): \(fact): \(range.map(String.init(describing:)) ?? "nil") does not contain \(truth)")
      return
    }
  }

  /// A describe RFC 1123Z time agrees with the JSON time within a second.
  mutating func near(_ range: TimeRange?, _ truth: Date?, _ fact: String) {
    compared += 1
    switch (range, truth) {
    case (nil, nil): return
    case (let r?, let t?) where abs(r.earliest.timeIntervalSince(t)) < 1: return
    default:
      failures.append("\(subject): \(fact): parsed \(String(describing: range)), truth \(String(describing: truth))")
    }
  }

  mutating func fail(_ what: String) {
    compared += 1
    failures.append("\(subject): \(what)")
  }
}
