import Foundation

/// When a job runs: once at a time, or on a cron schedule in an IANA time zone.
public enum JobSchedule: Sendable, Hashable {
    /// Run once, at the given instant (now, or later).
    case once(at: Date)
    /// Run at every tick of `cron`, evaluated as wall-clock time in `timeZone`.
    case recurring(cron: CronSchedule, timeZone: TimeZone)

    /// Whether this is a recurring schedule.
    public var isRecurring: Bool {
        if case .recurring = self { return true }
        return false
    }

    /// The next fire time strictly after `date` for a recurring schedule; nil for a one-time schedule.
    public func nextFireDate(after date: Date) -> Date? {
        guard case .recurring(let cron, let timeZone) = self else { return nil }
        return cron.nextFireDate(after: date, in: timeZone)
    }
}

/// The schedule asked for when a job is enqueued, before validation.
public enum ScheduleRequest: Sendable, Hashable {
    /// Run once, as soon as possible.
    case now
    /// Run once at the given instant.
    case at(Date)
    /// Run on a cron expression in an IANA time zone, such as `("0 6 * * *", "Europe/Berlin")`.
    case cron(String, timeZone: String)
}

/// Whether a job is still scheduling work.
public enum JobStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// The job has pending or running work, or (recurring) future ticks.
    case active
    /// The job's pending runs are not claimed until it is resumed.
    case paused
    /// The job was cancelled; it schedules nothing more.
    case cancelled
    /// A one-time job whose run has ended.
    case finished

    /// Whether a job in this status holds its uniqueness key.
    public var holdsUniqueness: Bool { self == .active || self == .paused }
}
