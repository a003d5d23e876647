import ArgumentParser
import Foundation
import Logging
import SluiceAdIntel
import SluiceConnectors

/// The connectors' settings, for the commands that run handlers (`serve`, `worker`, `run`). The Meta access token
/// comes from the environment or the config file only: a flag would show it to every user of `ps`.
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

    /// The handlers' settings; the access token is SLUICE_META_ACCESS_TOKEN or `meta_access_token` (empty when
    /// neither is set: Meta runs then fail with a message saying so).
    func settings(_ sources: SettingSources) -> AdIntelSettings {
        AdIntelSettings(
            meta: MetaGraphSettings(
                baseURL: sources.value(.metaBaseURL, flag: metaBaseURL) ?? "",
                accessToken: sources.value(.metaAccessToken) ?? "",
                snapshotBaseURL: sources.value(.metaSnapshotBaseURL, flag: metaSnapshotBaseURL)),
            assetDirectory: URL(fileURLWithPath: sources.value(.assetDirectory, flag: assetDirectory) ?? "assets"),
            egress: EgressPolicy(allowsLoopback: allowLoopbackEgress))
    }

    /// Warns when no Meta access token is configured: the API and dashboard work, Meta job types will fail.
    static func warnIfTokenMissing(_ settings: AdIntelSettings, logger: Logger) {
        guard settings.meta.accessToken.isEmpty else { return }
        logger.warning(
            "No Meta access token: set SLUICE_META_ACCESS_TOKEN (or meta_access_token in the config file); runs that call Meta will fail until then"
        )
    }
}
