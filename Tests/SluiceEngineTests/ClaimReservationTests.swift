import Foundation
import SluiceCore
import Testing

@testable import SluiceEngine

/// The worker's slot accounting when its claim loop and its completion batcher both claim.
@Suite("Claim reservations")
struct ClaimReservationTests {
    private static func start(_ runID: Int64, in tracker: RunTracker) {
        _ = tracker.start(
            runID, lease: RunLease(runID: runID, workerID: "w", attempt: 1, expiresAt: Date()),
            claimSentAt: MonotonicClock.continuous.now, clock: SystemWallClock(), monotonicClock: .continuous,
            configuration: WorkerConfiguration())
    }

    @Test("two claims never reserve one slot, and a batch of completions frees its runs' slots for its claim")
    func reservations() {
        let tracker = RunTracker()
        let first = tracker.reserve(capacity: 4)
        #expect(first == 4)
        #expect(tracker.reserve(capacity: 4) == 0)
        // Three of the four claimed runs start before the reservation is given back: one slot stays free.
        for runID in Int64(1)...3 { Self.start(runID, in: tracker) }
        tracker.unreserve(first)
        let second = tracker.reserve(capacity: 4)
        #expect(second == 1)
        // While that claim is in flight, a batch completing two of the three running runs claims their slots only.
        #expect(tracker.reserve(capacity: 4, freeing: 2) == 2)
        #expect(tracker.reserve(capacity: 4) == 0)
        tracker.unreserve(second + 2)
        #expect(tracker.reserve(capacity: 4) == 1)
    }

    @Test("handed-off runs are taken once, and none are taken after the claim loop closed the hand-off")
    func handoff() {
        let handoff = ClaimHandoff()
        let now = MonotonicClock.continuous.now
        #expect(
            handoff.deliver([ActivityCursorTests.run(1, .running), ActivityCursorTests.run(2, .running)], sentAt: now))
        #expect(handoff.take().map(\.run.id) == [1, 2])
        #expect(handoff.take().isEmpty)
        #expect(handoff.deliver([ActivityCursorTests.run(3, .running)], sentAt: now))
        #expect(handoff.close().map(\.run.id) == [3])
        #expect(!handoff.deliver([ActivityCursorTests.run(4, .running)], sentAt: now))
        #expect(handoff.take().isEmpty)
    }
}
