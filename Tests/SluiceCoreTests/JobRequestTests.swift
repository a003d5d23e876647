import Foundation
import Testing

@testable import SluiceCore

@Suite("JobRequest validation")
struct JobRequestTests {
    /// 2026-01-01T00:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_767_225_600)
    static let brand = UUID(uuidString: "11111111-2222-3333-4444-555555555555")!
    static let otherBrand = UUID(uuidString: "AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE")!
    static let competitor = "E621E1F8-C36C-495A-93FC-0C247A3E6E5F"
    static let otherCompetitor = "0D6B0C3E-2B7A-4E0B-9C55-2D8B0B2F6A11"

    static let scrape = JobType(
        name: "competitor_scrape", label: "Competitor Scrape", dataset: "competitor_ads",
        schema: ParameterSchema([
            ParameterField("competitor_id", .uuid, required: true),
            ParameterField("max_ads", .int, minimum: 1, maximum: 5000, default: .int(500)),
            ParameterField("region", .string, default: .string("eu")),
        ]),
        priority: 5, uniquenessKey: ["competitor_id", "region"])
    static let report = JobType(name: "report", label: "Report", priority: 3)

    static func registry() throws -> JobTypeRegistry {
        try JobTypeRegistry([scrape, report])
    }

    static func request(
        brand: UUID = Self.brand, competitor: String = Self.competitor, extra: JSONObject = [:],
        schedule: ScheduleRequest = .now, priority: Int? = nil
    ) -> JobRequest {
        JobRequest(
            brandID: brand, jobType: "competitor_scrape",
            parameters: ["competitor_id": .string(competitor)].merging(extra) { $1 }, schedule: schedule,
            priority: priority)
    }

    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    // MARK: - schedules

    @Test("JobRequest defaults: no parameters, .now, no priority override")
    func requestDefaults() {
        let request = JobRequest(brandID: Self.brand, jobType: "report")
        #expect(request.parameters.isEmpty)
        #expect(request.schedule == .now)
        #expect(request.priority == nil)
    }

