import Foundation

/// A moment known only within bounds: `12m` ago means between 12 and 13 minutes ago.
///
/// Absolute RFC 3339 times have a width of their precision (a second for `lastTimestamp`); ages
/// from text keep the width of their HumanDuration band (docs/kubernetes.md §2). Conclusions drawn
/// from a range keep its width — precision is never invented.
package struct TimeRange: Hashable, Sendable, Codable, CustomStringConvertible {
  package var earliest: Date
  package var latest: Date

  package init(earliest: Date, latest: Date) {
    self.earliest = min(earliest, latest)
    self.latest = max(earliest, latest)
  }

  /// An exact instant (width zero).
  package init(exactly date: Date) {
    self.earliest = date
    self.latest = date
  }

  package var width: Double { latest.timeIntervalSince(earliest) }
  package var midpoint: Date { earliest.addingTimeInterval(width / 2) }

  /// The tightest range both allow, or nil when they do not overlap.
  package func intersection(_ other: TimeRange) -> TimeRange? {
    let lo = max(earliest, other.earliest)
    let hi = min(latest, other.latest)
    return lo <= hi ? TimeRange(earliest: lo, latest: hi) : nil
  }

  package func overlaps(_ other: TimeRange) -> Bool { intersection(other) != nil }

  package var description: String {
    // `ISOTime` writes what the format style writes; the style (whose calendar reads ICU's
    // data) is made only for a time outside its range.
    func text(_ date: Date) -> String {
      ISOTime.milliseconds(date)
        ?? date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
    }
    return width < 1 ? text(earliest) : "\(text(earliest))..\(text(latest))"
  }
}

/// The moment a text was captured; ages in the text are relative to it.
package struct CaptureTime: Hashable, Sendable, Codable {
  /// How podmortem chose the anchor, in the order docs/architecture.md "Time" gives.
  package enum Origin: String, Hashable, Sendable, Codable {
    /// `--now` on the command line.
    case flag
    /// A time recorded in the input itself (a bundle's capture time, a `date` line).
    case input
    /// The file's modification time.
    case fileModificationTime = "mtime"
    /// The current time (stdin without any better anchor).
    case currentTime = "now"
  }

  package var date: Date
  package var origin: Origin

  package init(date: Date, origin: Origin) {
    self.date = date
    self.origin = origin
  }
}
