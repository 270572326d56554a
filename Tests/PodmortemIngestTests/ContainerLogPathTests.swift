import PodmortemIngest
import PodmortemInput
import Testing

/// The kubelet's own log layouts as the container-log parser sees them (docs/kubernetes.md §10.2).
@Suite struct ContainerLogPathTests {
  static let uid = "0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f"

  private func path(_ p: String) -> ContainerLogPath? { BundleLayout.classify(path: p).containerLog }

  @Test func podsLayout() throws {
    let p = try #require(path("/var/log/pods/default_web-0_\(Self.uid)/web/3.log"))
    #expect((p.namespace, p.pod, p.container) == ("default", "web-0", "web"))
    #expect(p.podUID == Self.uid)
    #expect(p.restartCount == 3)
    #expect(!p.rotated)
    #expect(p.containerID == nil)
  }

  @Test func rotatedNames() throws {
    let plain = try #require(path("var/log/pods/prod_api-7d9f_\(Self.uid)/api/0.log.20261127-010203"))
    #expect(plain.rotated)
    #expect(plain.restartCount == 0)
    let gz = try #require(path("node-1/var/log/pods/prod_api-7d9f_\(Self.uid)/api/0.log.20261126-230000.gz"))
    #expect(gz.rotated)
    #expect(
      BundleLayout.classify(path: "node-1/var/log/pods/prod_api-7d9f_\(Self.uid)/api/0.log.20261126-230000.gz")
        .compressed)
  }

  @Test func containersSymlinkLayout() throws {
    let id = "05657a9c673d612aedd955a65136ccca36b82ba987831de7844cdc0238f1d707"
    let p = try #require(path("/var/log/containers/web-0_default_istio-proxy-\(id).log"))
    #expect((p.namespace, p.pod, p.container) == ("default", "web-0", "istio-proxy"))
    #expect(p.containerID == id)
    #expect(p.podUID == nil)
  }

  @Test func theParserTakesTheLocationFromAnArchiveEntry() throws {
    let info = SourceInfo(
      name: "bundle.tar.gz!node-1/var/log/pods/kube-system_coredns-5d78_\(Self.uid)/coredns/2.log",
      relativePath: "node-1/var/log/pods/kube-system_coredns-5d78_\(Self.uid)/coredns/2.log", root: "bundle.tar.gz")
    let p = try #require(ContainerLogParser.location(of: info))
    #expect((p.namespace, p.pod, p.container, p.restartCount) == ("kube-system", "coredns-5d78", "coredns", 2))
  }

  @Test(arguments: [
    "", "0.log", "kubelet.log", "/var/log/pods/default_web-0/web/0.log", "/var/log/pods/a_b_c_d/web/0.log",
    "/var/log/pods/default_web-0_\(uid)/web/current.log", "/var/log/pods/default_web-0_\(uid)/web/0.log.2026",
    "/var/log/containers/web-0_default_web.log", "/var/log/containers/web-0_default_web-nothex!.log",
    "/var/log/pods/_web-0_\(uid)/web/0.log",
  ])
  func notAContainerLogPath(path p: String) {
    #expect(path(p) == nil)
  }
}
