import Foundation
import PodmortemCorrelate
import PodmortemIngest
import PodmortemInput
import PodmortemModel

#if canImport(CMalloc)
  import CMalloc
#endif

/// The second half of a large kubelet log or `kubectl describe` output, read on a thread of its own while the reading thread
/// reads the first half (docs/architecture.md "Long and live inputs", Two cores).
///
/// The part is cut at a line its parser names (`SplitParser.partStart`), numbered
/// on from the first half's lines, parsed by a parser of its own and correlated into a correlator
/// of its own on its thread — records are made and kept on the thread that frees them — and the
/// correlators are merged once at the end (`Correlator.merge`). When the reading thread reaches
/// the cut it waits for the part and uses it only if reading the file in one go provably gives the
/// same result (its own parser holds nothing from before, `SplitParser.isBetweenParts`; the part
/// holds no line its parser left unrecognised, `IngestPart.dependsOnFirstPart`; and no diagnostic
/// but the once-per-source note on inferred years); otherwise it reads on to the end and the part
/// is dropped.
final class SecondPart: @unchecked Sendable {
  // `reader`, `correlator`, `part` and `diagnostics` are written by the part's thread before it
  // signals `done`, and read by the reading thread after waiting for it; `firstNoted` is used on
  // the reading thread only.
  private let done = DispatchSemaphore(value: 0)
  private var waited = false
  private var reader: LineReader?
  private var correlator = Correlator()
  private var part: IngestPart?
  private var diagnostics: [Diagnostic] = []
  /// Set when the first part said the note on inferred years.
  var firstNoted = false
  /// The number of the part's first line.
  private(set) var firstLine = 0
  /// What the first part's parser said at the cut (reading thread).
  private var watch = PartWatch()
  /// The heads the first part has filled, which the part does not keep (`HeadFills`): the
  /// reading thread's correlator publishes to it while it reads the first part
  /// (`Correlator.publishHeads`).
  private(set) var heads = HeadFills(bound: SourceRef(source: "", line: 0))

  /// The note `KubeletLogParser` writes once per source, at its first line without a year.
  static func isYearNote(_ d: Diagnostic) -> Bool {
    d.level == .note && d.message.hasPrefix("log times have no year or zone:")
  }

  /// The most bytes after the middle of the file looked at for a line to cut at.
  static let window = 1 << 20

  /// Starts reading the second part of `parts` on a thread of its own, when what the head decided
  /// allows it (a parser that names where a part may start, `SplitParser`; a paste not quoted)
  /// and such a line lies within `window` bytes after the middle; nil otherwise.
  static func start(_ parts: FileParts, _ start: IngestStart, ingestor: Ingestor) -> SecondPart? {
    guard let boundary = start.parser as? any SplitParser.Type, !start.quoted else { return nil }
    let middle = parts.size / 2
    let window = parts.bytes(at: middle, count: Self.window)
    guard let cut = boundary.partStart(in: window) else { return nil }
    let offset = middle + Int64(cut)
    guard let ends = parts.lineEnds(before: offset) else { return nil }
    let second = SecondPart()
    second.firstLine = ends + 1
    second.heads = HeadFills(bound: start.context.ref(ends + 1))
    second.heads.reread = { [parts, start, ingestor] offer in
      Self.reread(parts, start, ingestor: ingestor, offer: offer)
    }
    second.correlator.dropHeads(publishedIn: second.heads)
    second.watch = start.watch
    guard parts.stop(at: offset, decide: { second.join() }) else { return nil }
    // The reading thread asks its parser, after the line before the cut, whether it holds nothing
    // from before (`PartWatch`).
    start.watch.line = ends
    var context = start.context
    context.diagnostics = { [second] d in second.diagnostics.append(d) }
    var partStart = start
    partStart.context = context
    partStart.watch = PartWatch()
    second.reader = parts.reader(from: offset, firstLine: ends + 1, diagnostics: context.diagnostics)
    #if canImport(CMalloc)
      // One malloc arena for both threads: a second arena held its own free space beside the
      // first's, about 25 MB more peak on the 128 MiB bench log (docs/architecture.md "Long and
      // live inputs"); each thread keeps its own cache of small blocks (glibc's tcache).
      _ = mallopt(M_ARENA_MAX, 1)
    #endif
    let thread = Thread { [second, partStart] in second.run(partStart, ingestor: ingestor) }
    thread.stackSize = 8 << 20
    thread.start()
    return second
  }

  private func run(_ start: IngestStart, ingestor: Ingestor) {
    if var reader {
      self.reader = nil
      part = ingestor.ingestPart(&reader, firstLine: firstLine, after: start) { correlator.add($0) }
    }
    done.signal()
  }

  /// Waits for the part; true when the first part is to end where the second begins: its parser
  /// was between parts at the cut, and the part read alone what one reading would.
  private func join() -> Bool {
    wait()
    // The heads the first part filled since the part's last sweep, freed now rather than at the
    // merge; a part that held a record before its first line is not used (`Correlator.headsHeld`).
    correlator.sweepHeads()
    guard watch.between, let part, !part.dependsOnFirstPart, diagnostics.allSatisfy(Self.isYearNote),
      correlator.headsHeld
    else {
      return false
    }
    watch.ends = true
    heads.partUsed = true
    return true
  }

  /// Gives `offer` every log record of the file's single reading, read again from its first line
  /// as the reading thread read it (the same parser picked from the same head, the same context),
  /// saying nothing: for the first half's tails the reading on did not refill when the part was
  /// not used (`HeadFills.reread`). It costs a second reading of the whole file, on the reading
  /// thread; with a kubelet log it is not needed (docs/architecture.md "Memory of the kubelet-log
  /// run", Tails the first half need not keep).
  static func reread(_ parts: FileParts, _ start: IngestStart, ingestor: Ingestor, offer: (LogRecord) -> Void) {
    var reader = parts.reader(from: 0, firstLine: 1, diagnostics: { _ in })
    var context = start.context
    context.diagnostics = { _ in }
    _ = ingestor.ingest(&reader, context: context) { record in
      if case .log(let log) = record { offer(log) }
    }
  }

  /// Waits for the part's thread, once.
  func wait() {
    guard !waited else { return }
    waited = true
    done.wait()
  }

  /// Adds the part to the source's account and correlator, and says its diagnostics (the note on
  /// inferred years only when the first part did not), after the first part was read; its pasted
  /// block becomes `firstBlock`, the first part's, when there is one.
  func merge(
    into account: inout SourceAccount, correlator target: inout Correlator, firstBlock: SourceRef?,
    diagnostics sink: DiagnosticSink
  ) {
    wait()
    guard let part else { return }
    for d in diagnostics where !(firstNoted && Self.isYearNote(d)) { sink(d) }
    account.bytes += part.account.bytes
    account.lines += part.account.lines
    account.parsed += part.account.parsed
    account.ignored += part.account.ignored
    account.unrecognised += part.account.unrecognised
    correlator.sweepHeads()
    var taken = Correlator()
    swap(&taken, &correlator)
    if let firstBlock, let own = part.pastedBlock { taken.movePastedLogs(from: own, to: firstBlock) }
    // Moved, not copied: a copy left here held the part's event book, each chunk of which the
    // merge frees once absorbed (docs/architecture.md "Memory of the EventList and describe paths").
    target.merge(consume taken)
  }
}
