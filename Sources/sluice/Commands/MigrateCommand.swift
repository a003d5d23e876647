import ArgumentParser

/// `sluice migrate`: brings the database's schema up to date (every other command also does on opening it).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or upgrade the database schema, then exit.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        try await store.withClient { _ in }
        print("The database schema is up to date.")
    }
}
