import Crypto
import Foundation
import LinearAlgebra
import Reports

/// `provenance.json`: what a report was made from and with.
///
/// Keys: `trajectory` {`version`}; `spec` {`path`, `sha256`, `bytes`}; `inputs`
/// [{`path`, `sha256`, `bytes`}] (every data file, in the spec's order); `platform` {`os`, `arch`, `blas`}; `seed`; `models`
/// [{`name`, `optimizer`, `evaluations`, `criterion`, `converged`, `warnings`}]; `generated`
/// (the time) only when asked (`traj report --timestamp`), so that reports are otherwise
/// byte-identical on re-run.
enum Provenance {
  static func json(
    spec: AnalysisSpec, specPath: String, specBytes: [UInt8],
    inputs: [(path: String, bytes: [UInt8])],
    fits: [FitOutcome], version: String, generated: String? = nil
  ) -> JSON {
    .object(
      [
        ("trajectory", .object([("version", .string(version))])),
        ("spec", file(URL(fileURLWithPath: specPath).lastPathComponent, specBytes)),
        ("inputs", .array(inputs.map { file($0.path, $0.bytes) })),
        (
          "platform",
          .object([
            ("os", .string(operatingSystem)), ("arch", .string(architecture)),
            ("blas", .string(BLASThreads.configuration.trimmingTrailingSpaces)),
          ])
        ),
        ("seed", .integer(Int(spec.seed))),
        (
          "models",
          .array(
            zip(spec.models, fits).map { model, outcome in
              let o = outcome.fit.optimization
              return .object([
                ("name", .string(model.name)), ("optimizer", .string(o.algorithm)),
                ("evaluations", .integer(o.evaluations)),
                ("criterion", .number(outcome.fit.objective)),
                ("converged", .bool(outcome.fit.converged)),
                ("warnings", .strings(outcome.warnings.map(\.message))),
              ])
            })
        ),
      ] + (generated.map { [("generated", .string($0))] } ?? []))
  }

  /// SHA-256 of `bytes` in lower-case hex.
  static func sha256(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { byte in
      let hex = String(byte, radix: 16)
      return byte < 16 ? "0" + hex : hex
    }.joined()
  }

  private static func file(_ path: String, _ bytes: [UInt8]) -> JSON {
    .object([
      ("path", .string(path)), ("sha256", .string(sha256(bytes))), ("bytes", .integer(bytes.count)),
    ])
  }

  private static var operatingSystem: String {
    #if os(Linux)
      "linux"
    #elseif os(macOS)
      "macos"
    #else
      "other"
    #endif
  }

  private static var architecture: String {
    #if arch(x86_64)
      "x86_64"
    #elseif arch(arm64)
      "arm64"
    #else
      "other"
    #endif
  }
}

extension String {
  fileprivate var trimmingTrailingSpaces: String {
    var text = self
    while text.hasSuffix(" ") { text.removeLast() }
    return text
  }
}
