/// The state of a run.
///
/// ```text
/// queued ──claim──▶ running ──▶ succeeded | failed | retrying | cancelled | timed_out
///   ▲                 │ release (graceful shutdown)
///   └─────────────────┘
/// retrying ──requeue (when due)──▶ queued
/// failed | timed_out | cancelled ──retry (manual)──▶ queued
/// queued | retrying ──cancel──▶ cancelled
/// ```
public enum RunState: String, Sendable, Hashable, CaseIterable, Codable {
    case queued
    case running
    case succeeded
    case failed
    case retrying
    case cancelled
    case timedOut = "timed_out"

    /// Whether the run is over: nothing will happen to it without an operator's manual retry.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled, .timedOut: true
        case .queued, .running, .retrying: false
        }
    }

    /// Whether the run waits to be claimed once due. A due `retrying` run is requeued as it is claimed.
    public var isPending: Bool { self == .queued || self == .retrying }
}

/// Something that happens to a run.
public enum RunEvent: Sendable, Hashable {
    /// A worker claims the run.
    case claim
    /// The handler finished successfully.
    case succeed
    /// The handler failed; `willRetry` says whether attempts remain.
    case fail(willRetry: Bool)
    /// The handler exceeded its timeout; `willRetry` says whether attempts remain.
    case timeOut(willRetry: Bool)
    /// The run's lease expired without completion (its worker died); `willRetry` says whether attempts remain.
    case rescue(willRetry: Bool)
    /// An operator or the job's cancellation cancels the run.
    case cancel
    /// A retry's backoff elapsed: the run is ready again.
    case requeue
    /// A worker shutting down gives back a run it had not finished; it does not count as an attempt.
    case release
    /// An operator retries a finished, unsuccessful run.
    case retry
}

extension RunState {
    /// The state after `event`, or an error if the event is not allowed in this state.
    ///
    /// - Throws: ``SluiceError/Code/conflict`` for an illegal transition, such as completing a queued run.
    public func applying(_ event: RunEvent) throws(SluiceError) -> RunState {
        switch (self, event) {
        case (.queued, .claim): return .running
        case (.running, .succeed): return .succeeded
        case (.running, .fail(let willRetry)), (.running, .rescue(let willRetry)):
            return willRetry ? .retrying : .failed
        case (.running, .timeOut(let willRetry)): return willRetry ? .retrying : .timedOut
        case (.running, .release): return .queued
        case (.queued, .cancel), (.retrying, .cancel), (.running, .cancel): return .cancelled
        case (.retrying, .requeue): return .queued
        case (.failed, .retry), (.timedOut, .retry), (.cancelled, .retry): return .queued
        default:
            throw SluiceError(.conflict, "a \(rawValue) run cannot \(event.verb)", field: "state")
        }
    }
}

extension RunEvent {
    fileprivate var verb: String {
        switch self {
        case .claim: "be claimed"
        case .succeed: "succeed"
        case .fail: "fail"
        case .timeOut: "time out"
        case .rescue: "be rescued"
        case .cancel: "be cancelled"
        case .requeue: "be requeued"
        case .release: "be released"
        case .retry: "be retried"
        }
    }
}
