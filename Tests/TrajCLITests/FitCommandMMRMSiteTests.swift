import Foundation
import TestSupport
import Testing

/// `traj fit` with a site random intercept and a residual covariance term, end to end.
@Suite("traj fit, MMRM with a site random effect")
struct FitCommandMMRMSiteTests {
  static let data = RepositoryPaths.fixtures.appendingPathComponent(
    "mmrm/site/ketamine_site_visits1to6.csv"
  ).path

  @Test("(1 | site) + ar1 with Kenward–Roger: prints the site SD and Σ, writes both")
  func siteAndResidual() throws {
    let dir = try makeTemporaryDirectory()
    defer { removeTemporaryDirectory(dir) }
    let json = dir.appendingPathComponent("fit.json")
    let result = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula",
      "pain ~ visit * arm + (1 | site) + ar1(visit | subject)", "--df", "kenward-roger",
      "--json", json.path, "--no-timing",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("Number of obs: 644, subjects: 114, site: 4"))
    #expect(result.stdout.contains("site (Intercept)"))
    #expect(result.stdout.contains("Estimated residual covariance matrix (without ZGZᵀ):"))
    #expect(result.stdout.contains("df: kenward-roger"))
    let document = try JSONValue.parse(Data(contentsOf: json))
    #expect(document["ngroups"]["site"].double == 4)
    #expect(document["random_effects"]["varcorr"][0]["group"].string == "site")
    #expect(document["covariance"]["matrix"].array.count == 6)
  }

  @Test("a grouping factor that varies within a subject is an error with exit status 1")
  func refused() throws {
    let result = try runTraj([
      "fit", Self.data, "--factor", "visit", "--formula",
      "pain ~ arm + (1 | visit) + ar1(visit | subject)",
    ])
    #expect(result.status == 1)
    #expect(result.stderr.contains("(1 | visit)") && result.stderr.contains("varies within"))
    #expect(result.stdout.isEmpty)
  }
}
