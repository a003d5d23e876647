import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// `sluice rate-limiters`, run as the real binary.
@Suite("sluice CLI: rate limiters")
struct CLIRateLimiterTests {
    @Test(
        "rate-limiters lists the catalog's limiters (table and JSON) and sets one; bad input exits non-zero with a message",
        .timeLimit(.minutes(2)))
    func listAndSet() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = SluiceCLI(database: folder.appendingPathComponent("cli.sqlite").path)
        #expect(try await sluice("migrate").status == 0)
        let table = try await sluice("rate-limiters")
        #expect(table.status == 0 && table.out.hasPrefix("NAME "), "\(table)")
        #expect(table.out.contains("meta_ad_library") && table.out.contains("200"), "\(table.out)")
        let listed = try await sluice("rate-limiters", "list", "--json").items()
        #expect(
            Set(listed.compactMap { $0["name"]?.stringValue }) == [
                "meta_ad_library", "meta_ad_render", "meta_insights",
            ])
        let set = try await sluice(
            "rate-limiters", "set", "meta_ad_render", "--per-hour", "900", "--burst", "2", "--json")
        #expect(set.status == 0, "\(set)")
        let updated = try set.object()
        #expect(updated["rate_per_second"] == .double(0.25) && updated["burst"] == .int(2))
        let again = try await sluice("rate-limiters", "list", "--json").items()
        #expect(
            again.first { $0["name"] == "meta_ad_render" }?["burst"] == .int(2),
            "the catalog default did not overwrite it")

        let unknown = try await sluice("rate-limiters", "set", "no_such", "--per-second", "1", "--burst", "1")
        #expect(unknown.status == 1 && unknown.err.contains("not configured"), "\(unknown)")
        let badBurst = try await sluice("rate-limiters", "set", "meta_ad_render", "--per-second", "1", "--burst", "0")
        #expect(badBurst.status == 64 && badBurst.err.contains("burst"), "\(badBurst)")
        let both = try await sluice(
            "rate-limiters", "set", "meta_ad_render", "--per-second", "1", "--per-hour", "5", "--burst", "1")
        #expect(both.status == 64 && both.err.contains("exactly one of --per-second and --per-hour"), "\(both)")
    }
}
