import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Why the report could not be written.
package enum OutputFailure: Error, Equatable, CustomStringConvertible {
  /// The reader went away (`podmortem … | head`): not an error worth a message.
  case closedPipe
  /// Any other write error (`ENOSPC` from `> /dev/full`, `EBADF` from a closed stdout, `EIO`).
  case failed(errno: Int32)

  package var description: String {
    switch self {
    case .closedPipe: "the reader closed the pipe"
    case .failed(let code): String(cString: strerror(code)).lowercased()
    }
  }
}

/// Writes to a file descriptor with POSIX `write`: partial writes are continued, `EINTR` and
/// `EAGAIN` retried, and every other error returned as a value — never a trap, unlike
/// Foundation's `FileHandle.write`, which traps on a write error (a forced try inside Foundation).
package struct OutputWriter: Sendable {
  package let descriptor: Int32

  package init(descriptor: Int32) { self.descriptor = descriptor }

  package static let standardOutput = OutputWriter(descriptor: STDOUT_FILENO)
  package static let standardError = OutputWriter(descriptor: STDERR_FILENO)

  /// The exit status when the report cannot be written: `EX_IOERR` from sysexits(3).
  package static let ioErrorStatus: Int32 = 74
  /// The exit status when the reader closed the pipe: what a shell reports for a process ended
  /// by SIGPIPE (128 + 13), so `podmortem | head` looks the same with SIGPIPE ignored or not.
  package static let closedPipeStatus: Int32 = 141

  /// True when the descriptor is open (a closed stdout is reported before any work is done).
  package var isOpen: Bool { fcntl(descriptor, F_GETFD) != -1 }

  /// Writes all of `text`, or says why it could not.
  package func write(_ text: String) -> Result<Void, OutputFailure> {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBytes { write(bytes: $0) }
  }

  /// Writes a document as a renderer produces it (`JSONRenderer.render(_:to:)`): `produce` hands
  /// its pieces to the sink it is given, each written at once, so the document is never held
  /// whole. The first failure ends the writing (the sink then refuses the rest) and is returned.
  package func stream(_ produce: (@escaping (UnsafeRawBufferPointer) -> Bool) -> Void) -> Result<Void, OutputFailure> {
    final class FirstFailure: @unchecked Sendable {
      // Only touched by the one `produce` call that owns it.
      var failure: OutputFailure?
    }
    let state = FirstFailure()
    produce { [self] bytes in
      guard state.failure == nil else { return false }
      if case .failure(let failure) = write(bytes: bytes) { state.failure = failure }
      return state.failure == nil
    }
    return state.failure.map { .failure($0) } ?? .success(())
  }

  /// Writes all of `bytes`, or says why it could not.
  package func write(bytes buffer: UnsafeRawBufferPointer) -> Result<Void, OutputFailure> {
    guard let base = buffer.baseAddress else { return .success(()) }
    var done = 0
    while done < buffer.count {
      let n = systemWrite(descriptor, base + done, buffer.count - done)
      if n > 0 {
        done += n
        continue
      }
      let code = n == 0 ? EIO : errno
      switch code {
      case EINTR:
        continue
      case EAGAIN, EWOULDBLOCK:
        // A non-blocking descriptor inherited from the caller: wait until it takes more.
        var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        _ = poll(&poller, 1, -1)
      case EPIPE:
        return .failure(.closedPipe)
      default:
        return .failure(.failed(errno: code))
      }
    }
    return .success(())
  }
}

/// The system `write(2)`, named apart from the method above.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
  #else
    Darwin.write(fd, buffer, count)
  #endif
}
