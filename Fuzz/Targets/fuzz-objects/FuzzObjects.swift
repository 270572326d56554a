// libFuzzer entry point: the JSON object stream and YAML object readers on one text
// (docs/architecture.md "Fuzzing").

import FuzzSupport
import PodmortemIngest
import PodmortemInput

/// One input; libFuzzer calls it once per generated input.
func fuzzObjects(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = fuzzBytes(data, size)
  feed(ObjectStreamParser.self, bytes, source: SourceInfo(name: "objects.json"))
  feed(YAMLObjectParser.self, bytes, source: SourceInfo(name: "objects.yaml"))
  return 0
}

@main
enum FuzzObjects {
  static func main() { runFuzzer(fuzzObjects) }
}
