import Foundation

/// The ranges a number read from input must fall in before it reaches arithmetic or a conversion
/// (docs/architecture.md "What must hold": hostile input is checked). A value outside them is
/// a diagnostic at the place it was read and the fact is dropped; the helpers here never trap.
package enum Plausible {
  /// Kubernetes API times are RFC 3339 with a four-digit year: 0001-01-01 … 9999-12-31 UTC
  /// (https://pkg.go.dev/k8s.io/apimachinery/pkg/apis/meta/v1#Time).
  package static let epochSeconds: ClosedRange<Double> = -62_135_596_800...253_402_300_799

  /// The longest duration podmortem reasons about: 100 years. Every Kubernetes duration
  /// (back-off, grace period, probe timing) is far below it.
  package static let maxDurationSeconds: Double = 100 * 365 * 86_400

  /// Counts, exit codes and probe fields are `int32` in the Kubernetes API
  /// (https://github.com/kubernetes/api/blob/master/core/v1/types.go).
  package static let int32Range: ClosedRange<Int> = Int(Int32.min)...Int(Int32.max)

  /// A date for `seconds` since 1970 when it is finite and within `epochSeconds`; nil otherwise.
  package static func date(secondsSince1970 seconds: Double) -> Date? {
    guard seconds.isFinite, epochSeconds.contains(seconds) else { return nil }
    return Date(timeIntervalSince1970: seconds)
  }

  /// True for a date within `epochSeconds` (not NaN, not infinite).
  package static func contains(_ date: Date) -> Bool {
    let seconds = date.timeIntervalSince1970
    return seconds.isFinite && epochSeconds.contains(seconds)
  }

  /// A duration in seconds when finite and at most `maxDurationSeconds` in size; nil otherwise.
  package static func duration(_ seconds: Double) -> Double? {
    guard seconds.isFinite, abs(seconds) <= maxDurationSeconds else { return nil }
    return seconds
  }

  /// An `int32` API field parsed from text; nil when it is not a number or out of range.
  package static func int32(_ text: some StringProtocol) -> Int? {
    guard let value = Int32(text) else { return nil }
    return Int(value)
  }
}

extension Int {
  /// `value` rounded toward zero and clamped to `Int`'s range; NaN becomes 0. For display and
  /// facts of values already range-checked where they were read, so a miss cannot trap.
  package init(saturating value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 9.2e18 {
      self = .max
    } else if value <= -9.2e18 {
      self = .min
    } else {
      self = Int(value)
    }
  }
}

extension ClosedRange where Bound == Double {
  /// `a...b` with the bounds ordered; NaN bounds become 0. Never traps.
  package static func ordered(_ a: Double, _ b: Double) -> ClosedRange<Double> {
    let x = a.isNaN ? 0 : a
    let y = b.isNaN ? 0 : b
    return Swift.min(x, y)...Swift.max(x, y)
  }
}
