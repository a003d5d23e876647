import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

/// The job types and brands the conformance cases use.
public enum ConformanceJobTypes {
    /// A job type without parameters; 3 attempts, 10 s then 20 s backoff, no jitter.
    public static let noop = JobType(
        name: "noop", label: "No-op", retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(10), jitter: 0))

    /// A scrape-like job type with a schema, a dataset and a uniqueness key.
    public static let scrape = JobType(
        name: "scrape", label: "Competitor Scrape", emoji: "🔎", dataset: "competitor_ads",
        schema: ParameterSchema([
            ParameterField("competitor_id", .uuid, required: true),
            ParameterField("ad_library_url", .url, required: true),
            ParameterField("max_ads", .int, minimum: 1, maximum: 5000, default: .int(500)),
            ParameterField("download_assets", .bool, default: .bool(true)),
        ]),
        retryPolicy: RetryPolicy(maxAttempts: 2, initialDelay: .seconds(30), jitter: 0),
        uniquenessKey: ["competitor_id"])

    /// A job type limited to 2 concurrent runs across all workers.
    public static let limited = JobType(name: "limited", label: "Limited", concurrencyLimit: 2)

    /// A job type in another queue.
    public static let slow = JobType(name: "slow", label: "Slow", queue: "slow")

    /// All of them.
    public static let registry: JobTypeRegistry = {
        do {
            return try JobTypeRegistry([noop, scrape, limited, slow])
        } catch {
            preconditionFailure("conformance job types are invalid: \(error)")
        }
    }()

    /// Two brands.
    public static let brandA = UUID(uuidString: "0A000000-0000-4000-8000-000000000001")!
    /// The second brand.
    public static let brandB = UUID(uuidString: "0B000000-0000-4000-8000-000000000002")!

    /// Creates ``brandA`` ("Brand A") and ``brandB`` ("Brand B") in `store`: every job belongs to a brand that
    /// exists.
    public static func createBrands(in store: any BrandStore) async throws {
        _ = try await store.createBrand(id: brandA, name: "Brand A")
        _ = try await store.createBrand(id: brandB, name: "Brand B")
    }
}
