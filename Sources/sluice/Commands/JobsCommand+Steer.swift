import ArgumentParser
import SluiceCore
import SluiceEngine

/// The commands that change one job's course.
extension JobsCommand {
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a job: its pending runs wait until resumed.")
        @OptionGroup var target: JobTarget

        func run() async throws {
            try await target.report("Paused") { try await $0.pauseJob(id: target.id) }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused job.")
        @OptionGroup var target: JobTarget

        func run() async throws {
            try await target.report("Resumed") { try await $0.resumeJob(id: target.id) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a job: pending runs are cancelled, running ones asked to stop.")
        @OptionGroup var target: JobTarget

        func run() async throws {
            try await target.report("Cancelled") { try await $0.cancelJob(id: target.id) }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a job with its runs and logs.")
        @OptionGroup var target: JobTarget
        @Flag(help: "Confirm: the job's runs and logs are deleted too.") var yes = false

        func run() async throws {
            guard yes else { throw ValidationError("deleting a job deletes its runs and logs; add --yes to confirm") }
            try await target.store.withClient { try await $0.deleteJob(id: target.id) }
            print("Deleted job \(target.id).")
        }
    }

    struct RunNow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-now", abstract: "Queue a run of a job now (a recurring job keeps its schedule).")
        @OptionGroup var target: JobTarget

        func run() async throws {
            let run = try await target.store.withClient { try await $0.runJobNow(id: target.id) }
            print("Queued run \(run.id) of job \(target.id).")
        }
    }
}

/// The job a steering command acts on.
struct JobTarget: ParsableArguments {
    @Argument(help: "The job's id.") var id: Int64
    @OptionGroup var store: StoreOptions

    /// Applies `change` and prints "`verb` job N (…); it is now `status`".
    func report(_ verb: String, _ change: @Sendable (SluiceClient) async throws -> Job) async throws {
        let job = try await store.withClient(change)
        print("\(verb) job \(job.id) (\(job.jobType)); its status is now \(job.status.rawValue).")
    }
}
