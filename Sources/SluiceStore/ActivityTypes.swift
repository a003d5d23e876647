import Foundation
import SluiceCore

/// What a change feed asks the store each time it looks: the runs that may have changed since its last look,
/// and the log lines written since. Polling this way costs nothing on the job path (no triggers, no event rows)
/// and works the same across nodes on every backend.
///
/// Ids are handed out at insert, not at commit: on PostgreSQL a row with a smaller id can become visible after a
/// larger one was read. The feed therefore passes back the ids it skipped (`watchedRunIDs`, `missingLogIDs`) for a
/// while, and they are returned once they appear.
public struct RunActivityQuery: Sendable, Hashable {
    /// Runs with a larger id are new. Nil on the first look: the answer then carries only the current marks.
    public var afterRunID: Int64?
    /// Runs finished at or after this time are returned, earliest first, at most `limit`.
    public var finishedSince: Date
    /// Runs returned whatever their state: the ones seen running last time, and skipped ids.
    public var watchedRunIDs: [Int64]
    /// Log lines with a larger id are new. Nil on the first look.
    public var afterLogID: Int64?
    /// Log line ids skipped earlier, returned if they exist now.
    public var missingLogIDs: [Int64]
    /// The most new runs, finished runs and new log lines returned by one look.
    public var limit: Int

    public init(
        afterRunID: Int64?, finishedSince: Date, watchedRunIDs: [Int64] = [], afterLogID: Int64?,
        missingLogIDs: [Int64] = [], limit: Int = 500
    ) {
        self.afterRunID = afterRunID
        self.finishedSince = finishedSince
        self.watchedRunIDs = watchedRunIDs
        self.afterLogID = afterLogID
        self.missingLogIDs = missingLogIDs
        self.limit = limit
    }
}

/// A log line with the run it belongs to, for feeds filtered by brand or job.
public struct ActivityLogLine: Sendable, Hashable {
    public let line: LogLine
    public let brandID: UUID
    public let jobID: Int64

    public init(line: LogLine, brandID: UUID, jobID: Int64) {
        self.line = line
        self.brandID = brandID
        self.jobID = jobID
    }
}

/// The answer to a ``RunActivityQuery``.
public struct RunActivity: Sendable {
    /// New runs (oldest first, at most `limit`), then running runs and watched runs, in no particular order.
    public let runs: [Run]
    /// Runs finished at or after `finishedSince`, by finish time then id, at most `limit`.
    public let finished: [Run]
    /// New log lines (oldest first, at most `limit`) and the missing ones that appeared.
    public let logs: [ActivityLogLine]
    /// The largest run id read, to pass as `afterRunID` next time.
    public let lastRunID: Int64
    /// The largest log line id read, to pass as `afterLogID` next time.
    public let lastLogID: Int64

    public init(runs: [Run], finished: [Run], logs: [ActivityLogLine], lastRunID: Int64, lastLogID: Int64) {
        self.runs = runs
        self.finished = finished
        self.logs = logs
        self.lastRunID = lastRunID
        self.lastLogID = lastLogID
    }
}

/// How many runs of a job type are in an unfinished state, for queue-depth gauges.
public struct ActiveRunCount: Sendable, Hashable {
    public let jobType: String
    public let queue: String
    public let state: RunState
    public let count: Int

    public init(jobType: String, queue: String, state: RunState, count: Int) {
        self.jobType = jobType
        self.queue = queue
        self.state = state
        self.count = count
    }
}
