import ArgumentParser
import Foundation
import Logging
import SluiceServer

/// `sluice serve`: the API, the dashboard, the worker and the scheduler in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API and dashboard with a worker, scheduler and maintenance services.",
        discussion: """
            Every setting comes from its flag, else its environment variable, else the config file (--config or \
            SLUICE_CONFIG: a JSON object whose keys are the setting names below), else its default:

            \(Setting.allCases.map { "  \($0.rawValue) (\($0.environmentName)): \($0.defaultValue ?? "no default")" }.joined(separator: "\n"))

            The Meta access token is read from SLUICE_META_ACCESS_TOKEN or meta_access_token only (never a flag). \
            On the database of `sluice demo`, when no Meta setting is given, the demo's recorded fake servers and \
            token are used (DATABASE.connectors.json). \
            On first start with an empty database an admin token is created and printed once. SIGTERM or SIGINT \
            stops taking work and lets running jobs finish (their leases are released if they do not in time).
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The address to bind \(Setting.bind.sources).")
    var bind: String?

    @Option(help: "The port; 0 picks a free one \(Setting.port.sources).")
    var port: Int?

    @Flag(help: "Serve the API and dashboard only; run no worker or scheduler in this process.")
    var noWorker = false

    @Option(help: "Runs executed at once by this process's worker \(Setting.concurrency.sources).")
    var concurrency: Int?

    @Option(
        help: "Seconds a connection may stay idle or take to send a request's head \(Setting.httpIdleTimeout.sources).")
    var httpIdleTimeout: Int?

    @Option(help: "Seconds a client may take to send a request's body \(Setting.httpBodyTimeout.sources).")
    var httpBodyTimeout: Int?

    @OptionGroup var connectors: ConnectorOptions
    @OptionGroup var logging: LogOptions

    func run() async throws {
        let sources = try store.sources()
        let (format, level) = try logging.resolved(sources)
        let database = try store.location(sources)
        let connectors = try self.connectors.resolved(sources, database: database)
        let settings = ServeSettings(
            database: database,
            http: HTTPSettings(
                host: sources.value(.bind, flag: bind) ?? "127.0.0.1",
                port: try sources.number(.port, flag: port, in: 0...65535),
                idleTimeoutSeconds: try sources.number(.httpIdleTimeout, flag: httpIdleTimeout, in: 1...3600),
                bodyTimeoutSeconds: try sources.number(.httpBodyTimeout, flag: httpBodyTimeout, in: 1...3600)),
            runsWorker: !noWorker,
            concurrency: try sources.number(.concurrency, flag: concurrency, in: 1...1000),
            adIntel: connectors.settings, catalog: store.catalog)
        try await ServeRuntime.configured(settings, connectors: connectors, logFormat: format, level: level).run()
    }
}
