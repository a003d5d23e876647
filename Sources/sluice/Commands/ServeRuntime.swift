import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// What `sluice serve` or `sluice worker` runs, resolved from flags, environment, config file and defaults.
struct ServeSettings: Sendable {
    var database: DatabaseLocation
    /// Where the API and dashboard listen; nil for a worker without them.
    var http: HTTPSettings?
    var runsWorker: Bool
    var concurrency: Int
    /// The queues the worker serves; nil for every job type's queue.
    var queues: [String]? = nil
    var adIntel: AdIntelSettings
    /// The job types and handlers.
    var catalog = Catalog(probes: false)
}

/// The address the HTTP server binds, and how long clients may keep it waiting.
struct HTTPSettings: Sendable {
    var host: String
    var port: Int
    /// Seconds a connection may stay idle, or take to send a request's head.
    var idleTimeoutSeconds = 30
    /// Seconds a client may take to send a request's body.
    var bodyTimeoutSeconds = 30
}

/// Opens the store, creates the first admin token, and runs the HTTP server (when configured) with the worker and
/// maintenance services until SIGTERM or SIGINT.
struct ServeRuntime {
    let settings: ServeSettings
    let metrics: ServerMetrics
    let logger: Logger
    /// Runs once the store is open and the first token exists, before serving (the demo seeds its data here); it
    /// gets the first admin token's secret when this start created it, and returns what to do once the HTTP server
    /// listens, given its port.
    var prepare:
        (
            @Sendable (SluiceClient, AdIntelClient, _ firstToken: String?) async throws -> (
                @Sendable (_ port: Int) -> Void
            )
        )?

    /// Sets up this process's logging and metrics, says where Meta runs go (warning when no Meta access token is
    /// configured), and returns the runtime for `settings` (`serve` and `worker`).
    static func configured(
        _ settings: ServeSettings, connectors: ResolvedConnectors, logFormat: LogFormat, level: Logger.Level
    ) -> ServeRuntime {
        let metrics = bootstrap(logFormat, level: level)
        let logger = Logger(label: "sluice")
        connectors.announce(logger: logger)
        return ServeRuntime(settings: settings, metrics: metrics, logger: logger)
    }

    /// Sets up logging and the Prometheus metrics that `/metrics` serves; once per process.
    static func bootstrap(_ format: LogFormat, level: Logger.Level) -> ServerMetrics {
        format.bootstrap(level: level)
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        return metrics
    }

    func run() async throws {
        let registry = try settings.catalog.registry()
        let known = Self.queues(of: registry)
        let queues = settings.queues ?? known
        if let unknown = queues.first(where: { !known.contains($0) }) {
            throw ConfigurationError(
                "--queue: no job type uses the queue \(unknown.prefix(40)) (queues: \(known.joined(separator: ", ")))")
        }
        try await StoreSession.with(settings.database, registry: registry, logger: logger) { store in
            try await serve(store, registry: registry, queues: queues)
        }
    }

    private func serve(_ store: any JobAndAdStore, registry: JobTypeRegistry, queues: [String]) async throws {
        let datasets = try AdIntelCatalog.datasets(registry)
        let client = SluiceClient(
            store: store, registry: registry, datasets: datasets, admissions: AdIntelCatalog.admissions(store: store))
        try await AdIntelCatalog.installRateLimiters(in: client)
        // A worker without the API has no use for a token; the first `serve` (or `sluice tokens create`) makes it.
        let firstToken = settings.http != nil ? try await announceFirstToken(client) : nil
        let adIntel = AdIntelClient(store: store)
        let serving = try await prepare?(client, adIntel, firstToken)
        let worker = try Worker(
            store: store, registry: registry,
            handlers: try settings.catalog.handlers(store: store, settings: settings.adIntel),
            configuration: WorkerConfiguration(queues: queues, concurrency: settings.concurrency),
            logger: logger)
        var services: [any Service] = [
            Pruner(store: store, logger: logger),
            DatasetFreshnessService(store: store, datasets: datasets, logger: logger),
            // Receivers are user-supplied URLs: public addresses only.
            WebhookDispatcher(
                store: store, transport: SafeHTTPClient(policy: .publicOnly, timeout: .seconds(10)), logger: logger),
        ]
        if let http = settings.http {
            let feed = ActivityFeed(client: client, logger: logger)
            let api = SluiceAPI(
                client: client, adIntel: adIntel, feed: feed, metrics: metrics,
                configuration: SluiceServerConfiguration(
                    host: http.host, port: http.port, directWorker: settings.runsWorker ? worker : nil,
                    assetDirectory: settings.adIntel.assetDirectory,
                    idleTimeout: .seconds(http.idleTimeoutSeconds), bodyTimeout: .seconds(http.bodyTimeoutSeconds)))
            services += [
                api.application(logger: logger) { port in
                    serving?(port)
                    logger.info("Sluice is serving on http://\(http.host):\(port)")
                },
                feed,
            ]
        }
        if settings.runsWorker {
            services += [Scheduler(store: store, logger: logger), Rescuer(store: store, logger: logger), worker]
        }
        var group = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.bound(byGracePeriod: worker.configuration.shutdownGracePeriod)
        try await ServiceGroup(configuration: group).run()
    }

    /// Every queue a job type of `registry` uses (`default`, `assets`, …): the worker serves them all.
    static func queues(of registry: JobTypeRegistry) -> [String] {
        Array(Set(registry.all.map(\.queue))).sorted()
    }

    /// On an empty database, creates the admin token and prints it: the only time it is ever shown. Returns its
    /// secret when it was created now.
    private func announceFirstToken(_ client: SluiceClient) async throws -> String? {
        let (secret, hash) = AccessTokens.generate()
        guard try await client.createFirstToken(NewAPIToken(name: "admin", role: .admin, secretHash: hash)) != nil
        else { return nil }
        let notice = "Created the first admin token; it is shown only now, so keep it:\n\n    \(secret)\n\n"
        FileHandle.standardOutput.write(Data(notice.utf8))
        return secret
    }
}
