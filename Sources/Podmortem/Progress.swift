import PodmortemInput
import PodmortemText

/// How far an input has been read (`Analysis.progress`), as the Input stage reports it.
package typealias ReadProgress = InputProgress

/// The progress line's text (README "Progress"); the command line decides where and how often
/// to draw it.
package enum ProgressText {
  /// An input is shown once it has taken this long.
  package static let after: Duration = .seconds(1)

  /// `reading bundle.tar.gz!ns/prod/events.json  120.3 MB of 300.0 MB (40%)  45.1 MB/s`, at
  /// most `width` characters (the name is shortened from its start); nil while the input has
  /// taken less than `after`, and once it has been read.
  package static func line(_ progress: ReadProgress, width: Int) -> String? {
    guard !progress.finished, progress.elapsed >= after else { return nil }
    let seconds = Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18
    var amount = megabytes(progress.bytes)
    if let total = progress.total, total > 0 {
      // A growing file can pass the size it had when it was opened: at most 100%.
      let percent = Int(min(100, max(0, (Double(progress.bytes) / Double(total) * 100).rounded(.down))))
      amount += " of \(megabytes(total)) (\(percent)%)"
    }
    let rate =
      seconds > 0 ? "  \(megabytes(Int64(min(Double(Int64.max / 2), Double(progress.bytes) / seconds))))/s" : ""
    let name = VisibleText.escapingControls(progress.current.isEmpty ? progress.input : progress.current)
    let fixed = "reading " + "  " + amount + rate
    let room = max(8, width - 1 - fixed.count)
    let shown = name.count <= room ? name : "…" + name.suffix(room - 1)
    return "reading \(shown)  \(amount)\(rate)"
  }

  /// Bytes in decimal megabytes with one decimal (`120.3 MB`), under a megabyte in kilobytes (`17 kB`).
  static func megabytes(_ bytes: Int64) -> String {
    guard bytes >= 1_000_000 else { return "\(max(0, bytes) / 1000) kB" }
    let tenths = bytes / 100_000
    return "\(tenths / 10).\(tenths % 10) MB"
  }
}
