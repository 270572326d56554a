import Foundation
import PodmortemCorrelate
import PodmortemModel

/// Everything a renderer may show, produced by the stages before Report. Renderers never
/// re-parse input: they only format this.
package struct ReportInput: Sendable {
  /// podmortem's version, for the JSON document and the HTML footer.
  package var toolVersion: String
  /// What became of every line of every source, in source order.
  package var accounts: [SourceAccount]
  /// Problems with the input, sorted.
  package var diagnostics: [Diagnostic]
  /// The correlated state (pods, events, timelines).
  package var state: CorrelatedState
  /// Findings, most severe first.
  package var findings: [Finding]
  /// Show environment values and anything that looks like a secret (off by default).
  package var revealSecrets: Bool

  package init(
    toolVersion: String, accounts: [SourceAccount], diagnostics: [Diagnostic], state: CorrelatedState,
    findings: [Finding], revealSecrets: Bool = false
  ) {
    self.toolVersion = toolVersion
    self.accounts = accounts
    self.diagnostics = diagnostics
    self.state = state
    self.findings = findings
    self.revealSecrets = revealSecrets
  }
}

/// The output formats podmortem renders.
package enum ReportFormat: String, CaseIterable, Sendable {
  case text, markdown, json, html
}
