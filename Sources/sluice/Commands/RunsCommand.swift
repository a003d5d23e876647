import ArgumentParser
import Foundation
import SluiceCore
import SluiceServer
import SluiceStore

/// `sluice runs`: list, inspect, retry and cancel runs.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List, show, retry and cancel runs.",
        subcommands: [List.self, Show.self, Retry.self, Cancel.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this brand's runs (id or name).") var brand: String?
        @Option(help: "Only runs of this job type.") var type: String?
        @Option(help: "Only runs of this job.") var job: Int64?
        @Option(
            help:
                "Only runs in these states, comma-separated: queued, running, retrying, succeeded, failed, cancelled, timed_out."
        )
        var state: String?
        @OptionGroup var paging: PagingOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let states = try state.map(RunsCommand.states) ?? []
            let (page, names) = try await store.withClient { client in
                let brandID = try await BrandReference.id(brand, with: client)
                let query = RunQuery(
                    brandID: brandID, jobID: job, jobType: type, states: states, limit: paging.limit,
                    cursor: paging.cursor)
                return (try await client.runs(query), try await BrandReference.names(client))
            }
            output.emit(
                APIRepresentation.runs(page.map { SummarizedRun(run: $0, summary: nil) }),
                text: paging.footer(RunsCommand.table(page.items, names: names), next: page.nextCursor))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a run with its log summary and last log lines.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The run's id.") var id: Int64
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (run, summary, tail) = try await store.withClient { client in
                let run = try await client.run(id: id)
                return (run, try await client.logSummary(runID: id), try await LogsCommand.tail(of: id, client: client))
            }
            let details: [(label: String, value: String)] = [
                ("Run", "\(run.id) of job \(run.jobID) (\(run.jobType))"), ("Brand", CLIText.id(run.brandID)),
                ("State", "\(run.state.rawValue), attempt \(run.attempt) of \(run.maxAttempts)"),
                ("Progress", "\(CLIText.percent(run.progress)) \(run.progressMessage ?? "")"),
                ("Parameters", CLIText.parameters(run.parameters)), ("Scheduled", CLIText.time(run.scheduledAt)),
                ("Started", CLIText.time(run.startedAt)), ("Finished", CLIText.time(run.finishedAt)),
                ("Duration", CLIText.duration(from: run.startedAt, to: run.finishedAt)),
                ("Worker", run.workerID ?? "-"), ("Rows", run.rowsWritten.map(String.init) ?? "-"),
                ("Error", run.error ?? "-"), ("Log", summary.text),
            ]
            output.emit(
                APIRepresentation.run(run, summary: summary),
                text: CLIText.details(details)
                    + (tail.isEmpty ? "" : "\n\n" + tail.map(LogsCommand.line).joined(separator: "\n")))
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Retry a failed, timed-out or cancelled run.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The run's id.") var id: Int64

        func run() async throws {
            let run = try await store.withClient { try await $0.retryRun(id: id) }
            print("Queued run \(run.id) again; it is now \(run.state.rawValue).")
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a run: at once when pending, within about a second when running.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The run's id.") var id: Int64

        func run() async throws {
            let run = try await store.withClient { try await $0.cancelRun(id: id) }
            print(
                run.state == .cancelled
                    ? "Cancelled run \(run.id)." : "Asked run \(run.id) to stop; its worker cancels it within a second."
            )
        }
    }

    /// The states named in `text`, comma-separated.
    ///
    /// - Throws: `ValidationError` naming an unknown state.
    static func states(_ text: String) throws -> [RunState] {
        try text.split(separator: ",").map { name in
            guard let state = RunState(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    "--state: unknown state \(name.prefix(30)); use queued, running, retrying, succeeded, failed, "
                        + "cancelled or timed_out")
            }
            return state
        }
    }

    /// Runs as a table, with brand names where known.
    static func table(_ runs: [Run], names: [UUID: String]) -> String {
        TextTable.render(
            ["ID", "JOB", "BRAND", "TYPE", "STATE", "ATTEMPT", "STARTED", "DURATION", "PROGRESS"],
            runs.map { run in
                [
                    String(run.id), String(run.jobID), names[run.brandID] ?? CLIText.id(run.brandID), run.jobType,
                    run.state.rawValue, "\(run.attempt)/\(run.maxAttempts)", CLIText.time(run.startedAt),
                    CLIText.duration(from: run.startedAt, to: run.finishedAt),
                    CLIText.percent(run.progress),
                ]
            })
    }
}
