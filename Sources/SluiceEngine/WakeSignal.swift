import Synchronization

/// A wake-up flag for one waiting loop: signals coalesce, and a signal sent before the wait is not lost.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())
    /// The clock timeouts are measured on.
    let clock: MonotonicClock

    init(clock: MonotonicClock = .continuous) {
        self.clock = clock
    }

    /// Wakes the waiter, or the next wait if none is waiting.
    func signal() {
        let waiter: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Waits for a signal, at most `timeout`; returns early when the task is cancelled.
    func wait(upTo timeout: Duration) async {
        await wait(until: clock.now.advanced(by: timeout))
    }

    /// Waits for a signal, at most until `deadline` on ``clock``; returns early when the task is cancelled.
    func wait(until deadline: MonotonicClock.Instant) async {
        if state.withLock({ state in
            defer { state.pending = false }; return state.pending
        }) {
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForSignal() }
            group.addTask { try? await self.clock.sleep(until: deadline) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
