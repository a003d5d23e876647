import Foundation
import SluiceEngine
import SluiceStore
import Synchronization

/// The last day's run outcomes in 5-minute buckets for the Pipeline Manager's charts, read from the store at most
/// once per ``lifetime`` per brand scope. Counting a busy day's finished runs takes the database a noticeable moment
/// (about 0.85 s for a million runs on SQLite), and the charts are a glance, not a ledger: a page may show counts
/// up to ``lifetime`` old.
final class OutcomeCache: Sendable {
    /// How long one reading is shown.
    static let lifetime: TimeInterval = 30
    /// The width of a bucket: the hour chart's bars; the day chart adds twelve of them per bar.
    static let bucketSeconds = 300

    private let readings = Mutex<[UUID?: (at: Date, since: Date, buckets: [RunOutcomeBucket])]>([:])

    /// The buckets since `since` for `brandID` (nil: every brand), reread when the last reading is older than
    /// ``lifetime`` or started later than `since`.
    func buckets(since: Date, brandID: UUID?, now: Date, client: SluiceClient) async throws -> [RunOutcomeBucket] {
        let cached = readings.withLock { $0[brandID] }
        if let cached, (0..<Self.lifetime).contains(now.timeIntervalSince(cached.at)), cached.since <= since {
            return cached.buckets.filter { $0.start >= since }
        }
        let buckets = try await client.runOutcomes(since: since, bucketSeconds: Self.bucketSeconds, brandID: brandID)
        // Two requests that both missed may finish in either order: keep the later reading.
        readings.withLock { readings in
            if (readings[brandID]?.at ?? .distantPast) <= now { readings[brandID] = (now, since, buckets) }
        }
        return buckets
    }
}
