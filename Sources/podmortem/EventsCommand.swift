import ArgumentParser
import Foundation
import Podmortem
import PodmortemReport

/// `podmortem events`: one deduplicated event history across every input, sorted by time.
struct EventsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "events",
    abstract: "Print the deduplicated event history merged across all inputs, like kubectl events.",
    discussion: """
      Examples:
        podmortem events describe-*.txt events.json
        podmortem events --for pod/web-0 --types Warning --since 2026-11-27T00:30:00Z dump/
      """
  )

  @OptionGroup var input: InputOptionsGroup

  @Option(name: .customLong("for"), help: "Only events about this object: kind/name (pod/web-0) or a name.")
  var object: String?

  @Option(help: "Only these event types, comma-separated (Normal,Warning).")
  var types: String?

  @Option(name: [.customShort("n"), .long], help: "Only events in this namespace.")
  var namespace: String?

  @Option(help: "Only events last seen at or after this time (RFC 3339).")
  var since: CaptureTimeArgument?

  @Option(help: "Output format: text or json.")
  var format: EventsFormat = .text

  enum EventsFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

  func run() throws {
    let terminal = Terminal()
    try terminal.requireOutput()
    let result = Analysis(options: input.analysisOptions()).run(diagnostics: terminal.diagnose)
    let typeSet = types.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
    let events = result.report.state.events(for: object, types: typeSet, namespace: namespace, since: since?.date)
    let renderer = EventsTableRenderer()
    try terminal.write(format == .json ? renderer.renderJSON(events) : renderer.render(events))
    // As `kubectl events` does: the empty table is a note on stderr, so stdout holds only the report.
    if events.isEmpty && format == .text { terminal.note("podmortem: no events found\n") }
    if let reason = result.nothingReadReason {
      terminal.note("podmortem: \(reason)\n")
      throw ExitCode(2)
    }
  }
}
