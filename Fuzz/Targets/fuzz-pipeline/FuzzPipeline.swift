// libFuzzer entry point: the whole analysis of one file — input detection and archives, the
// format sniffer and every parser, correlation, the rules, masking and every renderer — wired as
// `Analysis.run` wires it, with the shipped patterns loaded once (docs/architecture.md "Fuzzing").

import FuzzSupport
import PodmortemCorrelate
import PodmortemDiagnose
import PodmortemIngest
import PodmortemInput
import PodmortemModel
import PodmortemReport
import PodmortemText

let patterns = PatternCatalog.shipped(diagnostics: { _ in })

/// One input; libFuzzer calls it once per generated input.
func fuzzPipeline(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard ScratchFile.write(fuzzBytes(data, size)) else { return 0 }
  let options = InputOptions(maxBytesPerSource: 8 << 20, maxLineBytes: 64 << 10, maxTotalBytes: 32 << 20)
  let reader = InputReader(options: options, diagnostics: { _ in })
  let ingestor = Ingestor(patterns: patterns)
  var correlator = Correlator()
  var accounts: [SourceAccount] = []
  reader.read([ScratchFile.path]) { info, lines in
    // Not `.flag`: a capture time found in the input (a `date` line, a bundle name) is used.
    let context = fuzzContext(info, origin: .fileModificationTime)
    let account = ingestor.ingest(&lines, context: context) { correlator.add($0) }
    if let capture = account.captureTime { correlator.note(capture) }
    accounts.append(account)
  }
  let state = correlator.finish()
  let findings = Diagnoser(patterns: patterns).diagnose(state)
  let report = ReportInput(
    toolVersion: "fuzz", accounts: accounts, diagnostics: [], state: state, findings: findings,
    filter: OutputFilter(masker: SecretMasker()))
  _ = TextRenderer().render(report)
  _ = MarkdownRenderer().render(report)
  _ = JSONRenderer().render(report)
  _ = HTMLRenderer().render(report)
  _ = JUnitRenderer().render(report)
  _ = SARIFRenderer().render(report)
  _ = EventsTableRenderer().render(report.state.events)
  return 0
}

@main
enum FuzzPipeline {
  static func main() { runFuzzer(fuzzPipeline) }
}
