import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let runOutcomeCases: [ConformanceCase] = [
        ConformanceCase("finished runs are counted by outcome in epoch-aligned buckets, of all brands or of one") {
            fixture in
            let store = fixture.store
            let brandA = ConformanceJobTypes.brandA
            let brandB = ConformanceJobTypes.brandB
            // The clock starts at 2026-01-01T00:00:00Z, a multiple of a minute, an hour and a day since 1970.
            let start = fixture.clock.now()
            func claimNext(brand: UUID = ConformanceJobTypes.brandA) async throws -> RunLease {
                try await fixture.enqueue(brand: brand)
                return try fixture.lease(of: try await fixture.claimOne())
            }
            func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

            fixture.clock.set(at(10))
            _ = try await store.completeRun(try await claimNext(), RunCompletion())
            _ = try await store.completeRun(try await claimNext(), RunCompletion())
            fixture.clock.set(at(20))
            _ = try await store.failRun(try await claimNext(), RunFailure(error: "boom", retryAt: nil))
            // Not counted: a cancelled run, and an attempt that will be retried.
            let cancelling = try await claimNext()
            _ = try await store.cancelRun(id: cancelling.runID)
            #expect(try await store.finishCancelledRun(cancelling).state == .cancelled)
            let retrying = try await store.failRun(
                try await claimNext(), RunFailure(error: "HTTP 500", retryAt: at(7200)))
            #expect(retrying.state == .retrying)
            fixture.clock.set(at(70))
            _ = try await store.completeRun(try await claimNext(brand: brandB), RunCompletion())
            _ = try await store.failRun(
                try await claimNext(), RunFailure(error: "timed out", retryAt: nil, timedOut: true))
            fixture.clock.set(at(185))
            _ = try await store.completeRun(try await claimNext(), RunCompletion())

            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 60, brandID: nil) == [
                    RunOutcomeBucket(start: at(0), succeeded: 2, failed: 1),
                    RunOutcomeBucket(start: at(60), succeeded: 1, failed: 1),
                    RunOutcomeBucket(start: at(180), succeeded: 1, failed: 0),
                ])
            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 60, brandID: brandA) == [
                    RunOutcomeBucket(start: at(0), succeeded: 2, failed: 1),
                    RunOutcomeBucket(start: at(60), succeeded: 0, failed: 1),
                    RunOutcomeBucket(start: at(180), succeeded: 1, failed: 0),
                ])
            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 60, brandID: brandB) == [
                    RunOutcomeBucket(start: at(60), succeeded: 1, failed: 0)
                ])
            #expect(try await store.runOutcomes(since: start, bucketSeconds: 60, brandID: UUID()).isEmpty)
            // `since` filters runs, not buckets: a bucket may start before it.
            #expect(
                try await store.runOutcomes(since: at(65), bucketSeconds: 60, brandID: nil) == [
                    RunOutcomeBucket(start: at(60), succeeded: 1, failed: 1),
                    RunOutcomeBucket(start: at(180), succeeded: 1, failed: 0),
                ])
            #expect(
                try await store.runOutcomes(since: at(70), bucketSeconds: 60, brandID: nil).map(\.start) == [
                    at(60), at(180),
                ])
            #expect(try await store.runOutcomes(since: at(186), bucketSeconds: 60, brandID: nil).isEmpty)
            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 3600, brandID: nil) == [
                    RunOutcomeBucket(start: at(0), succeeded: 4, failed: 2)
                ])
            // Buckets align to multiples of their width since 1970, not to `since`.
            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 1000, brandID: nil) == [
                    RunOutcomeBucket(start: Date(timeIntervalSince1970: 1_767_225_000), succeeded: 4, failed: 2)
                ])
            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 86_400, brandID: nil) == [
                    RunOutcomeBucket(start: at(0), succeeded: 4, failed: 2)
                ])
            #expect(
                try await store.runOutcomes(since: start, bucketSeconds: 1, brandID: nil).map(\.start) == [
                    at(10), at(20), at(70), at(185),
                ])
            await expectError(.invalidArgument, field: "bucket_seconds") {
                try await store.runOutcomes(since: start, bucketSeconds: 0, brandID: nil)
            }
            await expectError(.invalidArgument, field: "bucket_seconds") {
                try await store.runOutcomes(since: start, bucketSeconds: 86_401, brandID: nil)
            }
        }
    ]
}
