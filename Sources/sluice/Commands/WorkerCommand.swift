import ArgumentParser
import Logging

/// `sluice worker`: a worker with the scheduler, rescuer and maintenance services and no HTTP server, for adding
/// capacity: run any number of them, on any hosts, against one PostgreSQL database.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker, the scheduler and maintenance services, without the HTTP API.",
        discussion: """
            Settings come from flags, the environment and the config file as for `sluice serve` (see its --help). \
            Every process claims work with leases, so any number of workers and servers can share one PostgreSQL \
            database, and a recurring job fires once per tick. Execution is at least once: a run whose worker dies \
            or stalls past its lease runs again elsewhere; a worker stops a handler as soon as it counts the lease \
            as lost, and a late result is refused (fenced), so each run's result is recorded once. Handlers get the \
            attempt number as a fencing token for their own writes. SIGTERM or SIGINT stops taking work, lets \
            running jobs finish within the grace period, and ends the process a few seconds after it in any case.
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "Runs executed at once by this worker \(Setting.concurrency.sources).")
    var concurrency: Int?

    @Option(name: .customLong("queue"), help: "A queue to serve; repeat for several (default: every job type's queue).")
    var queues: [String] = []

    @OptionGroup var connectors: ConnectorOptions
    @OptionGroup var logging: LogOptions

    func run() async throws {
        let sources = try store.sources()
        let (format, level) = try logging.resolved(sources)
        let database = try store.location(sources)
        let connectors = try self.connectors.resolved(sources, database: database)
        // A worker on the demo's database is of no use while the demo's fake servers are down.
        try connectors.requireDemoServers()
        let settings = ServeSettings(
            database: database, http: nil, runsWorker: true,
            concurrency: try sources.number(.concurrency, flag: concurrency, in: 1...1000),
            queues: queues.isEmpty ? nil : queues, adIntel: connectors.settings, catalog: store.catalog)
        try await ServeRuntime.configured(settings, connectors: connectors, logFormat: format, level: level).run()
    }
}
