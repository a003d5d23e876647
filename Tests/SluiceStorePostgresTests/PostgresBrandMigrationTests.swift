import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStorePostgres
import SluiceTestSupport
import Testing

@Suite("PostgreSQL: migration 7, every job's brand exists")
struct PostgresBrandMigrationTests {
    @Test("a database of migration 6 holding jobs of a missing brand upgrades without losing them")
    func restoresMissingBrands() async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
        try await TestBackend.postgres.withDatabase(configuration: configuration) { database in
            let store = try #require(database.stores[0] as? PostgresJobStore)
            // Back to migration 6: drop what 7 added, then write a job whose brand does not exist, as 6 allowed.
            for statement in [
                "ALTER TABLE jobs DROP CONSTRAINT jobs_brand_id_fkey",
                "DELETE FROM schema_migrations WHERE version = 7",
            ] {
                try await store.client.query(PostgresQuery(unsafeSQL: statement))
            }
            let missing = UUID()
            let inserted = try await store.insertJob(JobRequest(brandID: missing, jobType: "noop"))

            try await store.migrate()
            let restored = try await store.brand(id: missing)
            #expect(restored.name == "Restored brand \(missing.uuidString.lowercased().prefix(8))")
            #expect(try await store.job(id: inserted.job.id) == inserted.job)
            #expect(try await store.run(id: try #require(inserted.run?.id)).state == .queued)
            await #expect(throws: SluiceError(.notFound, "the job's brand does not exist", field: "brand_id")) {
                try await store.insertJob(JobRequest(brandID: UUID(), jobType: "noop"))
            }
        }
    }
}
