import ArgumentParser
import Foundation
import SluiceCore
import SluiceServer
import SluiceStore

/// `sluice jobs`: list, inspect, enqueue and steer jobs.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, show, enqueue and steer jobs.",
        subcommands: [
            List.self, Show.self, Enqueue.self, Pause.self, Resume.self, Cancel.self, Delete.self, RunNow.self,
        ],
        defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")

        @OptionGroup var store: StoreOptions
        @Option(help: "Only this brand's jobs (id or name).") var brand: String?
        @Option(help: "Only jobs of this job type.") var type: String?
        @Option(help: "Only jobs in this status: active, paused, cancelled or finished.") var status: String?
        @Flag(help: "Only recurring jobs.") var recurring = false
        @OptionGroup var paging: PagingOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let jobStatus = try status.map { text in
                guard let value = JobStatus(rawValue: text) else {
                    throw ValidationError("--status must be active, paused, cancelled or finished")
                }
                return value
            }
            let (page, names) = try await store.withClient { client in
                let brandID = try await BrandReference.id(brand, with: client)
                let query = JobQuery(
                    brandID: brandID, jobType: type, status: jobStatus, recurring: recurring ? true : nil,
                    limit: paging.limit, cursor: paging.cursor)
                return (try await client.jobs(query), try await BrandReference.names(client))
            }
            let rows = page.items.map { job in
                [
                    String(job.id), names[job.brandID] ?? CLIText.id(job.brandID), job.jobType, job.status.rawValue,
                    CLIText.schedule(job.schedule), CLIText.time(job.nextFireAt), CLIText.parameters(job.parameters),
                ]
            }
            let table = TextTable.render(["ID", "BRAND", "TYPE", "STATUS", "SCHEDULE", "NEXT", "PARAMETERS"], rows)
            output.emit(
                APIRepresentation.jobs(page), text: paging.footer(table, next: page.nextCursor))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a job and its latest runs.")

        @OptionGroup var store: StoreOptions
        @Argument(help: "The job's id.") var id: Int64
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (job, runs) = try await store.withClient { client in
                (try await client.job(id: id), try await client.runs(RunQuery(jobID: id, limit: 10)).items)
            }
            var object = APIRepresentation.job(job)
            object["runs"] = .array(runs.map { .object(APIRepresentation.run($0)) })
            let details: [(label: String, value: String)] = [
                ("Job", "\(job.id) (\(job.jobType))"), ("Brand", CLIText.id(job.brandID)),
                ("Status", job.status.rawValue), ("Schedule", CLIText.schedule(job.schedule)),
                ("Next run", CLIText.time(job.nextFireAt)), ("Queue", "\(job.queue), priority \(job.priority)"),
                ("Parameters", CLIText.parameters(job.parameters)), ("Created", CLIText.time(job.createdAt)),
            ]
            output.emit(
                object,
                text: CLIText.details(details) + "\n\nLatest runs:\n" + RunsCommand.table(runs, names: [:]))
        }
    }

    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue a job: now, at a time, or on a cron schedule.",
            discussion: """
                Example: sluice jobs enqueue competitor_scrape --brand "Acme Coffee" \
                --param competitor_id=4f0c… --param max_ads=100
                """)

        @OptionGroup var job: JobRequestOptions
        @Option(help: "Run once at this time (RFC 3339, such as 2026-12-01T06:00:00Z) instead of now.") var at: String?
        @Option(help: "Run on this 5-field cron expression instead, such as \"0 6 * * *\".") var cron: String?
        @Option(help: "The cron expression's IANA time zone (default: UTC).") var timeZone: String?
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let schedule = try schedule()
            let inserted = try await store.withClient { client in
                try await client.enqueue(job.request(schedule, client: client))
            }
            let object = APIRepresentation.jobCreation(
                JobCreation(job: inserted.job, runID: inserted.run?.id, deduplicated: inserted.deduplicated))
            let text =
                inserted.deduplicated
                ? "Job \(inserted.job.id) with the same uniqueness key is already active"
                    + "\(inserted.run.map { " (run \($0.id))" } ?? ""); nothing new was queued."
                : "Queued job \(inserted.job.id)\(inserted.run.map { ", run \($0.id)" } ?? "") "
                    + "(\(CLIText.schedule(inserted.job.schedule)))."
            output.emit(object, text: text)
        }

        private func schedule() throws -> ScheduleRequest {
            if timeZone != nil && cron == nil { throw ValidationError("--time-zone goes with --cron") }
            switch (at, cron) {
            case (nil, nil): return .now
            case (let at?, nil):
                guard let date = RFC3339.parse(at) else {
                    throw ValidationError("--at must be an RFC 3339 time such as 2026-12-01T06:00:00Z")
                }
                return .at(date)
            case (nil, let cron?): return .cron(cron, timeZone: timeZone ?? "UTC")
            case (.some, .some): throw ValidationError("give --at or --cron, not both")
            }
        }
    }
}
