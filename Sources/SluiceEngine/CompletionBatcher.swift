import Logging
import SluiceCore
import SluiceStore
import Synchronization

/// Records successful runs in batches: while one batch is being written, the next accumulates, so a busy worker
/// writes many completions per transaction and an idle one writes each at once.
final class CompletionBatcher: Sendable {
    private typealias Pending = (
        item: CompletedRun, givingUpAt: MonotonicClock.Instant, done: CheckedContinuation<Bool, Never>
    )

    private struct State {
        var pending: [Pending] = []
        var closed = false
    }

    private let state = Mutex(State())
    private let clock: MonotonicClock
    private let wake: WakeSignal
    private let maximumBatch: Int

    /// Creates a batcher whose retry pauses and give-up moments are measured on `clock`.
    init(clock: MonotonicClock, maximumBatch: Int = 500) {
        self.clock = clock
        wake = WakeSignal(clock: clock)
        self.maximumBatch = maximumBatch
    }

    /// Queues a completion and waits until it is recorded: true when recorded, false when the lease was lost or the
    /// database could not take it before `givingUpAt` (when the worker stops renewing the lease: the run is then
    /// left to the rescuer).
    func complete(_ item: CompletedRun, givingUpAt: MonotonicClock.Instant) async -> Bool {
        let accepted: Bool = await withCheckedContinuation { continuation in
            let accepted = state.withLock { state in
                guard !state.closed else { return false }
                state.pending.append((item, givingUpAt, continuation))
                return true
            }
            if accepted { wake.signal() } else { continuation.resume(returning: false) }
        }
        return accepted
    }

    /// Writes batches until cancelled and drained. A batch the database could not take is retried with a growing
    /// pause; a batch the store refuses as invalid is written item by item, so one bad completion cannot sink others.
    /// With a `claimer`, each batch also claims runs for the slots it frees, in the same call.
    func run(store: any JobStore, logger: Logger, claimer: (any BatchClaimer)? = nil) async {
        var failures = 0
        while true {
            let batch: [Pending] = state.withLock { state in
                let count = min(maximumBatch, state.pending.count)
                defer { state.pending.removeFirst(count) }
                return Array(state.pending.prefix(count))
            }
            if batch.isEmpty {
                if Task.isCancelled {
                    let drained = state.withLock { state in
                        if state.pending.isEmpty { state.closed = true }
                        return state.closed
                    }
                    if drained { return }
                }
                await wake.wait(upTo: .seconds(1))
                continue
            }
            do {
                let recorded = try await complete(batch.map(\.item), in: store, claimer: claimer)
                failures = 0
                for pending in batch { pending.done.resume(returning: recorded.contains(pending.item.lease.runID)) }
            } catch let error as SluiceError where error.code != .storageFailure {
                // A completion the store refuses as invalid must not sink the others: record them one by one.
                logger.warning(
                    "a completion was refused; recording the batch one by one", metadata: ["error": "\(error)"])
                for pending in batch {
                    let recorded = try? await store.completeRuns([pending.item])
                    pending.done.resume(returning: recorded?.contains(pending.item.lease.runID) ?? false)
                }
            } catch {
                // The database is unreachable: keep the batch and retry while the leases last; a completion whose
                // lease ran out is given up (the rescuer runs it again), and so is every one once the worker stops.
                failures += 1
                if failures == 1 {
                    logger.warning("recording completions failed; retrying", metadata: ["error": "\(error)"])
                }
                let now = clock.now
                let (retry, givenUp) = batch.partitioned { !Task.isCancelled && now < $0.givingUpAt }
                for pending in givenUp { pending.done.resume(returning: false) }
                state.withLock { $0.pending.insert(contentsOf: retry, at: 0) }
                try? await clock.sleep(for: .milliseconds(min(2000, 50 * failures)))
            }
        }
    }

    /// Records `items`, claiming alongside when `claimer` asks for a claim.
    private func complete(
        _ items: [CompletedRun], in store: any JobStore, claimer: (any BatchClaimer)?
    ) async throws
        -> Set<Int64>
    {
        guard let claimer, let request = claimer.reserve(freeing: items.count) else {
            return try await store.completeRuns(items)
        }
        let sentAt = clock.now
        do {
            let result = try await store.completeRuns(items, thenClaiming: request)
            await claimer.deliver(result.claimed, for: request, sentAt: sentAt)
            return result.completed
        } catch {
            await claimer.deliver([], for: request, sentAt: sentAt)
            throw error
        }
    }
}

extension Array {
    /// The elements for which `belongs` holds, and the others, each in order.
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        var matching: [Element] = []
        var others: [Element] = []
        for element in self {
            if belongs(element) { matching.append(element) } else { others.append(element) }
        }
        return (matching, others)
    }
}
