import Foundation
import PodmortemModel

extension CorrelatedState {
  /// The events `podmortem events` shows, filtered like `kubectl events` (docs/kubernetes.md §3.3).
  ///
  /// - `kindName`: `pod/web-0`, `Pod/web-0` (kind compared case-insensitively) or a bare `web-0`;
  ///   an event whose source did not show the kind (describe) matches any kind.
  /// - `types`: `Normal`, `Warning` …, compared case-insensitively.
  /// - `since`: keeps events whose last occurrence may be at or after it.
  package func events(
    for kindName: String? = nil, types: Set<String>? = nil, namespace: String? = nil, since: Date? = nil
  ) -> [MergedEvent] {
    let wanted = kindName.map(Self.splitKindName)
    let lowerTypes = types.map { Set($0.map { $0.lowercased() }) }
    return events.filter { e in
      if let (kind, name) = wanted {
        guard e.involved.name == name else { return false }
        if let kind, let k = e.involved.kind, k.lowercased() != kind { return false }
      }
      if let lowerTypes, !lowerTypes.contains(e.type.description.lowercased()) { return false }
      if let namespace, let ns = e.involved.namespace, ns != namespace { return false }
      if let since, let last = e.lastSeen ?? e.firstSeen, last.latest < since { return false }
      return true
    }
  }

  /// `pod/web-0` → (`pod`, `web-0`); `web-0` → (nil, `web-0`).
  private static func splitKindName(_ s: String) -> (String?, String) {
    guard let slash = s.firstIndex(of: "/") else { return (nil, s) }
    return (String(s[..<slash]).lowercased(), String(s[s.index(after: slash)...]))
  }
}
