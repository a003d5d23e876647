import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SluiceAdIntel
import SluiceConnectors
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice serve`: the API, the dashboard's data, the worker and the scheduler in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API with a worker, scheduler and maintenance services.",
        discussion: """
            Settings come from flags, then the environment (SLUICE_DATABASE_URL, SLUICE_BIND, SLUICE_PORT, \
            SLUICE_META_BASE_URL, SLUICE_META_ACCESS_TOKEN, SLUICE_ASSET_DIR), then defaults. On first start with \
            an empty database an admin token is created and printed once.
            """)

    @Option(help: "sqlite:///path, a file path, or postgres://user:pass@host:port/db (default: sluice.sqlite).")
    var database: String?

    @Option(help: "The address to bind (default: 127.0.0.1).")
    var bind: String?

    @Option(help: "The port (default: 8080).")
    var port: Int?

    @Flag(help: "Serve the API only; run no worker or scheduler in this process.")
    var noWorker = false

    @Option(help: "Runs executed at once by this process's worker (default: 10).")
    var concurrency = 10

    @Option(help: "The Meta Graph API base URL (default: https://graph.facebook.com).")
    var metaBaseURL: String?

    @Option(help: "Where ad snapshots are rendered (default: https://www.facebook.com).")
    var metaSnapshotBaseURL: String?

    @Option(help: "The directory of downloaded creatives (default: ./assets).")
    var assetDirectory: String?

    @Flag(help: "Let connectors reach loopback addresses (for the fake servers of tests and the demo only).")
    var allowLoopbackEgress = false

    @Option(help: "Log format: text or json (default: text).")
    var logFormat: LogFormat = .text

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (default: info).")
    var logLevel: String = "info"

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let metrics = Self.bootstrap(logFormat, level: level)
        let settings = ServeSettings(
            database: try DatabaseLocation(
                parsing: database ?? environment["SLUICE_DATABASE_URL"] ?? "sluice.sqlite"),
            host: bind ?? environment["SLUICE_BIND"] ?? "127.0.0.1",
            port: try port ?? environment["SLUICE_PORT"].map(Self.port) ?? 8080,
            runsWorker: !noWorker, concurrency: concurrency,
            adIntel: AdIntelSettings(
                meta: MetaGraphSettings(
                    baseURL: metaBaseURL ?? environment["SLUICE_META_BASE_URL"] ?? "https://graph.facebook.com",
                    accessToken: environment["SLUICE_META_ACCESS_TOKEN"] ?? "",
                    snapshotBaseURL: metaSnapshotBaseURL),
                assetDirectory: URL(fileURLWithPath: assetDirectory ?? environment["SLUICE_ASSET_DIR"] ?? "assets"),
                egress: EgressPolicy(allowsLoopback: allowLoopbackEgress)))
        try await ServeRuntime(settings: settings, metrics: metrics, logger: Logger(label: "sluice")).run()
    }

    /// Sets up logging and the Prometheus metrics that `/metrics` serves; once per process.
    static func bootstrap(_ format: LogFormat, level: Logger.Level) -> ServerMetrics {
        format.bootstrap(level: level)
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        return metrics
    }

    private static func port(_ text: String) throws -> Int {
        guard let port = Int(text), (0...65535).contains(port) else {
            throw ConfigurationError("SLUICE_PORT must be a port number, not \(text.prefix(20))")
        }
        return port
    }
}
