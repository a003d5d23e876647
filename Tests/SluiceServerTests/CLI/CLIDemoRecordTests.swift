import Foundation
import SluiceFakes
import SluiceTestSupport
import Testing

/// The connector settings `sluice demo` records next to its database (`DATABASE.connectors.json`), as `sluice run`
/// and `sluice worker` use them: only when no Meta setting is given, only with loopback servers, and never silently
/// when the demo's fake servers are gone.
@Suite("sluice CLI: the demo's recorded connectors")
struct CLIDemoRecordTests {
    /// Writes a record like the demo's, naming `base` for both Meta base URLs.
    static func record(_ file: URL, base: String, assets: URL) throws {
        let text = """
            {"allow_loopback_egress": true, "asset_dir": "\(assets.path)", "meta_access_token": "fake-token",
             "meta_base_url": "\(base)", "meta_snapshot_base_url": "\(base)"}
            """
        try Data(text.utf8).write(to: file)
    }

    @Test(
        "run uses the record without Meta settings, ignores all of it with one, names a stopped demo, refuses non-loopback",
        .timeLimit(.minutes(2)))
    func record() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("demo.sqlite")
        let file = folder.appendingPathComponent("demo.sqlite.connectors.json")
        let assets = folder.appendingPathComponent("assets")
        let sluice = SluiceCLI(database: database.path)
        let scrape = try await CLIRunTests.seed(sluice)
        let base = try await FakeMetaServer().serve { base in
            try Self.record(file, base: base, assets: assets)
            let ran = try await sluice.run(["run", "competitor_scrape"] + scrape + ["--json"])
            #expect(ran.status == 0 && (try? ran.object()["state"]) == "succeeded", "\(ran)")
            // A Meta setting of the user's own: the record is ignored as a whole, its token with it.
            var own = sluice
            own.environment["SLUICE_META_BASE_URL"] = base
            let ignored = try await own.run(["run", "competitor_scrape"] + scrape + ["--allow-loopback-egress"])
            #expect(ignored.status == 1, "\(ignored)")
            #expect(ignored.out.contains("no Meta access token is configured"), "\(ignored)")
            return base
        }

        let stopped = try await sluice.run(["run", "competitor_scrape"] + scrape)
        #expect(stopped.status == 69, "\(stopped)")
        #expect(
            stopped.err.contains(
                "the demo's fake Meta servers at \(base) are not running; start `sluice demo` first"), "\(stopped)")
        let worker = try await sluice("worker")
        #expect(worker.status == 69 && worker.err.contains("are not running; start `sluice demo` first"), "\(worker)")

        try Self.record(file, base: "https://graph.facebook.com", assets: assets)
        let refused = try await sluice.run(["run", "competitor_scrape"] + scrape)
        #expect(refused.status == 64 && refused.err.contains("is not a loopback address"), "\(refused)")
    }
}
