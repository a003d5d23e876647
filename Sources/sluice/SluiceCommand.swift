import ArgumentParser

/// The `sluice` command line.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Sluice: a durable job queue, worker and control plane for data pipelines.",
        subcommands: [ServeCommand.self, DemoCommand.self, MigrateCommand.self, TokensCommand.self])
}
