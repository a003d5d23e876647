import ArgumentParser
import Foundation
import Logging
import SluiceAdIntel
import SluiceConnectors

/// The connectors' settings, for the commands that run handlers (`serve`, `worker`, `run`). The Meta access token
/// comes from the environment or the config file only: a flag would show it to every user of `ps`.
///
/// When no flag, variable or config file gives a Meta setting (base URL, snapshot base URL, access token), the
/// record that `sluice demo` wrote next to a SQLite database (``DemoConnectors``) supplies all of them, so commands on
/// the demo's database reach its fake servers. Once the user gives any Meta setting the record is ignored as a
/// whole: a token is used with the real Meta hosts only when the user gave it, never the demo's.
struct ConnectorOptions: ParsableArguments {
    @Option(help: "The Meta Graph API base URL \(Setting.metaBaseURL.sources).")
    var metaBaseURL: String?

    @Option(help: "Where ad snapshots are rendered \(Setting.metaSnapshotBaseURL.sources).")
    var metaSnapshotBaseURL: String?

    @Option(
        name: .customLong("asset-dir"), help: "The directory of downloaded creatives \(Setting.assetDirectory.sources)."
    )
    var assetDirectory: String?

    @Flag(help: "Let connectors reach loopback addresses (for the fake servers of tests and the demo only).")
    var allowLoopbackEgress = false

    /// The handlers' settings for the database at `database`; the access token is SLUICE_META_ACCESS_TOKEN or
    /// `meta_access_token` (empty when neither is set: Meta runs then fail with a message saying so), or the demo's.
    /// - Throws: ``ConfigurationError`` for a demo record that cannot be used.
    func resolved(_ sources: SettingSources, database: DatabaseLocation) throws -> ResolvedConnectors {
        let metaGiven =
            sources.given(.metaBaseURL, flag: metaBaseURL) != nil
            || sources.given(.metaSnapshotBaseURL, flag: metaSnapshotBaseURL) != nil
            || sources.given(.metaAccessToken) != nil
        if !metaGiven, case .sqlite(let path) = database, var demo = try DemoConnectors.read(for: database) {
            demo.allowLoopbackEgress = demo.allowLoopbackEgress || allowLoopbackEgress
            let settings = demo.settings(assetDirectory: sources.given(.assetDirectory, flag: assetDirectory))
            return ResolvedConnectors(settings: settings, demo: demo, database: path)
        }
        let settings = AdIntelSettings(
            meta: MetaGraphSettings(
                baseURL: sources.value(.metaBaseURL, flag: metaBaseURL) ?? "",
                accessToken: sources.given(.metaAccessToken) ?? "",
                snapshotBaseURL: sources.value(.metaSnapshotBaseURL, flag: metaSnapshotBaseURL)),
            assetDirectory: URL(fileURLWithPath: sources.value(.assetDirectory, flag: assetDirectory) ?? "assets"),
            egress: EgressPolicy(allowsLoopback: allowLoopbackEgress))
        return ResolvedConnectors(settings: settings, demo: nil, database: nil)
    }
}

/// The connectors' settings of one command and, when they are a record of `sluice demo`, that record.
struct ResolvedConnectors: Sendable {
    let settings: AdIntelSettings
    /// The demo's record the settings come from; nil when they come from flags, environment, config file, defaults.
    let demo: DemoConnectors?
    /// The SQLite database the record belongs to, for messages.
    let database: String?

    /// Fails unless the demo's fake servers answer, when the settings are the demo's (`sluice run`, `sluice worker`).
    /// - Throws: ``UnavailableError`` saying that the demo is not running.
    func requireDemoServers() throws {
        guard let demo, !demo.serversAnswer() else { return }
        throw UnavailableError(demo.notRunning(database: database ?? "DATABASE"))
    }

    /// Logs where Meta runs go: warns when no Meta access token is configured (the API and dashboard work, Meta job
    /// types will fail), and names the demo's fake servers when they are used, warning if they do not answer.
    func announce(logger: Logger) {
        guard let demo else {
            guard settings.meta.accessToken.isEmpty else { return }
            logger.warning(
                "No Meta access token: set SLUICE_META_ACCESS_TOKEN (or meta_access_token in the config file); runs that call Meta will fail until then"
            )
            return
        }
        logger.notice(
            "Meta runs use the fake servers of `sluice demo` recorded in \(DemoConnectors.path(forDatabase: database ?? "DATABASE"))",
            metadata: ["meta_base_url": "\(demo.metaBaseURL)"])
        if !demo.serversAnswer() {
            logger.warning("\(demo.notRunning(database: database ?? "DATABASE")); runs that call Meta fail until then")
        }
    }
}
