import Foundation
import SluiceCore

/// One-time jobs without a uniqueness key are stored as their run alone (migration 10 on both backends).
///
/// Enqueuing such a job writes one row, its run in the queue table, and finishing it writes none to `jobs`: the run's
/// `job_id` is its own id, its `fire_time` holds the job's `run_at`, and the job's status is read from where the run
/// is (active while it is in the queue table, finished once it is in the history). Jobs and runs take their ids from
/// one sequence, so a job's id never names another job's run.
///
/// An operator's action on such a job (pause, resume, cancel, retry, run again) first gives it a `jobs` row
/// made from its run as it is then ("materializes" it, under the run's lock); from then on the job is an ordinary
/// one. Its run is never running when that happens, except for a cancel, whose status is final: a completion that
/// started before the row existed could not see it to mark the job finished. Deleting such a job deletes its run.
public enum JobsStoredAsRuns {
    /// Whether `job` is stored as its run alone.
    public static func applies(to job: ValidatedJob) -> Bool { job.uniqueKey == nil && !job.schedule.isRecurring }

    /// The `run_at` of a job this applies to, kept in its run's `fire_time`.
    public static func runAt(of job: ValidatedJob) -> Date {
        if case .once(let date) = job.schedule {
            date.roundedToMicroseconds
        } else {
            job.firstRunAt.roundedToMicroseconds
        }
    }

    /// The job and its run as inserted under `id` (the run's and the job's) at `now`.
    public static func inserted(_ job: ValidatedJob, id: Int64, now: Date) -> InsertedJob {
        let stored = job.storedJob(id: id, now: now)
        let run = stored.newRun(
            id: id, maxAttempts: job.type.retryPolicy.maxAttempts, due: job.firstRunAt.roundedToMicroseconds,
            fireTime: runAt(of: job), now: now)
        return InsertedJob(job: stored, run: run, deduplicated: false)
    }

    /// The status of a job stored as `run`, which the caller has locked, when an operator's action materializes it.
    ///
    /// - Throws: ``SluiceError/Code/conflict`` naming `status` when the run is running and the action is not a
    ///   cancel.
    public static func status(materializing run: Run, for event: JobEvent?) throws(SluiceError) -> JobStatus {
        switch run.state {
        case .queued, .retrying: return .active
        case .running:
            guard event == .cancel else {
                throw SluiceError(
                    .conflict, "job \(run.jobID) is running; it can only be cancelled until its run ends",
                    field: "status")
            }
            return .active
        case .succeeded, .failed, .cancelled, .timedOut: return .finished
        }
    }
}
