import Foundation
import PodmortemIngest
import PodmortemModel
import Testing

/// Times applications write into their own log lines (`WrittenTime`), in the shapes real loggers
/// write them.
@Suite struct WrittenTimeTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var logger: String
    var line: String
    /// The expected instant (RFC 3339, UTC) and how wide the reading is, in seconds.
    var time: String
    var width: Double
    var testDescription: String { logger }
  }

  static let cases: [Case] = [
    Case(
      logger: "zap (production JSON, epoch seconds)",
      line: #"{"level":"error","ts":1795741116.877,"caller":"server/main.go:42","msg":"listen failed"}"#,
      time: "2026-11-27T00:58:36.877Z", width: 0.001),
    Case(
      logger: "zap (ISO8601 encoder)",
      line: #"{"level":"info","ts":"2026-11-27T00:58:20.412Z","msg":"starting inventory","version":"5.0.3"}"#,
      time: "2026-11-27T00:58:20.412Z", width: 0.001),
    Case(
      logger: "pino (epoch milliseconds)",
      line: #"{"level":30,"time":1795741116877,"pid":1,"hostname":"web-0","msg":"request completed"}"#,
      time: "2026-11-27T00:58:36.877Z", width: 0.001),
    Case(
      logger: "logrus JSON",
      line: #"{"level":"warning","msg":"cache miss","time":"2026-11-27T00:58:36+01:00"}"#,
      time: "2026-11-26T23:58:36Z", width: 1),
    Case(
      logger: "logrus text",
      line: #"time="2026-11-27T00:58:36Z" level=error msg="dial tcp 10.0.0.5:5432: connect: connection refused""#,
      time: "2026-11-27T00:58:36Z", width: 1),
    Case(
      logger: "logstash-logback (Spring Boot JSON)",
      line:
        #"{"@timestamp":"2026-11-27T00:58:25.811Z","@version":"1","message":"Starting CheckoutApplication","level":"INFO"}"#,
      time: "2026-11-27T00:58:25.811Z", width: 0.001),
    Case(
      logger: "Spring Boot console",
      line: "2026-11-27 00:58:36.877  INFO 1 --- [           main] c.e.shop.CheckoutApplication : Started",
      time: "2026-11-27T00:58:36.877Z", width: 0.001),
    Case(
      logger: "Spring Boot 3 console (ISO with zone)",
      line: "2026-11-27T00:58:36.877+01:00  INFO 1 --- [main] c.e.shop.CheckoutApplication : Started",
      time: "2026-11-26T23:58:36.877Z", width: 0.001),
    Case(
      logger: "Python logging (default asctime)",
      line: "2026-11-27 00:58:36,877 - worker - ERROR - Traceback (most recent call last):",
      time: "2026-11-27T00:58:36.877Z", width: 0.001),
    Case(
      logger: "Python / Kafka, bracketed",
      line: "[2026-11-27 00:58:36,877] ERROR [KafkaServer id=1] Fatal error during startup (kafka.server.KafkaServer)",
      time: "2026-11-27T00:58:36.877Z", width: 0.001),
    Case(
      logger: "log4j / report-builder",
      line: "2026-11-27 00:58:36.877 INFO  ReportBuilder - starting report-builder 2.4.0 (heap max 512m)",
      time: "2026-11-27T00:58:36.877Z", width: 0.001),
    Case(
      logger: "nginx error log",
      line:
        "2026/11/27 00:58:36 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream",
      time: "2026-11-27T00:58:36Z", width: 1),
    Case(
      logger: "nginx access log",
      line: #"10.244.1.1 - - [27/Nov/2026:00:58:36 +0000] "GET /healthz HTTP/1.1" 502 157 "-" "kube-probe/1.32""#,
      time: "2026-11-27T00:58:36Z", width: 1),
  ]

  @Test(arguments: cases)
  func readsTheTimeALoggerWrote(_ c: Case) throws {
    let range = try #require(WrittenTime.time(in: c.line))
    #expect(range.earliest == date(c.time))
    #expect(abs(range.latest.timeIntervalSince(range.earliest) - c.width * 0.999) < 1e-6)
  }

  /// Lines that say no time, or an implausible one, get none (docs/architecture.md "What must
  /// hold": hostile input is checked).
  @Test(arguments: [
    "panic: runtime error: invalid memory address or nil pointer dereference",
    #"{"level":"info","ts":5,"msg":"uptime counter, not a time"}"#,
    #"{"ts":1e400,"msg":"overflow"}"#,
    #"{"ts":99999999999999999999999999,"msg":"too many digits"}"#,
    #"{"time":"not a time","msg":"x"}"#,
    "0001-01-01 00:00:00 zero time",
    "2026-13-45 25:61:61 no such date",
    "2026-02-30 10:00:00 30 February",
    "20261127 compact digits",
    "2026-11-27 00:58:36.877abc glued to a word",
    "[27/Nov/2026:99:58:36 +0000] bad hour",
    "",
  ])
  func noTimeOrNoPlausibleTime(_ line: String) {
    #expect(WrittenTime.time(in: line) == nil)
  }

  /// The dump's log lines take their written times, so the timeline places them among the events
  /// instead of after them as "(time unknown)".
  @Test func clusterInfoDumpLogSectionsGetTheirTimes() {
    let text = """
      ==== START logs for container report-builder of pod default/report-builder-7f9d6c8b5-c7v2n ====
      OpenJDK 64-Bit Server VM warning: Options -Xverify:none and -noverify were deprecated in JDK 13
      2026-11-27 00:58:36.877 INFO  ReportBuilder - starting report-builder 2.4.0 (heap max 512m)
      ==== END logs for container report-builder of pod default/report-builder-7f9d6c8b5-c7v2n ====
      """
    let logs = ingest(text, name: "logs.txt").records.compactMap { if case .log(let l) = $0 { l } else { nil } }
    #expect(logs.count == 2)
    #expect(logs.first?.time == nil)
    #expect(logs.last?.time?.earliest == date("2026-11-27T00:58:36.877Z"))
  }
}
