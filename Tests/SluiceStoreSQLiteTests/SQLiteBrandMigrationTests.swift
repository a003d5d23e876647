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
    @Test("a database of migration 6 holding jobs and an override of a missing brand upgrades without losing them")
    func restoresMissingBrands() async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
        try await TestBackend.sqlite.withDatabase(configuration: configuration) { database in
            // Back to migration 6: drop what 7 and 8 added, then write a job and a dataset override whose brand does not
            // exist, as 6 allowed.
            let pool = try DatabasePool(path: database.location)
            try await pool.write { db in
                try db.execute(
                    sql: """
                        DROP TRIGGER jobs_brand_exists; DROP TRIGGER jobs_brand_unchanged; DROP TRIGGER brands_delete_jobs;
                        DROP TRIGGER brands_delete_owned; DROP TRIGGER dataset_refreshes_brand_exists; DROP TRIGGER dataset_history_brand_exists; DROP TRIGGER dataset_overrides_brand_exists; DROP TRIGGER webhooks_brand_exists; DROP TRIGGER api_tokens_brand_exists;
                        DELETE FROM schema_migrations WHERE version IN (7, 8)
                        """)
            }
            try pool.close()
            let missing = UUID()
            let inserted = try await database.stores[0].insertJob(
                // With a uniqueness key, as migration 6 stored every job: a row in `jobs` (one without a key is stored
                // as its run since migration 10, after its brand is checked).
                JobRequest(brandID: missing, jobType: "noop", uniqueKey: "kept"))
            let elsewhere = UUID()
            try await database.stores[0].saveDatasetOverride(DatasetOverride(brandID: elsewhere, dataset: "ad_assets"))

            let upgraded = try SQLiteJobStore(path: database.location, configuration: configuration)
            let restored = try await upgraded.brand(id: missing)
            #expect(restored.name == "Restored brand \(missing.uuidString.lowercased().prefix(8))")
            #expect(try await upgraded.job(id: inserted.job.id) == inserted.job)
            #expect(try await upgraded.run(id: try #require(inserted.run?.id)).state == .queued)
            #expect(try await upgraded.brand(id: elsewhere).name.hasPrefix("Restored brand"))
            #expect(try await upgraded.datasetOverrides(brandID: elsewhere).count == 1)
            await #expect(throws: BrandRules.missingReference) {
                try await upgraded.insertJob(JobRequest(brandID: UUID(), jobType: "noop"))
            }
        }
    }
}
