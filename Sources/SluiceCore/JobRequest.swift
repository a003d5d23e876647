import Foundation

/// A request to enqueue a job, as it arrives from a caller, before validation.
///
/// ```swift
/// let request = JobRequest(brandID: brand, jobType: "competitor_scrape",
///                          parameters: ["competitor_id": .string(id.uuidString)], schedule: .now)
/// let job = try request.validated(against: registry, now: clock.now())
/// ```
public struct JobRequest: Sendable, Hashable {
    /// The brand the job belongs to.
    public var brandID: UUID
    /// The job type's name.
    public var jobType: String
    /// The parameters; missing ones take the schema's defaults.
    public var parameters: JSONObject
    /// When to run.
    public var schedule: ScheduleRequest
    /// Overrides the job type's priority, if set.
    public var priority: Int?
    /// Overrides the job type's uniqueness key, if set: while a job of this type and brand with the same key is
    /// active, enqueueing returns it instead (the auto-refresher uses one key per brand and dataset).
    public var uniqueKey: String?

    /// Creates a request.
    public init(
        brandID: UUID, jobType: String, parameters: JSONObject = [:], schedule: ScheduleRequest = .now,
        priority: Int? = nil, uniqueKey: String? = nil
    ) {
        self.brandID = brandID
        self.jobType = jobType
        self.parameters = parameters
        self.schedule = schedule
        self.priority = priority
        self.uniqueKey = uniqueKey
    }

    /// The priorities a request may give.
    public static let priorities = -1000...1000

    /// Validates the request against `registry` at `now`: the one place a job request is checked. What it returns
    /// cannot be invalid, so a store that is handed one only places it at its own time.
    ///
    /// - Throws: ``SluiceError`` with ``SluiceError/Code/unknownJobType`` (field `job_type`),
    ///   ``SluiceError/Code/invalidParameters`` (every problem, fields `parameters.NAME`),
    ///   ``SluiceError/Code/invalidCron`` (field `cron`), ``SluiceError/Code/unknownTimeZone`` (field `timezone`),
    ///   ``SluiceError/Code/invalidArgument`` (fields `priority`, `unique_key`).
    public func validated(against registry: JobTypeRegistry, now: Date) throws(SluiceError) -> ValidatedJob {
        let type = try registry.require(jobType)
        try StoredText.check(.object(parameters), field: "parameters")
        let parameters = try type.schema.validate(parameters)
        if let priority, !Self.priorities.contains(priority) {
            throw .invalidArgument("priority", "must be an integer in -1000...1000")
        }
        if let uniqueKey {
            guard (1...200).contains(uniqueKey.unicodeScalars.count) else {
                throw .invalidArgument("unique_key", "must be 1-200 characters")
            }
            try StoredText.check(uniqueKey, field: "unique_key")
        }
        let schedule: JobSchedule
        let firstRunAt: Date
        switch self.schedule {
        case .now:
            schedule = .once(at: now)
            firstRunAt = now
        case .at(let date):
            schedule = .once(at: date)
            firstRunAt = date
        case .cron(let expression, let zoneName):
            let cron: CronSchedule
            do {
                cron = try CronSchedule(parsing: expression)
            } catch {
                throw SluiceError(.invalidCron, "cron expression is invalid: \(error.message)", field: "cron")
            }
            guard let zone = TimeZone.iana(zoneName) else {
                throw SluiceError(.unknownTimeZone, "time zone is not a known IANA identifier", field: "timezone")
            }
            schedule = .recurring(cron: cron, timeZone: zone)
            guard let next = cron.nextFireDate(after: now, in: zone) else {
                throw SluiceError(.invalidCron, "cron expression never fires", field: "cron")
            }
            firstRunAt = next
        }
        return ValidatedJob(
            brandID: brandID, type: type, parameters: parameters, requestedSchedule: self.schedule, schedule: schedule,
            firstRunAt: firstRunAt, nextFireAt: schedule.nextFireDate(after: firstRunAt),
            priority: priority ?? type.priority,
            uniqueKey: uniqueKey.map { JSONCoding.encodeString([type.name, brandID.uuidString.lowercased(), $0]) }
                ?? Self.uniqueKey(type: type, brandID: brandID, parameters: parameters))
    }

    /// The uniqueness key of a job: its type, brand and the values of the type's key parameters (nil when the type
    /// declares no key parameters). A key the request itself gives (its `uniqueKey` property) replaces it.
    public static func uniqueKey(type: JobType, brandID: UUID, parameters: JSONObject) -> String? {
        guard !type.uniquenessKey.isEmpty else { return nil }
        let values = type.uniquenessKey.map { name in
            let text = parameters[name]?.canonicalText ?? "null"
            // UUIDs compare case-insensitively: one competitor is one key however its id is spelled.
            return "\(name)=\(type.schema.field(named: name)?.kind == .uuid ? text.lowercased() : text)"
        }
        return JSONCoding.encodeString([type.name, brandID.uuidString.lowercased()] + values)
    }
}

/// A job request that passed validation, ready to be stored.
public struct ValidatedJob: Sendable, Hashable {
    /// The brand.
    public let brandID: UUID
    /// The job type.
    public let type: JobType
    /// The parameters, defaults applied.
    public let parameters: JSONObject
    /// The schedule as requested (`now` stays "now" when the job is placed at another time).
    let requestedSchedule: ScheduleRequest
    /// The schedule.
    public let schedule: JobSchedule
    /// When the first run is due (for recurring jobs: the first tick, also its fire time).
    public let firstRunAt: Date
    /// For recurring jobs: the tick after the first.
    public let nextFireAt: Date?
    /// The priority of its runs.
    public let priority: Int
    /// The uniqueness key, if the job type declares one.
    public let uniqueKey: String?
}

extension ValidatedJob {
    /// The same job placed at `now`: one queued "now" is due then, a recurring one at its first tick after `now`;
    /// everything else is as validated. A store places a job validated elsewhere (by a client, on its own clock) at
    /// the store's time, without checking it again.
    public func placed(at now: Date) -> ValidatedJob {
        let schedule: JobSchedule
        let firstRunAt: Date
        switch (requestedSchedule, self.schedule) {
        case (.now, _):
            schedule = .once(at: now)
            firstRunAt = now
        case (.cron, .recurring(let cron, let zone)):
            schedule = self.schedule
            firstRunAt = cron.nextFireDate(after: now, in: zone) ?? self.firstRunAt
        default:
            return self
        }
        return ValidatedJob(
            brandID: brandID, type: type, parameters: parameters, requestedSchedule: requestedSchedule,
            schedule: schedule, firstRunAt: firstRunAt, nextFireAt: schedule.nextFireDate(after: firstRunAt),
            priority: priority, uniqueKey: uniqueKey)
    }
}

extension JobTypeRegistry {
    /// Validates every request at `now`, prefixing each error's field with `FIELD[INDEX].` (`jobs` by default).
    ///
    /// - Throws: the first invalid request's error, as ``JobRequest/validated(against:now:)`` words it.
    public func validate(
        _ requests: [JobRequest], now: Date, field: String = "jobs"
    ) throws(SluiceError)
        -> [ValidatedJob]
    {
        var validated: [ValidatedJob] = []
        validated.reserveCapacity(requests.count)
        for (index, request) in requests.enumerated() {
            do {
                validated.append(try request.validated(against: self, now: now))
            } catch {
                throw error.inItem(index, of: field)
            }
        }
        return validated
    }
}
