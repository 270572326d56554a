// libFuzzer entry point: every log reader (kubelet/klog, journald node logs, CRI container logs,
// cluster-info-dump and kubectl logs) on one text (docs/architecture.md "Fuzzing").

import FuzzSupport
import PodmortemIngest
import PodmortemInput

/// A container log as the kubelet lays it out (/var/log/pods/NS_POD_UID/CONTAINER/N.log).
let containerLog = SourceInfo(
  name: "bundle/pods/default_web-1_3f1c/app/0.log", relativePath: "pods/default_web-1_3f1c/app/0.log",
  root: "bundle")

/// One input; libFuzzer calls it once per generated input.
func fuzzLogs(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = fuzzBytes(data, size)
  feed(KubeletLogParser.self, bytes, source: SourceInfo(name: "kubelet.log"))
  feed(NodeLogParser.self, bytes, source: SourceInfo(name: "journal.log"))
  feed(ContainerLogParser.self, bytes, source: containerLog)
  feed(ClusterInfoDumpLogsParser.self, bytes, source: SourceInfo(name: "logs.txt"))
  feed(KubectlLogsParser.self, bytes, source: SourceInfo(name: "logs.txt"))
  return 0
}

@main
enum FuzzLogs {
  static func main() { runFuzzer(fuzzLogs) }
}
