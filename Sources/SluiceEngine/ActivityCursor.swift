import Foundation
import SluiceCore
import SluiceStore

/// What an ``ActivityFeed`` remembers between looks: where the run, finished-run and log streams stand, the ids it
/// skipped (they may still commit), the runs it saw running (to see them leave that state) and recently finished
/// (to report each end once), and the freshness states last reported.
struct ActivityCursor {
    /// How far back finished runs are read again, for writers whose clocks lag this node's.
    static let overlap: TimeInterval = 5
    /// How long a skipped id is asked for again before it counts as never committed.
    static let gapPatience: Duration = .seconds(10)
    /// The most skipped ids remembered per stream.
    static let maximumGaps = 1000

    private var lastRunID: Int64?
    private var lastLogID: Int64?
    private var finishedSince = Date.distantPast
    private var known: [Int64: RunMark] = [:]
    private var runGaps: [Int64: ContinuousClock.Instant] = [:]
    private var logGaps: [Int64: ContinuousClock.Instant] = [:]
    private(set) var freshness: [FreshnessKey: FreshnessState] = [:]

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

    /// The run events to publish, and the brands whose dataset-producing runs changed state.
    struct Changes {
        var runs: [ActivityEvent] = []
        var producerBrands: Set<UUID> = []
    }

    var isPrimed: Bool { lastRunID != nil }

    func query(limit: Int = 500) -> RunActivityQuery {
        let running = known.filter { $0.value.state == .running }.map(\.key)
        return RunActivityQuery(
            afterRunID: lastRunID, finishedSince: finishedSince, watchedRunIDs: (running + runGaps.keys).sorted(),
            afterLogID: lastLogID, missingLogIDs: logGaps.keys.sorted(), limit: limit)
    }

    /// Starts from the store's current marks and freshness: only later changes are reported.
    mutating func prime(with activity: RunActivity, freshness: [FreshnessKey: FreshnessState], at now: Date) {
        lastRunID = activity.lastRunID
        lastLogID = activity.lastLogID
        finishedSince = now.addingTimeInterval(-Self.overlap)
        self.freshness = freshness
    }

    /// Records a freshness state; returns whether it differs from the last one reported.
    mutating func noteFreshness(_ state: FreshnessState, for key: FreshnessKey) -> Bool {
        guard freshness[key] != state else { return false }
        freshness[key] = state
        return true
    }

    /// Takes in the answer to `query`; returns what changed since the last look.
    mutating func advance(
        with activity: RunActivity, for query: RunActivityQuery, producers: (String) -> Bool,
        now: ContinuousClock.Instant = .now
    ) -> Changes {
        var changes = Changes()
        var seen = Set<Int64>()
        for run in (activity.runs + activity.finished).sorted(by: { $0.id < $1.id }) where seen.insert(run.id).inserted
        {
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
        Self.track(&runGaps, after: query.afterRunID, through: activity.lastRunID, found: seen, now: now)
        Self.track(
            &logGaps, after: query.afterLogID, through: activity.lastLogID, found: Set(activity.logs.map(\.line.id)),
            now: now)
        lastRunID = activity.lastRunID
        lastLogID = activity.lastLogID
        advanceFinished(activity.finished, limit: query.limit)
        let horizon = finishedSince.addingTimeInterval(-Self.overlap)
        known = known.filter { id, mark in
            if mark.state == .running { return seen.contains(id) }
            guard let finishedAt = mark.finishedAt else { return false }
            return finishedAt >= horizon
        }
        return changes
    }

    /// A full page moves on from its last row, so that a burst of endings is read page by page; a partial page
    /// moves on to its latest ending less the overlap.
    private mutating func advanceFinished(_ finished: [Run], limit: Int) {
        guard let last = finished.last?.finishedAt else { return }
        if finished.count >= limit {
            // Every row of a full page ending at one microsecond: step past it rather than read it forever.
            finishedSince = last > finishedSince ? last : finishedSince.addingTimeInterval(0.000_001)
        } else {
            finishedSince = max(finishedSince, last.addingTimeInterval(-Self.overlap))
        }
    }

    /// Forgets the gaps that were found or waited for long enough, and remembers the ids skipped between `after`
    /// and `through`.
    private static func track(
        _ gaps: inout [Int64: ContinuousClock.Instant], after: Int64?, through: Int64, found: Set<Int64>,
        now: ContinuousClock.Instant
    ) {
        gaps = gaps.filter { id, since in !found.contains(id) && now - since < gapPatience }
        guard let after, through > after + 1 else { return }
        for id in (after + 1)..<through where !found.contains(id) {
            guard gaps.count < maximumGaps else { return }
            gaps[id] = now
        }
    }
}
