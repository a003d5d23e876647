import SluiceCore
import Synchronization

/// The runs a worker is executing, by id, and the slots reserved for runs being claimed.
final class RunTracker: Sendable {
    private struct State {
        var reporters: [Int64: RunReporter] = [:]
        var reserved = 0
        var beat = 0
    }

    private let state = Mutex(State())

    var count: Int { state.withLock { $0.reporters.count } }

    var all: [RunReporter] { state.withLock { Array($0.reporters.values) } }

    /// Reserves the slots free for a claim: `capacity` less the runs executing and the slots already reserved, plus
    /// `freeing` executing runs whose handlers have ended (a batch of completions being written). Claimed runs are
    /// started before their reservation is given back with ``unreserve(_:)``, so two claims never fill one slot.
    func reserve(capacity: Int, freeing: Int = 0) -> Int {
        state.withLock { state in
            let slots = max(0, min(capacity, capacity + freeing - state.reporters.count - state.reserved))
            state.reserved += slots
            return slots
        }
    }

    /// Gives back reserved slots.
    func unreserve(_ slots: Int) {
        state.withLock { $0.reserved -= slots }
    }

    /// The reporters by run id, and the number of the heartbeat about to be sent.
    func beginHeartbeat() -> (reporters: [Int64: RunReporter], beat: Int) {
        state.withLock { state in
            state.beat += 1
            return (state.reporters, state.beat)
        }
    }

    /// Tracks a run claimed by a request sent at `claimSentAt`; the handler counts its lease as lost one heartbeat
    /// interval before it runs out.
    func start(
        _ runID: Int64, lease: RunLease, claimSentAt: MonotonicClock.Instant, clock: any WallClock,
        monotonicClock: MonotonicClock, configuration: WorkerConfiguration
    ) -> RunReporter {
        state.withLock { state in
            let reporter = RunReporter(
                lease: lease, clock: clock, monotonicClock: monotonicClock, claimedAtBeat: state.beat,
                safetyMargin: configuration.heartbeatInterval, leaseDuration: configuration.leaseDuration,
                claimSentAt: claimSentAt)
            state.reporters[runID] = reporter
            return reporter
        }
    }

    /// Forgets a finished attempt, unless a newer attempt of the same run already took its place.
    func finish(_ runID: Int64, _ reporter: RunReporter) {
        state.withLock { state in
            if state.reporters[runID] === reporter { state.reporters.removeValue(forKey: runID) }
        }
    }

    func stopAll(_ reason: StopReason) {
        for reporter in all { reporter.stop(reason) }
    }
}
