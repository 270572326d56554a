/// Limits that keep one hostile or broken input from taking over a run.
package struct InputOptions: Hashable, Sendable {
  /// The most bytes one compressed source (a gzip stream, a deflated zip entry) may inflate to
  /// before it is stopped with a diagnostic. The default, 16 GiB, is several times the largest
  /// real support bundles (a `cluster-info dump` of a few thousand pods is a few GiB of text)
  /// yet stops a gzip bomb (which expands about 1000:1 per layer) after a minute or so of
  /// inflating instead of hours. The CLI exposes it as `--max-bytes`.
  package var maxBytesPerSource: Int64
  /// The longest line kept; the rest of a longer line is skipped with a warning (default 1 MiB).
  package var maxLineBytes: Int

  package init(maxBytesPerSource: Int64 = 16 << 30, maxLineBytes: Int = 1 << 20) {
    self.maxBytesPerSource = max(1, maxBytesPerSource)
    self.maxLineBytes = max(1, maxLineBytes)
  }
}
