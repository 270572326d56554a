import Foundation
import PodmortemInput
import PodmortemModel
import PodmortemText

/// Finds the moment a text was captured in the text itself (docs/architecture.md "Time": `--now`, else a time
/// found in the input, else the file's modification time, else the current time).
///
/// What counts, in the first lines of a source: a line that is only a timestamp — the output of
/// `date` or `date -u` (`Fri Nov 27 01:00:00 UTC 2026`) or an RFC 3339 time — as people paste above
/// a `kubectl` output; and a support bundle's own name, `supportbundle-2026-11-27T01_00_00`. A
/// timestamp inside a table or a describe field is the time of something else, never the capture.
package enum CaptureTimeFinder {
  /// The capture time, and the number of the line that gave it (nil when the path gave it).
  package static func find(head: [Line], info: SourceInfo) -> (date: Date, line: Int?)? {
    if let fromPath = bundleTime(info.relativePath) ?? bundleTime(info.root) { return (fromPath, nil) }
    for line in head {
      let text = line.text.trimmingCharacters(in: .whitespaces)
      guard !text.isEmpty, text.count <= 40 else { continue }
      if let date = dateCommand(text) ?? Timestamps.rfc3339(text) { return (date, line.number) }
    }
    return nil
  }

  /// `Fri Nov 27 01:00:00 UTC 2026` (coreutils `date` in the C locale). Only UTC and GMT: a zone
  /// abbreviation like `CET` or `EST` names no single offset.
  static func dateCommand(_ text: String) -> Date? {
    let f = text.split(separator: " ", omittingEmptySubsequences: true)
    guard f.count == 6, ["UTC", "GMT"].contains(f[4]), let year = Int(f[5]), (1...9999).contains(year),
      let day = Int(f[2]),
      let month = months.firstIndex(of: String(f[1])), weekdays.contains(String(f[0]))
    else { return nil }
    let clock = f[3].split(separator: ":")
    guard clock.count == 3, let h = Int(clock[0]), let m = Int(clock[1]), let s = Int(clock[2]) else { return nil }
    return Timestamps.rfc3339(
      String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", year, month + 1, day, h, m, s))
  }

  /// `supportbundle-2026-11-27T01_00_00` anywhere in a path (troubleshoot names its bundle by the
  /// time it was collected, in UTC).
  static func bundleTime(_ path: String) -> Date? {
    guard let r = path.range(of: "supportbundle-") else { return nil }
    let stamp = path[r.upperBound...].prefix(19)
    guard stamp.count == 19 else { return nil }
    return Timestamps.rfc3339(stamp.replacingOccurrences(of: "_", with: ":") + "Z")
  }

  private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  private static let weekdays: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
}
