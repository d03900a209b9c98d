// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for Trajectory, kept out of the root package so that its normal build is
// untouched. Built and run by scripts/fuzz with
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library`. Each target defines
// `LLVMFuzzerTestOneInput` and `<Target>_main` (SwiftPM's name for an executable's entry
// point on Linux), which hands the callback to libFuzzer's driver.
let package = Package(
  name: "TrajectoryFuzz",
  dependencies: [.package(name: "Trajectory", path: "../..")],
  targets: [
    .target(name: "LibFuzzerDriver"),
    .executableTarget(
      name: "FuzzCSV",
      dependencies: [
        "LibFuzzerDriver", .product(name: "TrajectoryFuzzing", package: "Trajectory"),
      ]),
    .executableTarget(
      name: "FuzzFormula",
      dependencies: [
        "LibFuzzerDriver", .product(name: "TrajectoryFuzzing", package: "Trajectory"),
      ]),
    .executableTarget(
      name: "FuzzSpec",
      dependencies: [
        "LibFuzzerDriver", .product(name: "TrajectoryFuzzing", package: "Trajectory"),
      ]),
    .executableTarget(
      name: "FuzzFit",
      dependencies: [
        "LibFuzzerDriver", .product(name: "TrajectoryFuzzing", package: "Trajectory"),
      ]),
  ]
)
