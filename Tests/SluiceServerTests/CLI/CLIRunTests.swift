import Foundation
import SluiceAdIntel
import SluiceCore
import SluiceFakes
import SluiceStore
import SluiceTestSupport
import Testing

/// `sluice run` (direct mode), `sluice worker` and `sluice logs --follow` against the fake Meta servers on loopback,
/// run as the real binary.
@Suite("sluice CLI: run, worker and logs --follow")
struct CLIRunTests {
    static let rivalURL =
        "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US"
        + "&media_type=all&search_type=page&view_all_page_id=123456"

    /// The connector flags that point `sluice` at the fake.
    static func connectors(_ base: String, assets: URL) -> [String] {
        [
            "--meta-base-url", base, "--meta-snapshot-base-url", base, "--allow-loopback-egress",
            "--asset-dir", assets.path,
        ]
    }

    /// Creates brand "Acme Coffee" with competitor "Rival Coffee"; returns the scrape's parameters as flags.
    static func seed(_ sluice: SluiceCLI) async throws -> [String] {
        #expect(try await sluice("brands", "create", "Acme Coffee").status == 0)
        let rival = try await sluice(
            "competitors", "add", "--brand", "Acme Coffee", "--name", "Rival Coffee", "--page-id", "123456",
            "--ad-library-url", rivalURL, "--json"
        ).object()
        let id = try #require(rival["id"]?.stringValue)
        return [
            "--brand", "Acme Coffee", "--param", "competitor_id=\(id)", "--param", "ad_library_url=\(rivalURL)",
            "--param", "max_ads=40",
        ]
    }

    @Test(
        "run scrapes in this process with its log on stderr and exits 0; the run is recorded; no token exits 1",
        .timeLimit(.minutes(2)))
    func runDirectly() async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = SluiceCLI(database: folder.appendingPathComponent("run.sqlite").path)
        let scrape = try await Self.seed(sluice)
        try await FakeMetaServer().serve { base in
            let flags = Self.connectors(base, assets: folder.appendingPathComponent("assets"))
            let noToken = try await sluice.run(["run", "competitor_scrape"] + scrape + flags)
            #expect(noToken.status == 1, "\(noToken)")
            #expect(
                noToken.out.contains(
                    "no Meta access token is configured (sluice reads it from SLUICE_META_ACCESS_TOKEN"))

            var withToken = sluice
            withToken.environment["SLUICE_META_ACCESS_TOKEN"] = "fake-token"
            let ran = try await withToken.run(["run", "competitor_scrape"] + scrape + flags + ["--json"])
            #expect(ran.status == 0, "\(ran)")
            let run = try ran.object()
            #expect(run["state"] == "succeeded" && run["rows_written"] == 40)
            #expect(ran.err.contains("found 40 ads"), "\(ran)")
            let runID = try #require(run["id"]?.intValue)

            let followed = try await sluice("logs", String(runID), "--follow")
            #expect(followed.status == 0 && followed.out.contains("found 40 ads"), "\(followed)")
            #expect(followed.out.hasSuffix("Run \(runID) succeeded.\n"))
            let datasets = try await sluice("datasets", "--json").items()
            let ads = try #require(datasets.first { $0["dataset"] == "competitor_ads" })
            #expect(ads["state"] == "fresh" && ads["rows_written"] == 40 && ads["last_run_id"] == .int(runID))
            let history = try await sluice("datasets", "history", "competitor_ads", "--brand", "Acme Coffee", "--json")
            // Newest first: this run, then the one that failed for want of a token.
            let refreshes = try history.items()
            #expect(refreshes.map { $0["outcome"] } == ["succeeded", "failed"], "\(history)")
            #expect(refreshes.first?["run_id"] == .int(runID))
            let unknownRun = try await sluice("logs", "999999")
            #expect(unknownRun.status == 1 && unknownRun.err.contains("run 999999 does not exist"), "\(unknownRun)")
            let asJSON = try await sluice("logs", String(runID), "--json")
            let lines = asJSON.out.split(separator: "\n").map { try? JSONValue(parsing: String($0)) }
            #expect(!lines.isEmpty && lines.allSatisfy { $0?.objectValue?["run_id"] == .int(runID) })
        }
    }

    @Test(
        "sluice worker runs queued scrapes; logs --follow prints lines as they come and ends with the run",
        .timeLimit(.minutes(3)), arguments: TestBackend.allCases)
    func workerAndFollow(_ backend: TestBackend) async throws {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = StoreConfiguration(registry: try AdIntelCatalog.registry())
        try await backend.withDatabase(configuration: configuration) { database in
            let sluice = SluiceCLI(database: database.location)
            let scrape = try await Self.seed(sluice)
            let fake = FakeMetaServer()
            // The Ad Library answers only when released, so the follower starts while the run runs.
            fake.holdAdsArchive(true)
            try await fake.serve { base in
                let worker = try ChildProcess(
                    try SiblingExecutable.url(named: "sluice"),
                    ["worker", "--database", database.location, "--concurrency", "2"]
                        + Self.connectors(base, assets: folder.appendingPathComponent("assets")),
                    name: "worker", folder: folder,
                    environment: SluiceCLI.environment(adding: ["SLUICE_META_ACCESS_TOKEN": "fake-token"]))
                do {
                    _ = try await worker.wait(for: #"(Starting the worker)"#)
                    let queued = try await sluice.run(
                        ["jobs", "enqueue", "competitor_scrape"] + scrape + [
                            "--param", "download_assets=false", "--json",
                        ])
                    let runID = try #require(try queued.object()["run_id"]?.intValue, "\(queued)")
                    let follower = try ChildProcess(
                        try SiblingExecutable.url(named: "sluice"),
                        ["logs", String(runID), "--follow", "--database", database.location], name: "follower",
                        folder: folder, environment: SluiceCLI.environment(adding: [:]))
                    let status: Int32
                    do {
                        _ = try await follower.wait(for: #"(scraping up to 40 ads of Rival Coffee)"#)
                        #expect(follower.process.isRunning, "the follower ended before the run did")
                        fake.holdAdsArchive(false)
                        status = try await follower.exitStatus()
                    } catch {
                        await follower.stop()
                        throw error
                    }
                    #expect(status == 0, "\(follower.printed)")
                    #expect(follower.printed.contains("found 40 ads"), "\(follower.printed)")
                    #expect(follower.printed.hasSuffix("Run \(runID) succeeded.\n"), "\(follower.printed)")
                    let run = try await sluice("runs", "show", String(runID), "--json").object()
                    #expect(run["state"] == "succeeded" && run["worker_id"]?.stringValue != nil)
                } catch {
                    Issue.record("sluice worker printed:\n\(worker.printed.suffix(4000))")
                    await worker.stop()
                    throw error
                }
                let status = await worker.stop(grace: .seconds(30))
                #expect(status == 0, "\(worker.printed.suffix(2000))")
            }
        }
    }
}
