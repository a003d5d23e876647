import ArgumentParser
import Foundation
import Logging
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceEngine
import SluiceStore

/// `--database` and `--config`, shared by every command that opens the store.
struct StoreOptions: ParsableArguments {
    @Option(help: "sqlite:///path, a file path, or postgres://user:pass@host:port/db \(Setting.database.sources).")
    var database: String?

    @Option(help: "A JSON config file of settings (env SLUICE_CONFIG); flags and the environment take precedence.")
    var config: String?

    /// For the multi-node tests and benchmarks: serve the probe job types too (every process on the database must).
    @Flag(help: .hidden) var probeJobTypes = false

    /// The job types and handlers of this process.
    var catalog: Catalog { Catalog(probes: probeJobTypes) }

    /// The invocation's setting sources.
    ///
    /// - Throws: ``ConfigurationError`` for an unusable config file.
    func sources() throws -> SettingSources { try SettingSources(configPath: config) }

    /// Where the database is, by `sources`.
    ///
    /// - Throws: ``ConfigurationError`` for an unusable URL.
    func location(_ sources: SettingSources) throws -> DatabaseLocation {
        try DatabaseLocation(
            parsing: sources.value(.database, flag: database) ?? "",
            origin: sources.origin(of: .database, flagGiven: database != nil))
    }

    /// Runs `body` with a client on the migrated store, closed afterwards.
    func withClient<T: Sendable>(_ body: @Sendable (SluiceClient) async throws -> T) async throws -> T {
        try await withStore(sources()) { _, client in try await body(client) }
    }

    /// Runs `body` with the job client and the ad domain's client on the migrated store, closed afterwards.
    func withClients<T: Sendable>(
        _ body: @Sendable (SluiceClient, AdIntelClient) async throws -> T
    ) async throws -> T {
        try await withStore(sources()) { store, client in try await body(client, AdIntelClient(store: store)) }
    }

    /// Runs `body` with the migrated store (for a worker's handlers) and a client on it, closed afterwards.
    func withStore<T: Sendable>(
        _ sources: SettingSources, _ body: @Sendable (any JobAndAdStore, SluiceClient) async throws -> T
    ) async throws -> T {
        let registry = try catalog.registry()
        // A one-shot command reports its own errors; the database driver's retries would only be noise.
        var logger = Logger(label: "sluice")
        logger.logLevel = .error
        return try await StoreSession.with(location(sources), registry: registry, logger: logger) { store in
            try await body(
                store,
                SluiceClient(
                    store: store, registry: registry, datasets: try AdIntelCatalog.datasets(registry),
                    admissions: AdIntelCatalog.admissions(store: store)))
        }
    }
}
