import Synchronization

/// One timer for the deadlines of all of a worker's running handlers: their timeouts and their leases (see
/// ``RunReporter/checkDeadline(now:)``). A worker runs up to thousands of handlers at once; a timer task per handler
/// cost more than its claim and completion statements.
///
/// The watch sleeps until the earliest deadline it knew of at its last scan, then scans again. A handler that starts
/// with an earlier deadline than that wakes it. Deadlines only move later (a heartbeat renews a lease), so a
/// stale target wakes the watch early, never late. A process stopped past a deadline (SIGSTOP, a paused VM) finds it
/// passed as soon as it resumes.
final class DeadlineWatch: Sendable {
    private let wake: WakeSignal
    /// When the watch wakes next; nil while it scans (a handler starting meanwhile wakes it again).
    private let target = Mutex<MonotonicClock.Instant?>(nil)
    private let clock: MonotonicClock

    init(clock: MonotonicClock) {
        self.clock = clock
        wake = WakeSignal(clock: clock)
    }

    /// Tells the watch that a handler starts with `deadline`, its earlier of timeout and lease.
    func watch(_ deadline: MonotonicClock.Instant) {
        if target.withLock({ target in target.map { deadline < $0 } ?? true }) { wake.signal() }
    }

    /// Checks the deadlines of the running handlers' reporters until cancelled.
    func run(_ reporters: @Sendable () -> [RunReporter]) async {
        while !Task.isCancelled {
            target.withLock { $0 = nil }
            let now = clock.now
            var earliest = now.advanced(by: .seconds(60))
            for reporter in reporters() {
                if let next = reporter.checkDeadline(now: now), next < earliest { earliest = next }
            }
            target.withLock { $0 = earliest }
            await wake.wait(until: earliest)
        }
    }
}
