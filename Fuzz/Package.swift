// swift-tools-version:6.1
// libFuzzer targets for podmortem's parsers (docs/architecture.md "Fuzzing"). A package of its own
// so the fuzz products never slow the main `swift build`/`swift test`; its Sources/ are symlinks
// to the main package's modules (their `package` API is visible only inside one package).
// Build and run with `make fuzz` from the repository root (tools/fuzz.sh).
import PackageDescription

let libraries: [Target] = [
  .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
  .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
  .target(name: "PodmortemModel"),
  .target(name: "PodmortemInput", dependencies: ["PodmortemModel", "CZlib"]),
  .target(name: "PodmortemText", dependencies: ["PodmortemModel", "CPCRE2"]),
  .target(
    name: "PodmortemIngest",
    dependencies: ["PodmortemModel", "PodmortemInput", "PodmortemText", .product(name: "Yams", package: "Yams")]
  ),
  .target(name: "PodmortemCorrelate", dependencies: ["PodmortemModel", "PodmortemText"]),
  .target(name: "PodmortemDiagnose", dependencies: ["PodmortemModel", "PodmortemText", "PodmortemCorrelate"]),
  .target(
    name: "PodmortemReport",
    dependencies: ["PodmortemModel", "PodmortemText", "PodmortemCorrelate", "PodmortemDiagnose"]
  ),
  .systemLibrary(name: "CLibFuzzer", path: "Targets/CLibFuzzer"),
  .target(
    name: "FuzzSupport", dependencies: ["CLibFuzzer", "PodmortemModel", "PodmortemInput", "PodmortemIngest"],
    path: "Targets/FuzzSupport"),
]

/// One executable per libFuzzer entry point; built with `-sanitize=fuzzer` (tools/fuzz.sh).
func fuzzer(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
  .executableTarget(name: name, dependencies: dependencies, path: "Targets/\(name)")
}

let package = Package(
  name: "podmortem-fuzz",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "fuzz-pipeline", targets: ["fuzz-pipeline"]),
    .executable(name: "fuzz-input", targets: ["fuzz-input"]),
    .executable(name: "fuzz-describe", targets: ["fuzz-describe"]),
    .executable(name: "fuzz-objects", targets: ["fuzz-objects"]),
    .executable(name: "fuzz-logs", targets: ["fuzz-logs"]),
    .executable(name: "fuzz-secrets", targets: ["fuzz-secrets"]),
  ],
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2")
  ],
  targets: libraries + [
    fuzzer(
      "fuzz-pipeline",
      [
        "FuzzSupport", "PodmortemModel", "PodmortemInput", "PodmortemText", "PodmortemIngest", "PodmortemCorrelate",
        "PodmortemDiagnose", "PodmortemReport",
      ]),
    fuzzer("fuzz-input", ["FuzzSupport", "PodmortemModel", "PodmortemInput"]),
    fuzzer("fuzz-describe", ["FuzzSupport", "PodmortemInput", "PodmortemIngest"]),
    fuzzer("fuzz-objects", ["FuzzSupport", "PodmortemInput", "PodmortemIngest"]),
    fuzzer("fuzz-logs", ["FuzzSupport", "PodmortemInput", "PodmortemIngest"]),
    fuzzer("fuzz-secrets", ["FuzzSupport", "PodmortemText"]),
  ],
  swiftLanguageModes: [.v6]
)
