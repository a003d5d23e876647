import Foundation
import SluiceCore

/// The decisions both backends make when an attempt ends or an operator steps in. They are pure, so each
/// backend's SQL only records them, and both stay in step by construction.
public enum RunTransitions {
    /// The state a running run takes after a failed or timed-out attempt, and when it is due next: `retrying` at
    /// `failure.retryAt` while attempts remain, otherwise terminal (`failed` or `timed_out`) and due as before.
    public static func afterFailure(
        of run: Run, _ failure: RunFailure
    ) throws(SluiceError) -> (
        state: RunState, scheduledAt: Date
    ) {
        let retryAt = run.attempt < run.maxAttempts ? failure.retryAt?.roundedToMicroseconds : nil
        let willRetry = retryAt != nil
        let state = try run.state.applying(
            failure.timedOut ? .timeOut(willRetry: willRetry) : .fail(willRetry: willRetry))
        return (state, retryAt ?? run.scheduledAt)
    }

    /// The state a running run whose lease expired takes at `now`, when it is due next, and the error recorded.
    ///
    /// The lost attempt counts; while attempts remain the run is `retrying` and due at once (its worker died, the
    /// work did not fail, so there is no backoff), otherwise it is `failed`. It keeps its due time: claims take the
    /// oldest due first, so a rescued run keeps its place in the queue instead of going behind the backlog queued
    /// while it ran.
    public static func afterRescue(
        of run: Run, now: Date
    ) throws(SluiceError) -> (
        state: RunState, scheduledAt: Date, error: String
    ) {
        let state = try run.state.applying(.rescue(willRetry: run.attempt < run.maxAttempts))
        return (state, min(run.scheduledAt, now), "lease expired: worker \(run.workerID ?? "?") stopped renewing it")
    }

    /// What "run now" does to a job whose newest run is `latest`.
    public enum RunNowAction: Sendable, Hashable {
        /// Make this pending run of a one-time job due now.
        case makeDue(runID: Int64)
        /// Insert a new run due now (reactivating a finished job first), with this many attempts allowed.
        case insertRun(reactivateJob: Bool, maxAttempts: Int)
    }

    /// Decides "run now" for `job`.
    /// - Throws: ``SluiceError/Code/conflict`` when the job is paused or cancelled, or its one-time run is running.
    public static func runNow(job: Job, latest: Run?, registry: JobTypeRegistry) throws(SluiceError) -> RunNowAction {
        guard job.status == .active || job.status == .finished else {
            throw SluiceError(.conflict, "a \(job.status.rawValue) job cannot run now", field: "status")
        }
        if !job.schedule.isRecurring, let latest {
            if latest.state == .running {
                throw SluiceError(.conflict, "job \(job.id) is already running", field: "status")
            }
            if latest.state.isPending { return .makeDue(runID: latest.id) }
        }
        let maxAttempts = registry[job.jobType]?.retryPolicy.maxAttempts ?? latest?.maxAttempts ?? 1
        return .insertRun(reactivateJob: job.status == .finished, maxAttempts: maxAttempts)
    }

    /// The status `job` must take before one of its runs is retried by an operator, or nil to keep its status.
    /// - Throws: ``SluiceError/Code/conflict`` when the job is cancelled.
    public static func jobStatusForRetry(of job: Job) throws(SluiceError) -> JobStatus? {
        switch job.status {
        case .finished: return try job.status.applying(.reactivate)
        case .cancelled:
            throw SluiceError(.conflict, "job \(job.id) is cancelled; its runs cannot be retried", field: "status")
        case .active, .paused: return nil
        }
    }
}

extension SluiceError {
    /// The caller no longer holds the run's lease.
    public static func leaseLost(_ lease: RunLease) -> SluiceError {
        SluiceError(.leaseLost, "worker no longer holds the lease of run \(lease.runID)", field: "lease")
    }
}
