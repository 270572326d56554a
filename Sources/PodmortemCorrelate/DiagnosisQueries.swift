import PodmortemModel

// What diagnosis asks of a packed record, answered in one walk of its bytes where two readings
// walked them twice (docs/architecture.md "Diagnosis: read a pod once").
extension PackedLog {
  /// `container ?? field("containerName")`: the name a pod known from its log records alone
  /// knows the record's container by. Both readings walked the record's strings from the start
  /// (`field` past the container again to the captures and the fields), and each was handed its
  /// own copy of the record; this walks them once, reading the fields only when the container is
  /// absent. The same slots in the same order: `DiagnosisQueriesTests` holds it to the two
  /// readings on seeded hostile records.
  package var containerOrContainerNameField: String? {
    var i = stringsStart
    let line = slot(&i)
    let text = slot(&i)
    // The message, severity, node, namespace and pod.
    for _ in 0..<5 { _ = slot(&i) }
    if let container = string(slot(&i), line: line, text: text) { return container }
    // The captures' pairs, skipped to the fields'.
    let n = count(&i)
    for _ in 0..<max(n, 0) {
      _ = slot(&i)
      _ = slot(&i)
    }
    return value("containerName", pairsAt: i, line: line)
  }
}
