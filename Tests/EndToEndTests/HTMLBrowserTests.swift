import Foundation
import Testing

/// The HTML report in a real browser (issue 14): headless Chromium renders the report of three
/// samples, screenshots it into `.build/html-report/`, and the DOM it built must hold the summary,
/// every finding's title, the timeline's axis labels and the evidence, with nothing wider than the
/// page. Skipped, saying why, only when no Chromium is installed (`.ci/run` installs Debian's).
@Suite(.serialized) struct HTMLBrowserTests {
  static let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

  static let output = BinaryRunner.repoRoot.appendingPathComponent(".build/html-report")

  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    /// The back-off waits the picture must draw: `waited` (a finish, then the next start) and
    /// `due` (a container waiting in CrashLoopBackOff).
    var backOff: [String]
    var testDescription: String { name }
  }

  static let cases = [
    Case(name: "liveness", input: "samples/liveness-http-timeout/describe.txt", backOff: ["waited"]),
    Case(name: "crashloop-max", input: "samples/crashloop-max/describe.txt", backOff: ["due"]),
    Case(name: "cluster-info-dump", input: "samples/bundles/cluster-info-dump", backOff: ["waited", "due"]),
  ]

  /// Runs Chromium headless on `page` with `arguments`, and returns what it printed.
  static func chromium(_ arguments: [String], page: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(chromium))
    process.arguments =
      ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2000"]
      + arguments + [page.absoluteString]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test(
    .enabled(if: chromium != nil, "no Chromium installed (apt-get install chromium): the browser check is skipped"),
    arguments: cases)
  func rendersInABrowser(_ c: Case) throws {
    let report = try BinaryRunner.run(["--format", "html", "--now", "2026-11-27T01:00:00Z", c.input])
    #expect(report.status == 0 || report.status == 1, "\(report.stderr)")
    try FileManager.default.createDirectory(at: Self.output, withIntermediateDirectories: true)
    let page = Self.output.appendingPathComponent("\(c.name).html")
    try report.stdout.write(to: page, atomically: true, encoding: .utf8)
    let screenshot = Self.output.appendingPathComponent("\(c.name).png")
    try? FileManager.default.removeItem(at: screenshot)
    _ = try Self.chromium(["--screenshot=\(screenshot.path)"], page: page)
    #expect(FileManager.default.fileExists(atPath: screenshot.path), "no screenshot of \(c.name)")

    // The report has no scripts; this copy gets one that measures the laid-out page and writes the
    // result into the DOM that --dump-dom prints.
    let probe = Self.output.appendingPathComponent("\(c.name)-measured.html")
    let measure = """
      <script>addEventListener('load',()=>{const w=document.documentElement.clientWidth;
      const wide=[...document.querySelectorAll('body *')].filter(e=>e.getBoundingClientRect().right>w+1)
      .map(e=>e.tagName+'.'+e.className);document.body.setAttribute('data-overflow',wide.slice(0,5).join(' ')||'none');
      document.body.setAttribute('data-scroll',String(document.documentElement.scrollWidth>w));
      const waits=[...document.querySelectorAll('svg rect.backoff')].filter(r=>r.getBoundingClientRect().width>0);
      document.body.setAttribute('data-backoff',waits.map(r=>r.classList.contains('due')?'due':'waited').join(' ')||'none');
      });</script>
      """
    try report.stdout.replacingOccurrences(of: "</body>", with: measure + "</body>")
      .write(to: probe, atomically: true, encoding: .utf8)
    let dom = try Self.chromium(["--dump-dom", "--virtual-time-budget=2000"], page: probe)
    #expect(dom.contains("<section id=\"summary\">"), "\(c.name): no summary")
    let json = try BinaryRunner.run(["--format", "json", "--now", "2026-11-27T01:00:00Z", c.input])
    let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
    let findings = document?["findings"] as? [[String: Any]] ?? []
    #expect(!findings.isEmpty, "\(c.name): no findings to check")
    for f in findings {
      let title = try #require(f["title"] as? String)
      let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&#39;")
      #expect(dom.contains(escaped) || dom.contains(title), "\(c.name): finding '\(title)' not in the page")
    }
    #expect(dom.contains("class=\"tick\""), "\(c.name): no timeline axis labels")
    #expect(dom.contains("<ol class=\"evidence\">"), "\(c.name): no evidence")
    #expect(
      dom.contains("data-overflow=\"none\""),
      "\(c.name): elements wider than the page: \(Self.attribute("data-overflow", in: dom))")
    #expect(dom.contains("data-scroll=\"false\""), "\(c.name): the page scrolls sideways")
    // Back-off waits are drawn, with a width, in the timeline picture: the wait between a run's
    // end and the next start, and the wait still running for a container in CrashLoopBackOff.
    let drawn = Self.attribute("data-backoff", in: dom).split(separator: " ").map(String.init)
    for kind in c.backOff { #expect(drawn.contains(kind), "\(c.name): no \(kind) back-off drawn (\(drawn))") }
    #expect(dom.contains("<title>back-off "), "\(c.name): a back-off wait has no hover detail")
  }

  static func attribute(_ name: String, in dom: String) -> String {
    guard let start = dom.range(of: "\(name)=\"") else { return "?" }
    return String(dom[start.upperBound...].prefix { $0 != "\"" })
  }

  /// Input text is escaped: a message holding markup shows as text, never as an element.
  @Test func hostileTextIsEscaped() throws {
    let events = """
      LAST SEEN   TYPE      REASON      OBJECT      MESSAGE
      10s         Warning   BackOff     pod/web-0   Back-off restarting failed container web in pod web-0_default(0f1c)
      10s         Warning   Failed      pod/web-0   Error: <script>alert(1)</script><img src=x onerror=alert(2)>
      """
    let report = try BinaryRunner.run(
      ["--format", "html", "--all-pods", "--now", "2026-11-27T01:00:00Z"], stdin: events)
    #expect(!report.stdout.contains("<script>alert"))
    #expect(!report.stdout.contains("<img src=x"))
    #expect(report.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(!report.stdout.lowercased().contains("<script"))
  }
}
