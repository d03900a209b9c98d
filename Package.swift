// swift-tools-version: 6.1
import PackageDescription

// Module layers follow ../shared/DESIGN.md: a target lists only lower layers in `dependencies`,
// and `scripts/test` builds with `--explicit-target-dependency-import-check error`, so this table
// is the enforced layering.
let package = Package(
  name: "Trajectory",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "traj", targets: ["traj"]),
    .executable(name: "traj-bench", targets: ["TrajBench"]),
    .library(name: "MixedModels", targets: ["MixedModels"]),
    // For the libFuzzer package in Tests/Fuzz (its own build; see scripts/fuzz).
    .library(
      name: "TrajectoryFuzzing",
      targets: [
        "DataTable", "Formulas", "MixedModels", "Inference", "Trials", "Analysis", "TrajCLI",
      ]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // L0
    // One shim per C library, each imported by one module (DESIGN rule 2).
    // OpenBLAS and LAPACKE are not linked: the shim loads them on first use, with the kernel
    // fixed (same bits on every CPU; see CLinearAlgebra.c). Imported by LinearAlgebra only.
    .target(name: "CLinearAlgebra", linkerSettings: [.linkedLibrary("m")]),
    // NLopt is linked. Imported by Optimization only.
    .target(name: "CNLopt", linkerSettings: [.linkedLibrary("nlopt")]),
    .target(name: "DataTable"),
    .target(name: "Distributions"),
    .target(name: "Reports"),
    // The one deterministic parallel loop; depends on nothing, reads no environment.
    .target(name: "Parallelism"),
    .target(name: "Optimization", dependencies: ["CNLopt"]),
    // L1
    .target(name: "LinearAlgebra", dependencies: ["CLinearAlgebra"]),
    // L2
    .target(name: "Formulas", dependencies: ["DataTable", "LinearAlgebra"]),
    // L3
    .target(
      name: "MixedModels",
      dependencies: [
        "Formulas", "DataTable", "LinearAlgebra", "Optimization", "Distributions", "Parallelism",
      ]),
    // L4
    .target(
      name: "Inference",
      dependencies: [
        "MixedModels", "Formulas", "LinearAlgebra", "Distributions", "Optimization", "Parallelism",
      ]),
    // L5
    .target(
      name: "Trials",
      dependencies: [
        "MixedModels", "Formulas", "DataTable", "Distributions", "Reports", "Parallelism",
      ]),
    // L6
    .target(
      name: "Analysis",
      dependencies: [
        "Trials", "Inference", "MixedModels", "Formulas", "DataTable", "Distributions",
        "Reports", "LinearAlgebra", "Optimization",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // L7
    .target(
      name: "TrajCLI",
      dependencies: [
        "Analysis", "Trials", "Inference", "MixedModels", "Formulas", "DataTable", "Reports",
        "LinearAlgebra",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Yams", package: "Yams"),
      ]),
    .executableTarget(name: "traj", dependencies: ["TrajCLI"]),
    // Release-only timing harness for scripts/bench.
    .executableTarget(
      name: "TrajBench", dependencies: ["MixedModels", "Formulas", "DataTable"]),

    // Tests
    .target(name: "TestSupport", dependencies: ["LinearAlgebra"], path: "Tests/TestSupport"),
    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra", "TestSupport"]),
    .testTarget(name: "DistributionsTests", dependencies: ["Distributions", "TestSupport"]),
    .testTarget(name: "OptimizationTests", dependencies: ["Optimization", "TestSupport"]),
    .testTarget(name: "ParallelismTests", dependencies: ["Parallelism", "TestSupport"]),
    .testTarget(name: "DataTableTests", dependencies: ["DataTable", "TestSupport"]),
    .testTarget(
      name: "FormulasTests",
      dependencies: ["Formulas", "DataTable", "LinearAlgebra", "TestSupport"]),
    .testTarget(
      name: "MixedModelsTests",
      dependencies: [
        "MixedModels", "Formulas", "DataTable", "LinearAlgebra", "Optimization", "TestSupport",
      ]),
    .testTarget(
      name: "AnalysisTests",
      dependencies: [
        "Analysis", "MixedModels", "Formulas", "DataTable", "LinearAlgebra", "Reports",
        "TestSupport",
      ]),
    .testTarget(
      name: "InferenceTests",
      dependencies: [
        "Inference", "Analysis", "MixedModels", "Formulas", "DataTable", "LinearAlgebra",
        "Distributions", "TestSupport",
      ]),
    .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
    .testTarget(
      name: "TrialsTests",
      dependencies: [
        "Trials", "Analysis", "MixedModels", "Formulas", "DataTable", "Distributions", "Reports",
        "TestSupport",
      ]),
    .testTarget(
      name: "TrajCLITests",
      dependencies: ["TrajCLI", "Analysis", "Inference", "MixedModels", "TestSupport"]),
    .testTarget(name: "TestSupportTests", dependencies: ["TestSupport"]),
  ]
)
