import Foundation
import PostgresNIO
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import SluiceStorePostgres
import SluiceStoreSQLite

/// A storage backend the tests and benchmarks run against, each time on a fresh, empty database.
public enum TestBackend: String, Sendable, CaseIterable, CustomStringConvertible {
    case sqlite
    case postgres

    public var description: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// A fresh database with `count` independently connected stores.
    public struct Database: Sendable {
        /// The stores.
        public let stores: [any JobAndAdStore]
        /// How another process reaches the same database: a file path for SQLite, a URL for PostgreSQL.
        public let location: String
    }

    /// Runs `body` against a fresh database, with `count` stores that each have their own connections to it, and
    /// removes the database afterwards.
    public func withDatabase<T: Sendable>(
        stores count: Int = 1, configuration: StoreConfiguration, server: TestPostgresServer = .shared,
        _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        switch self {
        case .sqlite: try await Self.withSQLite(count: count, configuration: configuration, body)
        case .postgres: try await Self.withPostgres(count: count, configuration: configuration, server: server, body)
        }
    }

    private static func withSQLite<T: Sendable>(
        count: Int, configuration: StoreConfiguration, _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sluice.sqlite").path
        let stores = try (0..<count).map { _ in try SQLiteJobStore(path: path, configuration: configuration) }
        return try await body(Database(stores: stores, location: path))
    }

    private static func withPostgres<T: Sendable>(
        count: Int, configuration: StoreConfiguration, server: TestPostgresServer,
        _ body: @Sendable (Database) async throws -> T
    ) async throws -> T {
        let endpoint = try await server.endpoint()
        let name = "sluice_test_\(UUID().uuidString.prefix(13).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await TestDatabases.administer(endpoint, "CREATE DATABASE \(name)")
        let clients = (0..<count).map { _ in PostgresClient(configuration: endpoint.configuration(database: name)) }
        let outcome: Result<T, any Error> = await PostgresPool.running(clients) {
            do {
                let stores = clients.map { PostgresJobStore(client: $0, configuration: configuration) }
                for store in stores { try await store.migrate() }
                let password = endpoint.password.map { ":\($0)" } ?? ""
                let location = "postgres://\(endpoint.username)\(password)@\(endpoint.host):\(endpoint.port)/\(name)"
                return .success(try await body(Database(stores: stores, location: location)))
            } catch {
                return .failure(error)
            }
        }
        try await TestDatabases.administer(endpoint, "DROP DATABASE \(name) WITH (FORCE)")
        return try outcome.get()
    }
}
