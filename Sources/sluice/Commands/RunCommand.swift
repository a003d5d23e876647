import ArgumentParser
import Foundation
import Logging
import SluiceAdIntel
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice run`: the legacy direct mode on the command line. The job is queued like any job and executed at once in
/// this process, with a live progress bar and its log lines; it is recorded like any run.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job now in this process, showing its progress and log (legacy direct mode).",
        discussion: """
            Example: sluice run competitor_scrape --brand "Acme Coffee" --param competitor_id=4f0c… \
            --param ad_library_url='https://www.facebook.com/ads/library/?…'

            On the database of `sluice demo`, when no Meta setting is given, the run uses the demo's fake servers and \
            token as the demo recorded them (DATABASE.connectors.json); the demo must be running.

            The run is recorded like any other (logs, retries, dataset freshness). Follow-up jobs it queues, such as \
            asset downloads, are run by the workers of `sluice serve` or `sluice worker`. Exits 0 when the run \
            succeeds and 1 otherwise. Progress and log lines go to standard error; the outcome (or --json) to \
            standard output. Interrupted (Ctrl-C), the process ends and its run stays running until its lease \
            expires; then any `sluice serve` or `sluice worker` on the database rescues it and runs it again.
            """)

    @OptionGroup var job: JobRequestOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var connectors: ConnectorOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let sources = try store.sources()
        let connectors = try self.connectors.resolved(sources, database: store.location(sources))
        try connectors.requireDemoServers()
        let settings = connectors.settings
        let finished = try await store.withStore(sources) { store, client in
            try await AdIntelCatalog.installRateLimiters(in: client)
            let request = try await job.request(.now, client: client)
            let type = try client.registry.require(request.jobType)
            let worker = try Worker(
                store: store, registry: client.registry,
                handlers: try self.store.catalog.handlers(store: store, settings: settings),
                configuration: WorkerConfiguration(queues: [type.queue], concurrency: 1),
                logger: Self.workerLogger)
            let (queued, announce) = AsyncStream.makeStream(of: Int64.self)
            return try await withThrowingTaskGroup(of: Run?.self) { tasks in
                tasks.addTask {
                    // Following is a view: should it fail (the database briefly away), the run goes on regardless.
                    for await runID in queued { try? await RunFollower(client: client).follow(runID) }
                    return nil
                }
                let run = try await client.runDirectly(request, with: worker) { announce.yield($0.id) }
                announce.finish()
                _ = try await tasks.next()
                return run
            }
        }
        output.emit(APIRepresentation.run(finished), text: Self.outcome(finished))
        guard finished.state == .succeeded else { throw ExitCode.failure }
    }

    /// The in-process worker's own log: warnings and errors only, as the run's log lines are printed already.
    private static var workerLogger: Logger {
        var logger = Logger(label: "sluice.run")
        logger.logLevel = .warning
        return logger
    }

    /// "Run 12 succeeded in 3.2 s: 41 rows written." and its like.
    static func outcome(_ run: Run) -> String {
        let duration = CLIText.duration(from: run.startedAt, to: run.finishedAt ?? Date())
        switch run.state {
        case .succeeded:
            return "Run \(run.id) succeeded in \(duration)\(run.rowsWritten.map { ": \($0) rows written" } ?? "")."
        case .retrying:
            return "Run \(run.id) failed (attempt \(run.attempt) of \(run.maxAttempts)): \(run.error ?? "no error")."
                + " A worker retries it at \(CLIText.time(run.scheduledAt))."
        default:
            return "Run \(run.id) \(run.state.rawValue) after \(duration): \(run.error ?? "no error")."
        }
    }
}
