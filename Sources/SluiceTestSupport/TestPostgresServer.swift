import Foundation
import Logging
import PostgresNIO
import SluiceStorePostgres

/// The PostgreSQL server the tests use: the one `SLUICE_TEST_POSTGRES_URL` names, or a throwaway cluster that
/// this test process starts once (initdb + pg_ctl, data in a temporary directory, 127.0.0.1 on a free port)
/// and stops when it exits. If neither works the tests fail with the reason; they never skip.
public actor TestPostgresServer {
    /// The tests' server: a throwaway cluster without fsync (or `SLUICE_TEST_POSTGRES_URL`).
    public static let shared = TestPostgresServer(durable: false)

    private let durable: Bool

    /// A server; `durable` keeps PostgreSQL's default fsync and synchronous commit, as benchmarks need.
    public init(durable: Bool) {
        self.durable = durable
    }

    /// Where to connect.
    public struct Endpoint: Sendable {
        /// The host.
        public let host: String
        /// The port.
        public let port: Int
        /// The user.
        public let username: String
        /// The password, if any.
        public let password: String?
        /// A database to run administrative statements in.
        public let adminDatabase: String

        /// A client configuration for `database`.
        public func configuration(database: String) -> PostgresClient.Configuration {
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
            configuration.options.maximumConnections = 12
            PostgresJobStore.applySessionSettings(to: &configuration)
            return configuration
        }
    }

    private var starting: Task<Endpoint, any Error>?

    /// The server, started on first use.
    public func endpoint() async throws -> Endpoint {
        if let starting { return try await starting.value }
        let task = Task { [durable] in try Self.locateOrStart(durable: durable) }
        starting = task
        return try await task.value
    }

    private static func locateOrStart(durable: Bool) throws -> Endpoint {
        if let url = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES_URL"], !url.isEmpty {
            guard let components = URLComponents(string: url), let host = components.host, let user = components.user
            else {
                throw TestPostgresError(
                    "SLUICE_TEST_POSTGRES_URL is not a postgres://user[:password]@host[:port]/db URL")
            }
            let database = String(components.path.dropFirst())
            return Endpoint(
                host: host, port: components.port ?? 5432, username: user, password: components.password,
                adminDatabase: database.isEmpty ? "postgres" : database)
        }
        return try ThrowawayCluster.start(durable: durable)
    }
}

/// Why no test server could be had.
public struct TestPostgresError: Error, CustomStringConvertible {
    /// The reason.
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Creates and drops the per-case databases.
public enum TestDatabases {
    /// Runs one administrative statement on the server's admin database.
    public static func administer(_ endpoint: TestPostgresServer.Endpoint, _ sql: String) async throws {
        let client = PostgresClient(configuration: endpoint.configuration(database: endpoint.adminDatabase))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}
