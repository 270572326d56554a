import Foundation
import PodmortemModel
import PodmortemText

/// Wall-clock readings in a time zone, for log timestamps that carry no offset: klog and journald
/// leave out the year and the zone (docs/kubernetes.md §10.1). RFC 3339 times go through `RFC3339`.
package enum LogTime {
  /// The instant a wall-clock reading in `zone` names, or nil when the reading is not a valid date
  /// (month 13, 30 February, hour 25).
  package static func instant(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double = 0,
    zone: TimeZone
  ) -> Date? {
    guard CivilDate.isValid(year: year, month: month, day: day), (0...23).contains(hour), (0...59).contains(minute),
      (0...60).contains(second)
    else { return nil }
    let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
    let local = Double(days * 86_400 + hour * 3_600 + minute * 60 + second) + fraction
    if zone.nextDaylightSavingTimeTransition == nil {
      return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT()))
    }
    // The offset depends on the instant; take it twice so a reading next to a DST change settles.
    let first = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
    return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: first))))
  }

  /// The calendar year `date` falls in, read in `zone`.
  package static func year(of date: Date, in zone: TimeZone) -> Int {
    let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
    return CivilDate.year(fromDays: Int(saturating: (local / 86_400).rounded(.down)))
  }

  package static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
}

/// Gives a year to timestamps that have none (klog headers, journald's short format).
///
/// The year is the anchor's year unless that would put the line more than a day after the anchor,
/// in which case it is the year before: a log read on 2 January holds December lines (§10.1).
package struct YearInference: Sendable {
  package var anchor: Date
  package var zone: TimeZone
  private let anchorYear: Int

  package init(anchor: Date, zone: TimeZone) {
    self.anchor = anchor
    self.zone = zone
    self.anchorYear = LogTime.year(of: anchor, in: zone)
  }

  package func instant(month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double) -> Date? {
    if let date = LogTime.instant(
      year: anchorYear, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone), date.timeIntervalSince(anchor) <= 86_400
    {
      return date
    }
    return LogTime.instant(
      year: anchorYear - 1, month: month, day: day, hour: hour, minute: minute, second: second, fraction: fraction,
      zone: zone)
  }
}
