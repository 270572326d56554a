/// Finds YAML aliases (`*name`) before a document is decoded. Aliases can make a few hundred
/// bytes expand into billions of nodes (the "billion laughs" shape, also as mapping keys), and
/// Kubernetes never writes them (kubectl and client-go marshal without anchors), so a document
/// with one is refused with a diagnostic instead of decoded (docs/architecture.md "What must hold").
///
/// The scan is lexical: it skips quoted scalars, comments and block scalars (`|`, `>`), and
/// takes `*` as an alias where a node can start (line start, after `- `, `: `, `? `, `[`, `{`, `,`)
/// — where YAML itself reads it as one (https://yaml.org/spec/1.2.2/#71-alias-nodes).
enum YAMLAliases {
  /// The first alias in `lines`: its index in `lines` and its text (`*a`).
  static func first(in lines: [String]) -> (index: Int, alias: String)? {
    var blockIndent: Int?
    for (index, line) in lines.enumerated() {
      let bytes = Array(line.utf8)
      let indent = bytes.prefix { $0 == 0x20 }.count
      if let block = blockIndent {
        if indent > block || indent == bytes.count { continue }
        blockIndent = nil
      }
      if let alias = scan(bytes, from: indent) { return (index, alias) }
      if opensBlockScalar(bytes) { blockIndent = indent }
    }
    return nil
  }

  private static func scan(_ b: [UInt8], from start: Int) -> String? {
    var i = start
    var nodeStart = true
    var flow = 0
    while i < b.count {
      let c = b[i]
      switch c {
      case 0x22, 0x27:  // " or ': a quoted scalar, to its closing quote on this line
        i += 1
        while i < b.count && b[i] != c {
          if c == 0x22 && b[i] == 0x5C { i += 1 }
          i += 1
        }
        nodeStart = false
      case 0x23 where i == 0 || b[i - 1] == 0x20:  // # comment
        return nil
      case 0x2A where nodeStart:  // *
        let name = b[(i + 1)...].prefix { $0 != 0x20 && $0 != 0x2C && $0 != 0x5D && $0 != 0x7D }
        if !name.isEmpty { return "*" + String(decoding: name, as: UTF8.self) }
        nodeStart = false
      case 0x20:
        break
      case 0x5B, 0x7B:  // [ {
        flow += 1
        nodeStart = true
      case 0x5D, 0x7D:
        flow = max(0, flow - 1)
        nodeStart = false
      case 0x2C where flow > 0:  // , inside flow
        nodeStart = true
      case 0x2D, 0x3A, 0x3F:  // - : ? followed by a space (or the end) start a node
        nodeStart = i + 1 >= b.count || b[i + 1] == 0x20
      default:
        nodeStart = false
      }
      i += 1
    }
    return nil
  }

  /// True when the line ends with a block scalar header (`key: |`, `- >-`, `key: |2+`).
  private static func opensBlockScalar(_ b: [UInt8]) -> Bool {
    var end = b.count
    while end > 0 && b[end - 1] == 0x20 { end -= 1 }
    var i = end
    while i > 0 && (b[i - 1] == 0x2D || b[i - 1] == 0x2B || (0x30...0x39).contains(b[i - 1])) { i -= 1 }
    guard i > 0, b[i - 1] == 0x7C || b[i - 1] == 0x3E else { return false }
    return i - 1 == 0 || b[i - 2] == 0x20
  }
}
