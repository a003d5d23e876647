import ArgumentParser
import Foundation

/// The `sluice` command line.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice: a durable job queue, worker and control plane for data pipelines.",
        discussion: """
            Every command but `demo` works on the database given by --database, else SLUICE_DATABASE_URL, else the \
            config file's "database" (--config or SLUICE_CONFIG), else ./sluice.sqlite. Exit status: 0 done, 1 the \
            operation failed (a run that did not succeed, an unknown id, a conflict), 64 bad input, 69 the \
            database or port is unavailable.
            """,
        subcommands: [
            ServeCommand.self, WorkerCommand.self, DemoCommand.self, MigrateCommand.self, JobsCommand.self,
            RunsCommand.self, LogsCommand.self, RunCommand.self, DatasetsCommand.self, BrandsCommand.self,
            CompetitorsCommand.self, TokensCommand.self, RateLimitersCommand.self,
        ])

    /// Parses and runs the command; failures are reported by ``CLIFailure``.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            guard let failure = CLIFailure.report(error) else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(failure.message)\n".utf8))
            exit(withError: ExitCode(failure.status))
        }
    }
}
