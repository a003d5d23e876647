import Foundation
import SluiceCore

/// What a change feed asks the store each time it looks: the runs that may have changed since its last look,
/// and the log lines written since. Polling this way costs nothing on the job path (no triggers, no event rows)
/// and works the same across nodes on every backend.
public struct RunActivityQuery: Sendable, Hashable {
    /// Runs with a larger id are new. Nil on the first look: the answer then carries only the current marks.
    public var afterRunID: Int64?
    /// Runs finished at or after this time are returned, earliest first, at most `limit`.
    public var finishedSince: Date
    /// Runs the feed saw unfinished last time, returned whatever their state now.
    public var watchedRunIDs: [Int64]
    /// Log lines with a larger id are new. Nil on the first look.
    public var afterLogID: Int64?
    /// The most new runs, and the most new log lines, returned by one look.
    public var limit: Int

    public init(
        afterRunID: Int64?, finishedSince: Date, watchedRunIDs: [Int64] = [], afterLogID: Int64?, limit: Int = 500
    ) {
        self.afterRunID = afterRunID
        self.finishedSince = finishedSince
        self.watchedRunIDs = watchedRunIDs
        self.afterLogID = afterLogID
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
    /// Running runs, new runs (oldest first, at most `limit`), runs finished since the given time (earliest first,
    /// at most `limit`) and the watched runs, each once, in no particular order.
    public let runs: [Run]
    /// New log lines, oldest first, at most `limit`.
    public let logs: [ActivityLogLine]
    /// The run id to pass as `afterRunID` next time.
    public let lastRunID: Int64
    /// The log line id to pass as `afterLogID` next time.
    public let lastLogID: Int64

    public init(runs: [Run], logs: [ActivityLogLine], lastRunID: Int64, lastLogID: Int64) {
        self.runs = runs
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
