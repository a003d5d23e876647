import ArgumentParser
import Foundation
import Logging
import SluiceAdIntelModel
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
            meta_sync. Prints the dashboard address, an admin token, and shell lines for the README's tour (the \
            database, the API's address, the token, the brand, a competitor, the recurring job). Records the fake \
            servers' address and token next to the database (DATABASE.connectors.json), so that `sluice run`, \
            `sluice worker` and `sluice serve` on it reach them while the demo runs. Nothing leaves this machine.
            """)

    @Option(help: "The dashboard's port on 127.0.0.1 (default: 8080; 0 picks a free one).")
    var port = 8080

    @Option(help: "A SQLite file to keep the demo in (default: a new temporary folder each time).")
    var database: String?

    @Option(help: "Runs executed at once by the demo's worker (default: 4).")
    var concurrency = 4

    /// The access token the fake Meta servers accept.
    static let fakeToken = "fake-token"

    func run() async throws {
        let metrics = ServeRuntime.bootstrap(.text, level: .info)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-demo-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Absolute, so that the path it prints works from any folder.
        let path = URL(fileURLWithPath: database ?? folder.appendingPathComponent("demo.sqlite").path).path
        let fake = FakeMetaServer(validTokens: [Self.fakeToken])
        // A little latency per Ad Library page, so a scrape is seen running in the dashboard.
        fake.delayAdsArchive(by: .milliseconds(700))
        try await fake.serve { base in
            let connectors = DemoConnectors(
                metaBaseURL: base, metaSnapshotBaseURL: base, metaAccessToken: Self.fakeToken,
                assetDirectory: folder.appendingPathComponent("assets").path, allowLoopbackEgress: true)
            let settings = ServeSettings(
                database: .sqlite(path: path), http: HTTPSettings(host: "127.0.0.1", port: port), runsWorker: true,
                concurrency: concurrency, adIntel: connectors.settings())
            var runtime = ServeRuntime(settings: settings, metrics: metrics, logger: Logger(label: "sluice"))
            runtime.prepare = { client, adIntel, firstToken in
                let seeded = try await DemoData.seed(client, adIntel)
                // `sluice run`, `worker` and `serve` on this database find the fake servers here.
                try connectors.write(forDatabase: path)
                let tour = try await DemoTour.load(client, adIntel, database: path, token: firstToken)
                return { port in
                    FileHandle.standardOutput.write(
                        Data(Self.notice(tour, port: port, fake: base, seeded: seeded).utf8))
                }
            }
            try await runtime.run()
        }
    }

    /// What the demo prints once it serves: what it seeded, where things are, and the tour's shell lines.
    static func notice(_ tour: DemoTour, port: Int, fake: String, seeded: Bool) -> String {
        let data =
            seeded
            ? "seeded brand \(DemoData.brandName) with 3 competitors and a recurring meta_sync"
            : "using the data already in \(tour.database)"
        return """
            Sluice demo: \(data).
            Fake Meta servers: \(fake). Database: \(tour.database).
            Open http://127.0.0.1:\(port), log in with the admin token printed above, open Competitor Research, pick
            "\(DemoData.competitors[0].0)" and click "Scrape Ads from Ad Library".

            For the README's tour, paste these lines into a second terminal. Keep this demo running: the CLI's runs
            on this database use its fake Meta servers.

            \(tour.shellLines(port: port).map { "    " + $0 }.joined(separator: "\n"))

            Stop with Ctrl-C.


            """
    }
}
