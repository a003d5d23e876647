import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceTestSupport
import Testing

@testable import SluiceStorePostgres

@Suite("PostgreSQL: migration 9, the queue table beside the run history")
struct PostgresRunTablesMigrationTests {
    typealias Fixture = RunTablesMigrationFixture

    @Test("a database of migration 8 upgrades while a worker of the new version serves, losing nothing")
    func upgradesOnline() async throws {
        let endpoint = try await TestPostgresServer.shared.endpoint()
        let name = "sluice_v9_\(UUID().uuidString.prefix(8).lowercased())"
        try await TestDatabases.administer(endpoint, "CREATE DATABASE \(name)")
        var failure: (any Error)?
        do { try await upgrade(name, on: endpoint) } catch { failure = error }
        try await TestDatabases.administer(endpoint, "DROP DATABASE \(name) WITH (FORCE)")
        if let failure { throw failure }
    }

    private func upgrade(_ name: String, on endpoint: TestPostgresServer.Endpoint) async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
        let clients = (0..<2).map { _ in PostgresClient(configuration: endpoint.configuration(database: name)) }
        try await PostgresPool.running(clients) {
            try await PostgresMigrations.apply(on: clients[0], logger: Logger(label: "test"), through: 8)
            for statement in Self.fixture { try await clients[0].query(PostgresQuery(unsafeSQL: statement)) }

            let upgrading = PostgresJobStore(client: clients[0], configuration: configuration)
            let worker = PostgresJobStore(client: clients[1], configuration: configuration)
            async let upgraded: Void = upgrading.migrate()
            async let drained = Self.drainAfterMigrating(worker)
            try await upgraded
            #expect(try await drained == Fixture.claimable)

            let counts = try await Self.counts(on: clients[0])
            #expect(counts.queue == Fixture.running && counts.history == Fixture.runs - Fixture.running)
            #expect(counts.idSum == Fixture.idSum)
            #expect(counts.logLines == Fixture.logLines && counts.datasetEntries == Fixture.datasetEntries)
            let succeeded = try await upgrading.listRuns(RunQuery(states: [.succeeded], limit: 1)).items
            #expect(succeeded.first?.id == Fixture.runs - Fixture.running)
            try await Fixture.checkJobs(of: upgrading)
        }
    }

    /// Opens the store as a worker process of the new version does, then serves.
    static func drainAfterMigrating(_ store: PostgresJobStore) async throws -> Int {
        try await store.migrate()
        return try await Fixture.drain(store)
    }

    /// The fixture, written with migration 8's schema.
    static let fixture = [
        "INSERT INTO brands (id, name, created_at) VALUES ('\(ConformanceJobTypes.brandA)', 'Fixture', now())",
        """
        INSERT INTO jobs (id, brand_id, job_type, parameters, schedule_kind, run_at, status, queue, priority,
            created_at, updated_at)
        SELECT i, '\(ConformanceJobTypes.brandA)', 'noop', '{}', 'once', now(),
            CASE WHEN i <= \(Fixture.finished) THEN 'finished' ELSE 'active' END, 'default', 0, now(), now()
        FROM generate_series(1, \(Fixture.runs)) AS i
        """,
        "SELECT setval('jobs_id_seq', \(Fixture.runs))",
        """
        INSERT INTO runs (id, job_id, brand_id, job_type, queue, priority, parameters, state, attempt, max_attempts,
            scheduled_at, created_at, started_at, finished_at, worker_id, lease_expires_at, rows_written)
        SELECT i, i, '\(ConformanceJobTypes.brandA)', 'noop', 'default', 0, '{}', \(Fixture.stateCase),
            CASE WHEN i > \(Fixture.finished) AND i <= 109000 THEN 0 ELSE 1 END, 3, now() - interval '1 hour', now() - interval '2 hours',
            now() - interval '1 hour', CASE WHEN i <= \(Fixture.finished) THEN now() - interval '30 minutes' END,
            CASE WHEN i > 109500 THEN 'old-version' END, CASE WHEN i > 109500 THEN now() + interval '1 hour' END,
            CASE WHEN i <= 90000 THEN 1 END
        FROM generate_series(1, \(Fixture.runs)) AS i
        """,
        "SELECT setval('runs_id_seq', \(Fixture.runs))",
        """
        INSERT INTO run_logs (run_id, attempt, at, level, message)
        SELECT i, 1, now(), 'info', 'line of run ' || i FROM generate_series(1, \(Fixture.runs), 2) AS i
        """,
        """
        INSERT INTO dataset_history (brand_id, dataset, run_id, outcome, rows_written, finished_at)
        SELECT '\(ConformanceJobTypes.brandA)', 'ad_assets', i, 'succeeded', 1, now()
        FROM generate_series(1, \(Fixture.datasetEntries)) AS i
        """,
    ]

    static func counts(
        on client: PostgresClient
    ) async throws
        -> (queue: Int64, history: Int64, idSum: Int64, logLines: Int64, datasetEntries: Int64)
    {
        let rows = try await client.query(
            """
            SELECT (SELECT count(*) FROM run_queue), (SELECT count(*) FROM run_history),
                (SELECT sum(id)::bigint FROM runs), (SELECT count(*) FROM run_logs),
                (SELECT count(*) FROM dataset_history)
            """)
        for try await (queue, history, idSum, logLines, entries) in rows.decode(
            (Int64, Int64, Int64, Int64, Int64).self)
        {
            return (queue, history, idSum, logLines, entries)
        }
        throw SluiceError(.storageFailure, "no counts")
    }
}
