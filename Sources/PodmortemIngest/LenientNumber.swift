import Foundation
import PodmortemModel

/// An `int32` API field read leniently: a number out of range (`1e30`, `9223372036854775808`), a
/// fraction or a string drops this field alone, with a problem recorded for the caller's
/// diagnostic, instead of failing the decode of the whole object (docs/architecture.md "What
/// must hold"). The API types these fields as `int32`
/// (https://github.com/kubernetes/api/blob/master/core/v1/types.go).
@propertyWrapper
struct Int32Field: Decodable, Equatable {
  var wrappedValue: Int?

  init(wrappedValue: Int?) { self.wrappedValue = wrappedValue }

  init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let value = try? c.decode(Int.self), Plausible.int32Range.contains(value) {
      wrappedValue = value
      return
    }
    wrappedValue = nil
    let shown: String
    if let double = try? c.decode(Double.self) {
      shown = String(double)
    } else if let text = try? c.decode(String.self) {
      shown = "\"\(text.prefix(40))\""
    } else if c.decodeNil() {
      return
    } else {
      shown = "a non-number"
    }
    let path = decoder.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    (decoder.userInfo[DecodeProblems.key] as? DecodeProblems)?.add(
      "field '\(path)' is \(shown), not a 32-bit integer; that field is dropped")
  }
}

extension KeyedDecodingContainer {
  /// A missing or null `Int32Field` is nil, as a plain optional would be.
  func decode(_ type: Int32Field.Type, forKey key: Key) throws -> Int32Field {
    try decodeIfPresent(type, forKey: key) ?? Int32Field(wrappedValue: nil)
  }
}

/// Collects the fields dropped while decoding one document, for one diagnostic each.
final class DecodeProblems: @unchecked Sendable {
  // A constant, valid key: the initializer only fails for keys it cannot represent.
  static let key: CodingUserInfoKey = {
    guard let key = CodingUserInfoKey(rawValue: "podmortem.decodeProblems") else {
      preconditionFailure("CodingUserInfoKey rejected a constant key")
    }
    return key
  }()
  // Only touched by the single decode call that owns this object.
  private(set) var messages: [String] = []

  func add(_ message: String) {
    if messages.count < 20 { messages.append(message) }
  }
}
