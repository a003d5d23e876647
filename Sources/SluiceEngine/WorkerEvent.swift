/// How one attempt of a run ended, as the worker that executed it saw it.
public enum AttemptEnding: String, Sendable, Hashable, CaseIterable {
    /// The handler returned a result.
    case succeeded
    /// The handler threw; the run is retried per its job type's policy, or fails.
    case failed
    /// The handler ran past its job type's timeout and was stopped.
    case timedOut = "timed_out"
    /// An operator cancelled the run and the handler was stopped.
    case cancelled
    /// The worker shut down before the handler finished; the run was released to other workers.
    case released
    /// The handler would have waited long for a rate-limit token: the run was given back to the queue until its turn
    /// at the limiter, its attempt not counted.
    case deferred
    /// The worker could no longer count on its lease and stopped the handler; the rescuer runs it again.
    case leaseLost = "lease_lost"
}

/// What a worker reports to its observer as it happens, for telemetry and for tests that wait on the worker rather
/// than polling the store.
///
/// Events are reported from the worker's own tasks, so an observer must return quickly.
///
/// ```swift
/// let worker = try Worker(store: store, registry: registry, handlers: handlers) { event in
///     if case .ended(let runID, _, .failed, _) = event { alerts.notify(runID) }
/// }
/// ```
public enum WorkerEvent: Sendable, Hashable {
    /// An attempt was claimed and its handler is about to start.
    case started(runID: Int64, attempt: Int)
    /// An attempt ended and the worker is done with it; `recorded` says whether the store took its outcome (false
    /// when the lease was lost or the database could not be reached in time: the rescuer then runs the run again).
    case ended(runID: Int64, attempt: Int, ending: AttemptEnding, recorded: Bool)

    /// The run the event is about.
    public var runID: Int64 {
        switch self {
        case .started(let runID, _), .ended(let runID, _, _, _): runID
        }
    }
}

/// Receives a worker's events; see ``WorkerEvent``.
public typealias WorkerObserver = @Sendable (WorkerEvent) -> Void
