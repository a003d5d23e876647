import ArgumentParser
import Foundation
import Logging
import SluiceAdIntel
import SluiceConnectors
import SluiceFakes

/// `sluice demo`: Sluice on a fresh embedded SQLite database, with the fake Meta servers on loopback and a demo
/// brand, so a new user can scrape ads from the dashboard without any account or network.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Sluice offline: fake Meta servers on loopback, demo data, the dashboard on 127.0.0.1.",
        discussion: """
            Starts the fake Meta Ad Library, insights API and CDN on 127.0.0.1, then `sluice serve` on a fresh SQLite \
            database in a temporary folder (or --database), seeded with a brand, three competitors and a recurring \
            meta_sync. Prints the dashboard address and an admin token. Nothing leaves this machine.
            """)

    @Option(help: "The dashboard's port on 127.0.0.1 (default: 8080; 0 picks a free one).")
    var port = 8080

    @Option(help: "A SQLite file to keep the demo in (default: a new temporary folder each time).")
    var database: String?

    @Option(help: "Runs executed at once by the demo's worker (default: 4).")
    var concurrency = 4

    func run() async throws {
        let metrics = ServeRuntime.bootstrap(.text, level: .info)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-demo-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = database ?? folder.appendingPathComponent("demo.sqlite").path
        let fake = FakeMetaServer()
        // A little latency per Ad Library page, so a scrape is seen running in the dashboard.
        fake.delayAdsArchive(by: .milliseconds(700))
        try await fake.serve { base in
            let settings = ServeSettings(
                database: .sqlite(path: path), http: HTTPSettings(host: "127.0.0.1", port: port), runsWorker: true,
                concurrency: concurrency,
                adIntel: AdIntelSettings(
                    meta: MetaGraphSettings(baseURL: base, accessToken: "fake-token", snapshotBaseURL: base),
                    assetDirectory: folder.appendingPathComponent("assets"),
                    egress: EgressPolicy(allowsLoopback: true)))
            var runtime = ServeRuntime(settings: settings, metrics: metrics, logger: Logger(label: "sluice"))
            runtime.prepare = { client in
                let seeded = try await DemoData.seed(client)
                let address = port == 0 ? "the address logged below" : "http://127.0.0.1:\(port)"
                let notice = """
                    Sluice demo: \(seeded ? "seeded brand \(DemoData.brandName) with 3 competitors and a recurring meta_sync" : "using the data already in \(path)").
                    Fake Meta servers: \(base). Database: \(path).
                    Open \(address), log in with the admin token printed above, open Competitor Research and
                    click "Scrape Ads from Ad Library". Stop with Ctrl-C.

                    """
                FileHandle.standardOutput.write(Data(notice.utf8))
            }
            try await runtime.run()
        }
    }
}
