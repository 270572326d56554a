import Foundation

/// Two pieces of work at once: `second` on a thread of its own, `first` on the calling thread;
/// returns when both are done. The stages after ingest use it above a size threshold only, so a
/// small input starts no thread (docs/architecture.md "Speed after ingest: two cores").
package enum BothCores {
  /// `first()` and `second()`, the second on a new thread (8 MB of stack, as the second part of
  /// a long log is read with, `SecondPart`).
  package static func run<A, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let box = Box<B>()
    let thread = Thread { [box] in
      box.value = second()
      box.done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    let a = first()
    box.done.wait()
    // Written by the thread before it signalled `done`.
    guard let b = box.value else { preconditionFailure("the second thread returned nothing") }
    return (a, b)
  }

  /// The second thread's result, handed over through `done` (`@unchecked Sendable`: `value` is
  /// written by that thread before the signal and read by the caller only after the wait).
  private final class Box<B>: @unchecked Sendable {
    var value: B?
    let done = DispatchSemaphore(value: 0)
  }
}
