import Foundation
import GRDB
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import Testing

@testable import SluiceStoreSQLite

@Suite("SQLite: migration 9, the queue table beside the run history")
struct SQLiteRunTablesMigrationTests {
    typealias Fixture = RunTablesMigrationFixture

    @Test("a database of migration 8 upgrades while a worker of the new version serves, losing nothing")
    func upgradesOnline() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-v9-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("sluice.sqlite").path
        let pool = try DatabasePool(path: path)
        try SQLiteMigrations.apply(to: pool, through: 8)
        try await pool.write { db in try db.execute(sql: Self.fixture) }
        try pool.close()

        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
        async let upgraded = Self.open(path, configuration)
        async let drained = Self.drain(path, configuration)
        let upgrading = try await upgraded
        #expect(try await drained == Fixture.claimable)

        let reader = try DatabaseQueue(path: path)
        defer { try? reader.close() }
        let counts = try await reader.read { db in
            try [
                "SELECT count(*) FROM run_queue", "SELECT count(*) FROM run_history", "SELECT sum(id) FROM runs",
                "SELECT count(*) FROM run_logs", "SELECT count(*) FROM dataset_history",
            ].map { try Int64.fetchOne(db, sql: $0) ?? -1 }
        }
        #expect(counts[0] == Fixture.running && counts[1] == Fixture.runs - Fixture.running)
        #expect(counts[2] == Fixture.idSum)
        #expect(counts[3] == Fixture.logLines && counts[4] == Fixture.datasetEntries)
        let succeeded = try await upgrading.listRuns(RunQuery(states: [.succeeded], limit: 1)).items
        #expect(succeeded.first?.id == Fixture.runs - Fixture.running)
        try await Fixture.checkJobs(of: upgrading)
    }

    /// Opens the database as a process of the new version does, migrating it.
    static func open(_ path: String, _ configuration: StoreConfiguration) async throws -> SQLiteJobStore {
        try SQLiteJobStore(path: path, configuration: configuration, busyTimeout: .seconds(120))
    }

    /// Opens the database as a worker process of the new version does, then serves.
    static func drain(_ path: String, _ configuration: StoreConfiguration) async throws -> Int {
        try await Fixture.drain(try await open(path, configuration))
    }

    /// The fixture, written with migration 8's schema; times in microseconds since 1970.
    static let fixture: String = {
        let brand = ConformanceJobTypes.brandA.uuidString.lowercased()
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let hour: Int64 = 3_600_000_000
        let series = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < \(Fixture.runs))"
        return """
            INSERT INTO brands (id, name, created_at) VALUES ('\(brand)', 'Fixture', \(now));
            \(series)
            INSERT INTO jobs (id, brand_id, job_type, parameters, schedule_kind, run_at, status, queue, priority,
                created_at, updated_at)
            SELECT i, '\(brand)', 'noop', '{}', 'once', \(now),
                CASE WHEN i <= \(Fixture.finished) THEN 'finished' ELSE 'active' END, 'default', 0, \(now), \(now)
            FROM s;
            \(series)
            INSERT INTO runs (id, job_id, brand_id, job_type, queue, priority, parameters, state, attempt,
                max_attempts, scheduled_at, created_at, started_at, finished_at, worker_id, lease_expires_at,
                rows_written)
            SELECT i, i, '\(brand)', 'noop', 'default', 0, '{}', \(Fixture.stateCase),
                CASE WHEN i > \(Fixture.finished) AND i <= 109000 THEN 0 ELSE 1 END, 3, \(now - hour),
                \(now - 2 * hour), \(now - hour), CASE WHEN i <= \(Fixture.finished) THEN \(now - hour / 2) END,
                CASE WHEN i > 109500 THEN 'old-version' END, CASE WHEN i > 109500 THEN \(now + hour) END,
                CASE WHEN i <= 90000 THEN 1 END
            FROM s;
            \(series)
            INSERT INTO run_logs (run_id, attempt, at, level, message)
            SELECT i, 1, \(now), 'info', 'line of run ' || i FROM s WHERE i % 2 = 1;
            INSERT INTO dataset_history (brand_id, dataset, run_id, outcome, rows_written, finished_at)
            SELECT '\(brand)', 'ad_assets', id, 'succeeded', 1, \(now) FROM runs WHERE id <= \(Fixture.datasetEntries);
            """
    }()
}
