/// Limits that keep one hostile or broken input from taking over a run.
package struct InputOptions: Hashable, Sendable {
  /// The most bytes one compressed source (a gzip stream, a deflated zip entry) may inflate to
  /// before it is stopped with a diagnostic. The default, 16 GiB, is several times the largest
  /// real support bundles (a `cluster-info dump` of a few thousand pods is a few GiB of text)
  /// yet stops a gzip bomb (which expands about 1000:1 per layer) after a minute or so of
  /// inflating instead of hours. The CLI exposes it as `--max-bytes`.
  package var maxBytesPerSource: Int64
  /// The most decompressed bytes the whole run may produce, across every gzip stream and zip
  /// entry; nil: 100 × the compressed input, at most 4 GiB (`DecompressionBudget`). The CLI
  /// exposes it as `--max-total-bytes`.
  package var maxTotalBytes: Int64?
  /// The expansion ratio past which a stream is stopped, once it has produced
  /// `expansionCheckAfter` bytes (`DecompressionBudget`). An explicit `maxTotalBytes` turns the
  /// guard off: the user has said how much to inflate.
  package var maxExpansionRatio: Int64 = 100
  package var expansionCheckAfter: Int64 = 64 << 20
  /// A text source still being read after this many seconds at under `slowBytesPerSecond` gets
  /// one warning naming it (the run goes on).
  package var slowAfterSeconds: Double = 10
  package var slowBytesPerSecond: Double = 1_000_000
  /// The longest line kept; the rest of a longer line is skipped with a warning (default 1 MiB).
  package var maxLineBytes: Int
  /// A plain file of at least this many bytes is offered to the visitor in two parts
  /// (`FileParts`, `InputReader.parts`); nil never offers one.
  package var splitFilesAbove: Int64?

  package init(maxBytesPerSource: Int64 = 16 << 30, maxLineBytes: Int = 1 << 20, maxTotalBytes: Int64? = nil) {
    self.maxBytesPerSource = max(1, maxBytesPerSource)
    self.maxTotalBytes = maxTotalBytes.map { max(1, $0) }
    self.maxLineBytes = max(1, maxLineBytes)
  }
}
