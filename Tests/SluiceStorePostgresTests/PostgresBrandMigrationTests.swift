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
    @Test("a database of migration 6 holding jobs and an override of a missing brand upgrades without losing them")
    func restoresMissingBrands() async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
        try await TestBackend.postgres.withDatabase(configuration: configuration) { database in
            let store = try #require(database.stores[0] as? PostgresJobStore)
            // Back to migration 6: drop what 7 and 8 added, then write a job and a dataset override whose brand does not
            // exist, as 6 allowed.
            let tables = [
                "jobs", "dataset_refreshes", "dataset_history", "dataset_overrides", "webhooks", "api_tokens",
            ]
            for statement in tables.map({ "ALTER TABLE \($0) DROP CONSTRAINT \($0)_brand_id_fkey" }) + [
                "DELETE FROM schema_migrations WHERE version IN (7, 8)"
            ] {
                try await store.client.query(PostgresQuery(unsafeSQL: statement))
            }
            let missing = UUID()
            let inserted = try await store.insertJob(
                // With a uniqueness key, as migration 6 stored every job: a row in `jobs` (one without a key is stored
                // as its run since migration 10, after its brand is checked).
                JobRequest(brandID: missing, jobType: "noop", uniqueKey: "kept"))
            let elsewhere = UUID()
            try await store.saveDatasetOverride(DatasetOverride(brandID: elsewhere, dataset: "ad_assets"))

            try await store.migrate()
            let restored = try await store.brand(id: missing)
            #expect(restored.name == "Restored brand \(missing.uuidString.lowercased().prefix(8))")
            #expect(try await store.job(id: inserted.job.id) == inserted.job)
            #expect(try await store.run(id: try #require(inserted.run?.id)).state == .queued)
            #expect(try await store.brand(id: elsewhere).name.hasPrefix("Restored brand"))
            #expect(try await store.datasetOverrides(brandID: elsewhere).count == 1)
            await #expect(throws: BrandRules.missingReference) {
                try await store.insertJob(JobRequest(brandID: UUID(), jobType: "noop"))
            }
        }
    }
}
