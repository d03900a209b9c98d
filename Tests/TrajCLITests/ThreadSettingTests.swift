import Testing

@testable import TrajCLI

@Suite("ThreadSetting")
struct ThreadSettingTests {
  @Test("TRAJ_THREADS when it is a positive integer, else the active cores")
  func resolve() {
    #expect(ThreadSetting.resolve(environment: ["TRAJ_THREADS": "3"], activeProcessors: 2) == 3)
    #expect(ThreadSetting.resolve(environment: [:], activeProcessors: 2) == 2)
    for text in ["0", "-1", "two", ""] {
      #expect(ThreadSetting.resolve(environment: ["TRAJ_THREADS": text], activeProcessors: 4) == 4)
    }
    #expect(ThreadSetting.resolve(environment: [:], activeProcessors: 0) == 1)
  }
}
