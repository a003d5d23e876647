import Foundation
import Logging
import PostgresNIO
import SluiceStorePostgres

/// The PostgreSQL server the tests use: the one `SLUICE_TEST_POSTGRES_URL` names, or a throwaway cluster that
/// this test process starts once (initdb + pg_ctl, data in a temporary directory, 127.0.0.1 on a free port)
/// and stops when it exits. If neither works the tests fail with the reason; they never skip.
public actor TestPostgresServer {
    /// The tests' server: a throwaway cluster without fsync (or `SLUICE_TEST_POSTGRES_URL`).
    public static let shared = TestPostgresServer(durability: .none)

    /// What a throwaway cluster keeps when it stops abruptly.
    public enum Durability: Sendable {
        /// No fsync and no synchronous commit: the fastest, for tests that never crash the server.
        case none
        /// Synchronous commit without fsync: every acknowledged commit survives a crash of the server's processes
        /// (`pg_ctl restart -m immediate`), though not of the machine.
        case serverCrash
        /// PostgreSQL's defaults, as benchmarks need.
        case full

        var serverOptions: String {
            switch self {
            case .none: " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            case .serverCrash: " -c fsync=off -c full_page_writes=off"
            case .full: ""
            }
        }
    }

    private let durability: Durability
    private let ownCluster: Bool
    private let network: TestNetworkNamespace?
    private var started: ThrowawayCluster.Started?

    /// A server; `durable` keeps PostgreSQL's default fsync and synchronous commit, as benchmarks need.
    public init(durable: Bool) {
        self.init(durability: durable ? .full : .none)
    }

    /// A server of the given durability; `ownCluster` always starts a throwaway cluster of its own (one that a
    /// test may restart), even when `SLUICE_TEST_POSTGRES_URL` names a server; `network` starts it inside that
    /// namespace (implies `ownCluster`).
    public init(durability: Durability, ownCluster: Bool = false, network: TestNetworkNamespace? = nil) {
        self.durability = durability
        self.ownCluster = ownCluster || network != nil
        self.network = network
    }

    /// Restarts this server's own throwaway cluster (`pg_ctl restart -m MODE`) and returns once it accepts
    /// connections again.
    public func restart(mode: String) throws {
        guard let started else { throw TestPostgresError("only a throwaway cluster started by this process restarts") }
        try started.restart(mode: mode)
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
            // The test process shares two loaded cores with many others: a pause of seconds inside a transaction is
            // ordinary here, not a stopped process, and a session the server ends under it turns the next statement
            // into a 35 s deadline. Worker processes keep the product's 5 s.
            configuration.options.additionalStartupParameters = configuration.options.additionalStartupParameters.map {
                $0.0 == "idle_in_transaction_session_timeout" ? ($0.0, "60s") : $0
            }
            return configuration
        }
    }

    private var starting: Task<Endpoint, any Error>?

    /// The server, started on first use.
    public func endpoint() async throws -> Endpoint {
        if let starting { return try await starting.value }
        let task = Task { [durability, ownCluster, network] in
            if !ownCluster, let endpoint = try Self.configuredServer() { return endpoint }
            let started = try ThrowawayCluster.start(durability: durability, network: network)
            self.remember(started)
            return started.endpoint
        }
        starting = task
        return try await task.value
    }

    private func remember(_ started: ThrowawayCluster.Started) {
        self.started = started
    }

    /// The server `SLUICE_TEST_POSTGRES_URL` names, if it is set.
    private static func configuredServer() throws -> Endpoint? {
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
        return nil
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
        try await PostgresPool.running([client]) {
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}
