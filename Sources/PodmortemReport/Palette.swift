import PodmortemModel

/// How text is styled on a terminal. Renderers ask for a role; the palette decides the bytes,
/// so colour escapes never live in strings and `plain` output never contains one.
package struct Palette: Sendable {
  package enum Role: Sendable {
    case critical, warning, info, heading, dim, emphasis
  }

  private let enabled: Bool

  /// No styling at all (pipes, files, `NO_COLOR`).
  package static let plain = Palette(enabled: false)
  /// ANSI SGR colours for a terminal.
  package static let ansi = Palette(enabled: true)

  private init(enabled: Bool) { self.enabled = enabled }

  package func paint(_ text: String, _ role: Role) -> String {
    guard enabled else { return text }
    let code =
      switch role {
      case .critical: "1;31"
      case .warning: "1;33"
      case .info: "1;36"
      case .heading: "1"
      case .dim: "2"
      case .emphasis: "1"
      }
    return "\u{1B}[\(code)m\(text)\u{1B}[0m"
  }

  package func paint(_ severity: PodmortemModel.Severity) -> String {
    let label = severity.rawValue.uppercased()
    switch severity {
    case .critical: return paint(label, .critical)
    case .warning: return paint(label, .warning)
    case .info: return paint(label, .info)
    }
  }
}
