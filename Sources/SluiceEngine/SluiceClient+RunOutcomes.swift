import Foundation
import SluiceCore
import SluiceStore

extension SluiceClient {
    /// Runs that finished at or after `since` (of one brand, or of all when `brandID` is nil), counted by outcome in
    /// buckets of `bucketSeconds` aligned to multiples of it since the Unix epoch, for success/failure charts:
    /// `succeeded`, and `failed` or `timed_out` (cancelled runs are not counted). Ascending by start; buckets
    /// without a counted run are left out.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `bucket_seconds` outside 1...86400.
    public func runOutcomes(since: Date, bucketSeconds: Int, brandID: UUID? = nil) async throws -> [RunOutcomeBucket] {
        try await store.runOutcomes(since: since, bucketSeconds: bucketSeconds, brandID: brandID)
    }
}
