import Foundation

/// What a recurring job does about cron ticks that passed while no scheduler was running.
public enum MisfirePolicy: String, Sendable, Hashable, CaseIterable, Codable {
    /// Skip every missed tick; the next run is the next tick in the future.
    case skip
    /// Run once now for all the missed ticks, then continue with the next tick in the future.
    case runOnce = "run_once"
}

/// The scheduler's decision for one recurring job whose next tick is due: which run to create, and the tick after.
///
/// A tick is *missed* when the scheduler reaches it more than `grace` after it passed (the nodes were down or the
/// job was paused). Ticks reached in time each get their own run at their own fire time, so a scheduler that was
/// briefly slow loses nothing.
///
/// ```swift
/// let tick = RecurringTick.plan(due: job.nextFireAt, schedule: schedule, policy: .runOnce, now: now, grace: .seconds(60))
/// // insert a run for tick.fireTime (if any), then store tick.nextFireAt
/// ```
public struct RecurringTick: Sendable, Hashable {
    /// The fire time of the run to create, or nil when the missed ticks are skipped.
    public let fireTime: Date?
    /// When that run is due: its fire time, or now for a missed tick run once.
    public let scheduledAt: Date
    /// The tick to remember as next.
    public let nextFireAt: Date?
    /// Whether the due tick was missed (reached more than the grace after it passed).
    public var missed: Bool { fireTime == nil || scheduledAt != fireTime }

    /// Plans the tick `due` of `schedule` at `now`.
    public static func plan(
        due: Date, schedule: JobSchedule, policy: MisfirePolicy, now: Date, grace: Duration
    ) -> RecurringTick {
        guard now.timeIntervalSince(due) > grace.seconds else {
            return RecurringTick(fireTime: due, scheduledAt: due, nextFireAt: schedule.nextFireDate(after: due))
        }
        let next = schedule.nextFireDate(after: now)
        switch policy {
        case .skip:
            return RecurringTick(fireTime: nil, scheduledAt: now, nextFireAt: next)
        case .runOnce:
            // The run stands for every missed tick; it carries the first one's fire time.
            return RecurringTick(fireTime: due, scheduledAt: now, nextFireAt: next)
        }
    }
}
