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
        \(Invocation.name) events describe-*.txt events.json
        \(Invocation.name) events --for pod/web-0 --types Warning --since 10m dump/
        \(Invocation.name) events -n prod -o json --since 2026-11-27T00:30:00Z dump/
      """
  )

  @OptionGroup var input: InputOptionsGroup

  @OptionGroup(title: "Selection (kubectl's flags)") var select: SelectionOptionsGroup

  @Option(
    name: [.customShort("o", allowingJoined: true), .customLong("output"), .customLong("format")],
    help: "Output format (-o as in kubectl).")
  var format: EventsFormat = .text

  @Option(
    name: .customLong("fail-on-unrecognised"),
    help: ArgumentHelp(
      "Exit 3 when more than this percentage (0-100) of the lines read were not recognised (format drift).",
      valueName: "percent"))
  var failOnUnrecognised: PercentArgument?

  enum EventsFormat: String, RawValueArgument { case text, json }

  func validate() throws { try rejectNearMissCommand(input.inputs) }

  func run() throws {
    let terminal = Terminal(colour: input.color)
    try terminal.requireOutput()
    // The events table and document print no timeline: none is built.
    var options = input.analysisOptions()
    options.timelines = false
    let result = ProgressDrawer.run(Analysis(options: options), terminal: terminal)
    let outcome = Outcome(result.report, failOn: nil, unrecognisedLimit: failOnUnrecognised?.value)
    let events = select.selection.events(in: result.report.state)
    let renderer = EventsTableRenderer()
    if format == .json {
      // Written as it is rendered: a history of a million events is never held whole.
      try terminal.stream { JSONRenderer().renderEvents(result.report, events: events, to: $0) }
    } else if outcome.hasReport {
      try terminal.write(renderer.render(events))
    }
    // As `kubectl events` does: the empty table is a note on stderr, so stdout holds only the report.
    if let reason = result.nothingReadReason ?? outcome.reason {
      terminal.note("podmortem: \(reason)\n")
    } else if events.isEmpty && format == .text {
      terminal.note("podmortem: no events found\n")
    }
    if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
  }
}