    @Test(".now runs once at now, with defaults applied and the type's priority")
    func scheduleNow() throws {
        let job = try Self.request().validated(against: Self.registry(), now: Self.now)
        #expect(job.brandID == Self.brand)
        #expect(job.type == Self.scrape)
        #expect(job.schedule == .once(at: Self.now))
        #expect(!job.schedule.isRecurring)
        #expect(job.schedule.nextFireDate(after: Self.now) == nil)
        #expect(job.firstRunAt == Self.now)
        #expect(job.priority == 5)
        #expect(
            job.parameters == [
                "competitor_id": .string(Self.competitor.lowercased()), "max_ads": .int(500), "region": .string("eu"),
            ])
    }

    @Test(".at runs once at the given instant, in the future or the past")
    func scheduleAt() throws {
        for offset in [3_600.0, -3_600.0, 0] {
            let date = Self.now.addingTimeInterval(offset)
            let job = try Self.request(schedule: .at(date)).validated(against: Self.registry(), now: Self.now)
            #expect(job.schedule == .once(at: date))
            #expect(job.firstRunAt == date)
        }
    }

    @Test(
        ".cron recurs in its zone; the first run is the next tick strictly after now",
        arguments: [
            ("0 6 * * *", "Europe/Berlin", utc(2026, 1, 1, 5)),
            ("0 6 * * *", "America/New_York", utc(2026, 1, 1, 11)),
            ("0 6 * * *", "UTC", utc(2026, 1, 1, 6)),
            ("0 6 * * *", "Asia/Tokyo", utc(2026, 1, 1, 21)),
            ("30 2 * * 1", "UTC", utc(2026, 1, 5, 2, 30)),
            ("@hourly", "Asia/Kolkata", utc(2026, 1, 1, 0, 30)),
            ("0 0 1 1 *", "UTC", utc(2027, 1, 1, 0)),
        ])
    func scheduleCron(expression: String, zone: String, expected: Date) throws {
        let request = Self.request(schedule: .cron(expression, timeZone: zone))
        let job = try request.validated(against: Self.registry(), now: Self.now)
        let timeZone = try #require(TimeZone(identifier: zone))
        #expect(job.schedule == .recurring(cron: try CronSchedule(parsing: expression), timeZone: timeZone))
        #expect(job.schedule.isRecurring)
        #expect(job.firstRunAt == expected)
        #expect(job.schedule.nextFireDate(after: Self.now) == expected)
    }

    @Test(".cron exactly on a tick schedules the following tick")
    func cronOnTick() throws {
        let onTick = Self.utc(2026, 1, 1, 5)
        let request = Self.request(schedule: .cron("0 6 * * *", timeZone: "Europe/Berlin"))
        let job = try request.validated(against: Self.registry(), now: onTick)
        #expect(job.firstRunAt == Self.utc(2026, 1, 2, 5))
    }

    @Test("the cron expression is trimmed in the stored schedule")
    func cronTrimmed() throws {
        let request = Self.request(schedule: .cron("  0 6 * * *\n", timeZone: "UTC"))
        let job = try request.validated(against: Self.registry(), now: Self.now)
        guard case .recurring(let cron, _) = job.schedule else {
            Issue.record("expected a recurring schedule")
            return
        }
        #expect(cron.expression == "0 6 * * *")
    }

    @Test(
        "a bad cron expression is invalidCron naming cron",
        arguments: ["", "not a cron", "61 * * * *", "* * * *", "0 0 30 2 *", "@fortnightly", "*/0 * * * *"])
    func badCron(expression: String) throws {
        let request = Self.request(schedule: .cron(expression, timeZone: "UTC"))
        let error = try #require(throws: SluiceError.self) {
            try request.validated(against: Self.registry(), now: Self.now)
        }
        #expect(error.code == .invalidCron)
        #expect(error.field == "cron")
        #expect(error.message.hasPrefix("cron expression is invalid: "))
    }

    @Test(
        "an unknown time zone is unknownTimeZone naming timezone",
        arguments: ["", "Mars/Olympus_Mons", "Europe/Berlinn", "not a zone"])
    func badTimeZone(zone: String) throws {
        let request = Self.request(schedule: .cron("0 6 * * *", timeZone: zone))
        let error = try #require(throws: SluiceError.self) {
            try request.validated(against: Self.registry(), now: Self.now)
        }
        #expect(error.code == .unknownTimeZone)
        #expect(error.field == "timezone")
    }

    @Test("the cron expression is checked before the time zone")
    func cronBeforeZone() throws {
        let request = Self.request(schedule: .cron("bad", timeZone: "Mars/Olympus_Mons"))
        let error = try #require(throws: SluiceError.self) {
            try request.validated(against: Self.registry(), now: Self.now)
        }
        #expect(error.code == .invalidCron)
    }

    @Test("a cron schedule with no tick within the search horizon is invalidCron naming cron")
    func cronNeverFires() throws {
        // `nextFireDate` gives up for instants absurdly far from the present (|t| >= 1e12 s).
        let farFuture = Date(timeIntervalSince1970: 2e12)
        let request = Self.request(schedule: .cron("0 6 * * *", timeZone: "UTC"))
        let error = try #require(throws: SluiceError.self) {
            try request.validated(against: Self.registry(), now: farFuture)
        }
        #expect(error.code == .invalidCron)
        #expect(error.field == "cron")
        #expect(error.message == "cron expression never fires")
    }

    // MARK: - type and parameters

    @Test("an unknown job type is unknownJobType naming job_type, checked first")
    func unknownType() throws {
        let request = JobRequest(
            brandID: Self.brand, jobType: "nope", parameters: ["bogus": .int(1)], schedule: .cron("bad", timeZone: ""))
        let error = try #require(throws: SluiceError.self) {
            try request.validated(against: Self.registry(), now: Self.now)
        }
        #expect(error.code == .unknownJobType)
        #expect(error.field == "job_type")
    }

    @Test("invalid parameters are invalidParameters with every problem, checked before the schedule")
    func invalidParameters() throws {
        let request = JobRequest(
            brandID: Self.brand, jobType: "competitor_scrape", parameters: ["max_ads": .int(0), "bogus": .bool(true)],
            schedule: .cron("bad", timeZone: "Mars/Olympus_Mons"))
        let error = try #require(throws: SluiceError.self) {
            try request.validated(against: Self.registry(), now: Self.now)
        }
        #expect(error.code == .invalidParameters)
        #expect(error.field == "parameters.bogus")
        #expect(error.problems.map(\.field) == ["parameters.bogus", "parameters.competitor_id", "parameters.max_ads"])
    }

    @Test("whole-double parameters are normalised in the validated job")
    func parametersNormalised() throws {
        let job = try Self.request(extra: ["max_ads": .double(42.0)]).validated(against: Self.registry(), now: Self.now)
        #expect(job.parameters["max_ads"] == .int(42))
    }

    @Test("the priority override wins over the type's priority", arguments: [Int?.none, -10, 0, 3, 99])
    func priorityOverride(priority: Int?) throws {
        let job = try Self.request(priority: priority).validated(against: Self.registry(), now: Self.now)
        #expect(job.priority == (priority ?? 5))
    }

    // MARK: - uniqueness key

    private static func key(_ request: JobRequest) throws -> String? {
        try request.validated(against: registry(), now: now).uniqueKey
    }

    @Test("a type without a uniqueness key gives no key")
    func noKey() throws {
        let request = JobRequest(brandID: Self.brand, jobType: "report")
        #expect(try Self.key(request) == nil)
    }

    @Test("the key encodes type, lower-cased brand and key values in declaration order")
    func keyFormat() throws {
        let key = try Self.key(Self.request())
        let brand = Self.brand.uuidString.lowercased()
        let competitor = Self.competitor.lowercased()
        #expect(key == #"["competitor_scrape","\#(brand)","competitor_id=\#(competitor)","region=eu"]"#)
    }

    @Test("a UUID key parameter matches however its letters are cased")
    func keyIgnoresUUIDCase() throws {
        let upper = try Self.key(Self.request(competitor: Self.competitor.uppercased()))
        #expect(upper != nil)
        #expect(try Self.key(Self.request(competitor: Self.competitor.lowercased())) == upper)
    }

    @Test("equal keys for the same brand, type and key values even when other parameters differ")
    func keyIgnoresNonKeyParameters() throws {
        let plain = try Self.key(Self.request())
        #expect(plain != nil)
        #expect(try Self.key(Self.request(extra: ["max_ads": .int(10)])) == plain)
        #expect(try Self.key(Self.request(extra: ["max_ads": .int(4000)], priority: 1)) == plain)
        #expect(try Self.key(Self.request(schedule: .cron("0 6 * * *", timeZone: "UTC"))) == plain)
        // A default-valued key parameter matches the same value given explicitly.
        #expect(try Self.key(Self.request(extra: ["region": .string("eu")])) == plain)
    }

    @Test("different keys for another brand or another key value")
    func keyDistinguishes() throws {
        let plain = try Self.key(Self.request())
        let keys = try [
            plain,
            Self.key(Self.request(brand: Self.otherBrand)),
            Self.key(Self.request(competitor: Self.otherCompetitor)),
            Self.key(Self.request(extra: ["region": .string("us")])),
        ]
        #expect(Set(keys).count == keys.count)
    }

    @Test("the key is computed from normalised values: 7 and 7.0 collide")
    func keyUsesNormalisedValues() throws {
        let type = JobType(
            name: "sized", label: "Sized", schema: ParameterSchema([ParameterField("n", .int)]),
            uniquenessKey: ["n"])
        let registry = try JobTypeRegistry([type])
        let asInt = JobRequest(brandID: Self.brand, jobType: "sized", parameters: ["n": .int(7)])
        let asDouble = JobRequest(brandID: Self.brand, jobType: "sized", parameters: ["n": .double(7.0)])
        let missing = JobRequest(brandID: Self.brand, jobType: "sized")
        let intKey = try asInt.validated(against: registry, now: Self.now).uniqueKey
        #expect(intKey != nil)
        #expect(try asDouble.validated(against: registry, now: Self.now).uniqueKey == intKey)
        // An absent optional key parameter is keyed as null.
        let missingKey = try #require(try missing.validated(against: registry, now: Self.now).uniqueKey)
        #expect(missingKey.hasSuffix(#""n=null"]"#))
    }

    @Test("uniqueKey(type:brandID:parameters:) directly")
    func uniqueKeyDirect() {
        let type = JobType(
            name: "t", label: "T", schema: ParameterSchema([ParameterField("a", .string)]),
            uniquenessKey: ["a"])
        let a = JobRequest.uniqueKey(type: type, brandID: Self.brand, parameters: ["a": .string("x\"y")])
        let b = JobRequest.uniqueKey(type: type, brandID: Self.brand, parameters: ["a": .string("x\"y"), "z": .int(1)])
        #expect(a == b)
        #expect(a == #"["t","\#(Self.brand.uuidString.lowercased())","a=x\"y"]"#)
        #expect(JobRequest.uniqueKey(type: Self.report, brandID: Self.brand, parameters: [:]) == nil)
    }
}
