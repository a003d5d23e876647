import Foundation
import SluiceCore
import SluiceStore

/// What an ``ActivityFeed`` remembers between looks: where the run and log streams stand, the runs it saw
/// running (to see them leave that state) and recently finished (to report each end once), and the freshness
/// states last reported.
struct ActivityCursor {
    /// How far back finished runs are read again, for writers whose clocks lag this node's.
    static let overlap: TimeInterval = 5

    private var lastRunID: Int64?
    private var lastLogID: Int64?
    private var finishedSince = Date.distantPast
    private var known: [Int64: RunMark] = [:]
    var freshness: [FreshnessKey: FreshnessState] = [:]
    var freshnessCheckedAt = ContinuousClock.now

    /// The part of a run whose change is reported.
    struct RunMark: Equatable {
        let state: RunState
        let attempt: Int
        let progress: Double?
        let message: String?
        let finishedAt: Date?

        init(_ run: Run) {
            state = run.state
            attempt = run.attempt
            progress = run.progress
            message = run.progressMessage
            finishedAt = run.finishedAt
        }
    }

    /// The runs whose change is to be reported, and the brands whose dataset-producing runs changed state.
    struct Changes {
        var runs: [ActivityEvent] = []
        var producerBrands: Set<UUID> = []
    }

    var isPrimed: Bool { lastRunID != nil }

    func query() -> RunActivityQuery {
        let watched = known.filter { $0.value.state == .running }.map(\.key)
        return RunActivityQuery(
            afterRunID: lastRunID, finishedSince: finishedSince, watchedRunIDs: watched.sorted(),
            afterLogID: lastLogID)
    }

    /// Starts from the store's current marks: only later changes are reported.
    mutating func prime(with activity: RunActivity, at now: Date) {
        lastRunID = activity.lastRunID
        lastLogID = activity.lastLogID
        finishedSince = now.addingTimeInterval(-Self.overlap)
    }

    /// Takes in a look's answer; returns what changed since the last one.
    mutating func advance(with activity: RunActivity, producers: (String) -> Bool) -> Changes {
        var changes = Changes()
        var seen = Set<Int64>()
        for run in activity.runs.sorted(by: { $0.id < $1.id }) where seen.insert(run.id).inserted {
            let mark = RunMark(run)
            let previous = known[run.id]
            known[run.id] = mark
            if previous?.state != mark.state || previous?.attempt != mark.attempt {
                changes.runs.append(.runState(run))
                if producers(run.jobType) { changes.producerBrands.insert(run.brandID) }
            } else if previous?.progress != mark.progress || previous?.message != mark.message {
                changes.runs.append(.runProgress(run))
            }
        }
        lastRunID = activity.lastRunID
        lastLogID = activity.lastLogID
        if let latest = activity.runs.compactMap(\.finishedAt).max() {
            finishedSince = max(finishedSince, latest.addingTimeInterval(-Self.overlap))
        }
        let horizon = finishedSince.addingTimeInterval(-Self.overlap)
        known = known.filter { id, mark in
            if mark.state == .running { return seen.contains(id) }
            guard let finishedAt = mark.finishedAt else { return false }
            return finishedAt >= horizon
        }
        return changes
    }
}
