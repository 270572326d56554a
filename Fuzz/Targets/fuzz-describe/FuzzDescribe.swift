// libFuzzer entry point: the kubectl text reader (describe, get tables, events) on one text
// (docs/architecture.md "Fuzzing").

import FuzzSupport
import PodmortemIngest
import PodmortemInput

/// One input; libFuzzer calls it once per generated input.
func fuzzDescribe(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = fuzzBytes(data, size)
  feed(KubectlTextParser.self, bytes, source: SourceInfo(name: "describe.txt"))
  // Environment values are kept on another path; read them too.
  feed(KubectlTextParser.self, bytes, source: SourceInfo(name: "describe.txt"), keepEnvironmentValues: true)
  return 0
}

@main
enum FuzzDescribe {
  static func main() { runFuzzer(fuzzDescribe) }
}
