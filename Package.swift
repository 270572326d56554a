// swift-tools-version:6.1
// The package is the architecture diagram: one target per stage, each importing only the stages
// before it (docs/architecture.md). Input → Ingest → Correlate → Diagnose → Report.
import PackageDescription

let package = Package(
  name: "podmortem",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "podmortem", targets: ["podmortem"]),
    .library(name: "Podmortem", targets: ["Podmortem"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]
    ),
    // glibc's <malloc.h> (mallopt); part of the C library, so no package provides it.
    .systemLibrary(name: "CMalloc"),
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
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
      name: "PodmortemReport", dependencies: ["PodmortemModel", "PodmortemText", "PodmortemCorrelate", "PodmortemDiagnose"]
    ),
    .target(
      name: "Podmortem",
      dependencies: [
        "PodmortemModel", "PodmortemInput", "PodmortemText", "PodmortemIngest", "PodmortemCorrelate",
        "PodmortemDiagnose", "PodmortemReport", .product(name: "Yams", package: "Yams"),
        .target(name: "CMalloc", condition: .when(platforms: [.linux])),
      ]
    ),
    .executableTarget(
      name: "podmortem",
      dependencies: [
        "Podmortem", "PodmortemModel", "PodmortemText", "PodmortemDiagnose", "PodmortemReport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // One seeded generator for every test target's property tests.
    .target(name: "PodmortemTestSupport", path: "Tests/PodmortemTestSupport"),
    .testTarget(name: "PodmortemModelTests", dependencies: ["PodmortemModel", "PodmortemTestSupport"]),
    .testTarget(name: "PodmortemInputTests", dependencies: ["PodmortemInput", "PodmortemModel"]),
    .testTarget(name: "PodmortemTextTests", dependencies: ["PodmortemText", "PodmortemModel", "PodmortemTestSupport"]),
    .testTarget(
      name: "PodmortemIngestTests",
      dependencies: [
        "PodmortemIngest", "PodmortemInput", "PodmortemText", "PodmortemModel", "PodmortemTestSupport",
      ],
      // Real tools' output the tests read by path (`gron` over the shipped samples).
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "PodmortemCorrelateTests",
      dependencies: [
        "PodmortemCorrelate", "PodmortemModel", "PodmortemIngest", "PodmortemInput", "PodmortemText", "PodmortemTestSupport",
      ]
    ),
    .testTarget(
      name: "PodmortemDiagnoseTests",
      dependencies: [
        "PodmortemDiagnose", "PodmortemModel", "PodmortemIngest", "PodmortemInput", "PodmortemCorrelate",
        "PodmortemText", "PodmortemTestSupport",
      ]
    ),
    .testTarget(
      name: "PodmortemReportTests",
      dependencies: [
        "PodmortemReport", "PodmortemModel", "PodmortemCorrelate", "PodmortemText", "PodmortemTestSupport",
      ]
    ),
    .testTarget(
      name: "PodmortemTests",
      dependencies: [
        "Podmortem", "PodmortemCorrelate", "PodmortemIngest", "PodmortemInput", "PodmortemModel", "PodmortemReport",
        "PodmortemText", "PodmortemTestSupport",
      ]),
    .testTarget(name: "EndToEndTests", dependencies: ["podmortem"]),
  ],
  swiftLanguageModes: [.v6]
)
