import Foundation
import GRDB
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStoreSQLite
import SluiceTestSupport
import Testing

@Suite("SQLite: migration 7, every job's brand exists")
struct SQLiteBrandMigrationTests {
    @Test("a database of migration 6 holding jobs of a missing brand upgrades without losing them")
    func restoresMissingBrands() async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
        try await TestBackend.sqlite.withDatabase(configuration: configuration) { database in
            // Back to migration 6: drop what 7 added, then write a job whose brand does not exist, as 6 allowed.
            let pool = try DatabasePool(path: database.location)
            try await pool.write { db in
                try db.execute(
                    sql: """
                        DROP TRIGGER jobs_brand_exists; DROP TRIGGER jobs_brand_unchanged; DROP TRIGGER brands_delete_jobs;
                        DELETE FROM schema_migrations WHERE version = 7
                        """)
            }
            try pool.close()
            let missing = UUID()
            let inserted = try await database.stores[0].insertJob(JobRequest(brandID: missing, jobType: "noop"))

            let upgraded = try SQLiteJobStore(path: database.location, configuration: configuration)
            let restored = try await upgraded.brand(id: missing)
            #expect(restored.name == "Restored brand \(missing.uuidString.lowercased().prefix(8))")
            #expect(try await upgraded.job(id: inserted.job.id) == inserted.job)
            #expect(try await upgraded.run(id: try #require(inserted.run?.id)).state == .queued)
            await #expect(throws: SluiceError(.notFound, "the job's brand does not exist", field: "brand_id")) {
                try await upgraded.insertJob(JobRequest(brandID: UUID(), jobType: "noop"))
            }
        }
    }
}
