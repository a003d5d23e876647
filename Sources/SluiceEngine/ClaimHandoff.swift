import SluiceCore
import SluiceStore
import Synchronization

/// Runs claimed by the completion batcher in its own transactions, waiting for the claim loop to start them (see
/// ``SluiceStore/StoreCapabilities/claimsWithCompletions``).
final class ClaimHandoff: Sendable {
    /// A claimed run and when its claim was sent.
    struct Claimed: Sendable {
        let run: Run
        let sentAt: MonotonicClock.Instant
    }

    private struct State {
        var claimed: [Claimed] = []
        var closed = false
    }

    private let state = Mutex(State())

    /// Queues runs for the claim loop; returns false, queueing nothing, once the loop has stopped taking them.
    func deliver(_ runs: [Run], sentAt: MonotonicClock.Instant) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.claimed += runs.map { Claimed(run: $0, sentAt: sentAt) }
            return true
        }
    }

    /// Takes the queued runs.
    func take() -> [Claimed] {
        state.withLock { state in
            defer { state.claimed = [] }
            return state.claimed
        }
    }

    /// Takes the queued runs and refuses any later ones.
    func close() -> [Claimed] {
        state.withLock { state in
            state.closed = true
            defer { state.claimed = [] }
            return state.claimed
        }
    }
}

/// Claims made in the completion batcher's transactions, for the slots its completions free.
protocol BatchClaimer: Sendable {
    /// The claim to make with a batch of `freeing` completions, its slots reserved; nil for none.
    func reserve(freeing: Int) -> ClaimRequest?
    /// Takes the runs claimed for `request` (none when the write failed) and gives back the slots left unused.
    func deliver(_ claimed: [Run], for request: ClaimRequest, sentAt: MonotonicClock.Instant) async
}

/// A worker's claims alongside its completions: the claimed runs go to its claim loop through the runtime's
/// ``ClaimHandoff``, or back to the queue when the worker is stopping.
struct WorkerBatchClaimer: BatchClaimer {
    let worker: Worker
    let runtime: WorkerRuntime

    func reserve(freeing: Int) -> ClaimRequest? {
        guard !runtime.isShuttingDown else { return nil }
        let slots = runtime.tracker.reserve(capacity: worker.configuration.concurrency, freeing: freeing)
        return slots > 0 ? worker.claimRequest(limit: slots) : nil
    }

    func deliver(_ claimed: [Run], for request: ClaimRequest, sentAt: MonotonicClock.Instant) async {
        runtime.tracker.unreserve(request.limit - claimed.count)
        guard !claimed.isEmpty else { return }
        if runtime.handoff.deliver(claimed, sentAt: sentAt) {
            runtime.wake.signal()
        } else {
            await worker.release(claimed)
            runtime.tracker.unreserve(claimed.count)
        }
    }
}
