import Foundation
import SluiceCore
import SluiceStore

/// One change a live view shows: a run's state or progress, a new log line, a dataset's freshness.
public enum ActivityEvent: Sendable {
    /// A run appeared or changed state (or attempt).
    case runState(Run)
    /// A running run reported progress.
    case runProgress(Run)
    /// A run wrote a log line.
    case log(ActivityLogLine)
    /// A dataset's freshness state changed for a brand.
    case freshness(DatasetFreshness)

    /// The event's type as sent to clients: `run.state`, `run.progress`, `run.log`, `dataset.freshness`.
    public var type: String {
        switch self {
        case .runState: "run.state"
        case .runProgress: "run.progress"
        case .log: "run.log"
        case .freshness: "dataset.freshness"
        }
    }

    /// The brand the event concerns.
    public var brandID: UUID {
        switch self {
        case .runState(let run), .runProgress(let run): run.brandID
        case .log(let line): line.brandID
        case .freshness(let freshness): freshness.brandID
        }
    }

    var jobID: Int64? {
        switch self {
        case .runState(let run), .runProgress(let run): run.jobID
        case .log(let line): line.jobID
        case .freshness: nil
        }
    }

    var runID: Int64? {
        switch self {
        case .runState(let run), .runProgress(let run): run.id
        case .log(let line): line.line.runID
        case .freshness: nil
        }
    }
}

/// Which events a subscriber wants; every set member must match. Freshness events match only filters without a
/// job or run.
public struct ActivityFilter: Sendable, Hashable {
    public var brandID: UUID?
    public var jobID: Int64?
    public var runID: Int64?

    public init(brandID: UUID? = nil, jobID: Int64? = nil, runID: Int64? = nil) {
        self.brandID = brandID
        self.jobID = jobID
        self.runID = runID
    }

    /// Whether `event` passes the filter.
    public func matches(_ event: ActivityEvent) -> Bool {
        if let brandID, event.brandID != brandID { return false }
        if let jobID, event.jobID != jobID { return false }
        if let runID, event.runID != runID { return false }
        return true
    }
}
