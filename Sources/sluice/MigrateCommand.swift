import ArgumentParser
import Logging
import SluiceAdIntel

/// `sluice migrate`: brings the database's schema up to date (every other command also does on opening it).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let location = try database.location()
        try await StoreSession.with(
            location, registry: try AdIntelCatalog.registry(), logger: Logger(label: "sluice")
        ) { _ in }
        print("The database schema is up to date.")
    }
}
