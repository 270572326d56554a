import PodmortemIngest
import Testing

@Suite struct ContainerLogPathTests {
  @Test func podsLayout() throws {
    let p = try #require(
      ContainerLogPath.parse("/var/log/pods/default_web-0_0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f/web/3.log"))
    #expect((p.namespace, p.pod, p.container) == ("default", "web-0", "web"))
    #expect(p.podUID == "0f1c2d3e-4a5b-6c7d-8e9f-0a1b2c3d4e5f")
    #expect(p.restartCount == 3)
    #expect(p.rotatedAt == nil)
    #expect(!p.compressed)
    #expect(p.containerID == nil)
  }

  @Test func rotatedNames() throws {
    let plain = try #require(ContainerLogPath.parse("var/log/pods/prod_api-7d9f_uid/api/0.log.20261127-010203"))
    #expect(plain.rotatedAt == "20261127-010203")
    #expect(!plain.compressed)
    #expect(plain.restartCount == 0)
    let gz = try #require(ContainerLogPath.parse("node-1/var/log/pods/prod_api-7d9f_uid/api/0.log.20261126-230000.gz"))
    #expect(gz.rotatedAt == "20261126-230000")
    #expect(gz.compressed)
    let tmp = try #require(ContainerLogPath.parse("/var/log/pods/prod_api_uid/api/1.log.20261126-230000.gz.tmp"))
    #expect(tmp.compressed)
  }

  @Test func containersSymlinkLayout() throws {
    let id = "05657a9c673d612aedd955a65136ccca36b82ba987831de7844cdc0238f1d707"
    let p = try #require(ContainerLogPath.parse("/var/log/containers/web-0_default_istio-proxy-\(id).log"))
    #expect((p.namespace, p.pod, p.container) == ("default", "web-0", "istio-proxy"))
    #expect(p.containerID == id)
    #expect(p.podUID == nil)
    #expect(p.restartCount == nil)
  }

  @Test func archiveNamesWithBang() throws {
    let p = try #require(
      ContainerLogPath.parse("bundle.tar.gz!node-1/var/log/pods/kube-system_coredns-5d78_u1/coredns/2.log"))
    #expect((p.namespace, p.pod, p.container, p.restartCount) == ("kube-system", "coredns-5d78", "coredns", 2))
  }

  @Test(arguments: [
    "", "0.log", "kubelet.log", "/var/log/pods/default_web-0/web/0.log", "/var/log/pods/a_b_c_d/web/0.log",
    "/var/log/pods/default_web-0_uid/web/current.log", "/var/log/pods/default_web-0_uid/web/0.log.2026",
    "/var/log/containers/web-0_default_web.log", "/var/log/containers/web-0_default_web-nothex!.log",
    "/var/log/other/web-0_default_web-05657a9c673d612a.log", "/var/log/pods/_web-0_uid/web/0.log",
  ])
  func notAContainerLogPath(path: String) {
    #expect(ContainerLogPath.parse(path) == nil)
  }
}
