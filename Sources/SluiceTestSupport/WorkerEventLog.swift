import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import Synchronization

/// Collects a worker's events and lets a test wait for one, so that tests wait on the worker's own signal rather
/// than polling the store.
///
/// ```swift
/// let events = WorkerEventLog()
/// let worker = try Worker(store: store, registry: registry, handlers: handlers, observer: events.observer)
/// let ending = try await events.ended(runID)
/// ```
public final class WorkerEventLog: Sendable {
    /// A wait that saw no matching event within its timeout.
    public struct Timeout: Error, CustomStringConvertible {
        public let waitedFor: String
        public let seen: [WorkerEvent]
        public var description: String { "no worker event \(waitedFor) arrived; seen: \(seen)" }
    }

    private struct Waiter {
        let match: @Sendable (WorkerEvent) -> Bool
        let continuation: CheckedContinuation<WorkerEvent?, Never>
    }

    private struct State {
        var events: [WorkerEvent] = []
        var waiters: [UUID: Waiter] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty log.
    public init() {}

    /// The observer to hand to a ``Worker``.
    public var observer: WorkerObserver { { [self] event in record(event) } }

    /// Every event so far, in order.
    public var events: [WorkerEvent] { state.withLock { $0.events } }

    private func record(_ event: WorkerEvent) {
        let matched: [CheckedContinuation<WorkerEvent?, Never>] = state.withLock { state in
            state.events.append(event)
            let ids = state.waiters.filter { $0.value.match(event) }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in matched { continuation.resume(returning: event) }
    }

    /// The first event, already seen or still to come, that `match` accepts. The timeout is a backstop for a test
    /// that would otherwise hang (generous, for loaded machines), never a pause: the wait ends with the event.
    /// - Throws: ``Timeout`` when no such event arrives within `timeout`.
    @discardableResult
    public func first(
        _ description: String, timeout: Duration = .seconds(120),
        where match: @escaping @Sendable (WorkerEvent) -> Bool
    ) async throws -> WorkerEvent {
        if let seen = state.withLock({ $0.events.first(where: match) }) { return seen }
        let id = UUID()
        let event: WorkerEvent? = await withTaskGroup(of: WorkerEvent?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let seen: WorkerEvent? = self.state.withLock { state in
                        if let seen = state.events.first(where: match) { return seen }
                        state.waiters[id] = Waiter(match: match, continuation: continuation)
                        return nil
                    }
                    if let seen { continuation.resume(returning: seen) }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
                waiter?.continuation.resume(returning: nil)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let event else { throw Timeout(waitedFor: description, seen: events) }
        return event
    }

    /// Waits until the handler of `runID` (at `attempt`, or any attempt) starts.
    public func started(_ runID: Int64, attempt: Int? = nil, timeout: Duration = .seconds(120)) async throws {
        try await first("started(\(runID), attempt \(attempt.map(String.init) ?? "any"))", timeout: timeout) {
            guard case .started(runID, let seen) = $0 else { return false }
            return attempt == nil || attempt == seen
        }
    }

    /// Waits until an attempt of `runID` (`attempt`, or any) ended, and returns how.
    @discardableResult
    public func ended(
        _ runID: Int64, attempt: Int? = nil, timeout: Duration = .seconds(120)
    ) async throws -> (ending: AttemptEnding, recorded: Bool) {
        let event = try await first(
            "ended(\(runID), attempt \(attempt.map(String.init) ?? "any"))", timeout: timeout
        ) {
            guard case .ended(runID, let seen, _, _) = $0 else { return false }
            return attempt == nil || attempt == seen
        }
        guard case .ended(_, _, let ending, let recorded) = event else { preconditionFailure("matched an ending") }
        return (ending, recorded)
    }

    /// Waits until `runID` is finished for good (succeeded, failed, timed out or cancelled), reading `store` once
    /// after each attempt this worker ended, and returns the run.
    public func settled(_ runID: Int64, in store: any JobStore, timeout: Duration = .seconds(180)) async throws -> Run {
        var attempt = 1
        while true {
            try await ended(runID, attempt: attempt, timeout: timeout)
            let run = try await store.run(id: runID)
            if run.state.isTerminal { return run }
            attempt += 1
        }
    }
}
