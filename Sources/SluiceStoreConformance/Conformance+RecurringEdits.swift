import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let recurringEditCases: [ConformanceCase] = [
        ConformanceCase("a recurring job's cron, zone and parameters are edited in place; runs of old future ticks go")
        {
            fixture in
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z
            let original = try await fixture.enqueue(
                "scrape", StoreFixture.scrapeParameters(UUID()), schedule: .cron("0 * * * *", timeZone: "UTC"))
            let queued = try #require(original.run)
            fixture.clock.advance(by: .seconds(600))  // 00:10Z, 01:10 in Berlin
            var parameters = StoreFixture.scrapeParameters(UUID())
            parameters["max_ads"] = .int(100)
            let update = try fixture.recurringEdit(
                of: original.job, parameters, cron: "30 6 * * *", zone: "Europe/Berlin")
            let firstTick = Date(timeIntervalSince1970: 1_767_245_400)  // 06:30 in Berlin is 05:30Z
            #expect(update.nextFireAt == firstTick)
            let edited = try await fixture.store.updateRecurringJob(update)
            #expect(edited.parameters == update.parameters && edited.parameters["max_ads"] == .int(100))
            #expect(edited.parameters["download_assets"] == .bool(true))
            #expect(edited.schedule == update.schedule && edited.nextFireAt == firstTick)
            #expect(edited.uniqueKey != nil && edited.uniqueKey == update.uniqueKey)
            #expect(edited.uniqueKey != original.job.uniqueKey)
            #expect(edited.status == .active && edited.updatedAt == stored(fixture.clock.now()))
            #expect(edited.createdAt == stored(original.job.createdAt) && edited.brandID == original.job.brandID)
            #expect(edited.jobType == "scrape" && edited.queue == original.job.queue)
            #expect(edited.priority == original.job.priority)
            #expect(try await fixture.store.job(id: original.job.id) == edited)
            // The run created ahead for the old schedule's next tick (01:00Z, still to come) is withdrawn.
            #expect(queued.scheduledAt > fixture.clock.now())
            await #expect(throws: SluiceError.self) { try await fixture.store.run(id: queued.id) }
            // The scheduler fires the new schedule from its first tick, with the new parameters.
            fixture.clock.set(firstTick)
            let fired = try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest())
            #expect(fired.map(\.fireTime) == [firstTick])
            #expect(fired.first?.parameters == edited.parameters)
            #expect(
                try await fixture.store.job(id: original.job.id).nextFireAt
                    == firstTick.addingTimeInterval(86_400))
        },
        ConformanceCase("editing a paused recurring job keeps it paused") { fixture in
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))
            let original = try await fixture.enqueue(schedule: .cron("0 * * * *", timeZone: "UTC"))
            _ = try await fixture.store.pauseJob(id: original.job.id)
            let edited = try await fixture.store.updateRecurringJob(
                try fixture.recurringEdit(of: original.job, [:], cron: "*/15 * * * *", zone: "UTC"))
            #expect(edited.status == .paused)
            #expect(edited.nextFireAt == Date(timeIntervalSince1970: 1_767_226_500))
            #expect(try await fixture.store.job(id: original.job.id) == edited)
            fixture.clock.advance(by: .seconds(2 * 3600))
            #expect(try await fixture.store.scheduleRecurringRuns(RecurringScheduleRequest()).isEmpty)
            #expect(try await fixture.claim().isEmpty)
            #expect(try await fixture.store.job(id: original.job.id).status == .paused)
        },
        ConformanceCase("only an active or paused recurring job is edited; an unknown job is not found") { fixture in
            let once = try await fixture.enqueue()
            await expectError(.conflict, field: "schedule") {
                try await fixture.store.updateRecurringJob(
                    try fixture.recurringEdit(of: once.job, [:], cron: "0 * * * *", zone: "UTC"))
            }
            let unchanged = try await fixture.store.job(id: once.job.id)
            #expect(!unchanged.schedule.isRecurring && unchanged.nextFireAt == nil)

            let cancelled = try await fixture.enqueue(schedule: .cron("0 * * * *", timeZone: "UTC"))
            _ = try await fixture.store.cancelJob(id: cancelled.job.id)
            let beforeEdit = try await fixture.store.job(id: cancelled.job.id)
            await expectError(.conflict, field: "status") {
                try await fixture.store.updateRecurringJob(
                    try fixture.recurringEdit(of: cancelled.job, [:], cron: "*/5 * * * *", zone: "UTC"))
            }
            #expect(try await fixture.store.job(id: cancelled.job.id) == beforeEdit)

            let active = try await fixture.enqueue(schedule: .cron("0 * * * *", timeZone: "UTC"))
            let unknown = RecurringJobUpdate(
                id: 999_999,
                validated: try fixture.validated(active.job, schedule: .cron("*/5 * * * *", timeZone: "UTC")),
                uniqueKey: nil)
            await expectError(.notFound) { try await fixture.store.updateRecurringJob(unknown) }
            let notRecurring = RecurringJobUpdate(
                id: active.job.id, validated: try fixture.validated(active.job, schedule: .now), uniqueKey: nil)
            await expectError(.invalidArgument, field: "schedule") {
                try await fixture.store.updateRecurringJob(notRecurring)
            }
            let stillActive = try await fixture.store.job(id: active.job.id)
            #expect(stillActive.schedule == active.job.schedule && stillActive.nextFireAt == active.job.nextFireAt)
        },
        ConformanceCase("an edit cannot take the uniqueness key of another active or paused job") { fixture in
            let hourly = ScheduleRequest.cron("0 * * * *", timeZone: "UTC")
            let first = try await fixture.enqueue("scrape", StoreFixture.scrapeParameters(UUID()), schedule: hourly)
            let competitor = UUID()
            let second = try await fixture.enqueue(
                "scrape", StoreFixture.scrapeParameters(competitor), schedule: hourly)
            fixture.clock.advance(by: .seconds(60))
            let before = try await fixture.store.job(id: first.job.id)
            let takeover = try fixture.recurringEdit(
                of: first.job, StoreFixture.scrapeParameters(competitor), cron: "30 * * * *", zone: "UTC")
            #expect(takeover.uniqueKey != nil && takeover.uniqueKey == second.job.uniqueKey)
            await expectError(.conflict, field: "unique_key") { try await fixture.store.updateRecurringJob(takeover) }
            _ = try await fixture.store.pauseJob(id: second.job.id)
            await expectError(.conflict, field: "unique_key") { try await fixture.store.updateRecurringJob(takeover) }
            #expect(try await fixture.store.job(id: first.job.id) == before)

            // Keeping its own key is no conflict.
            var ownParameters = first.job.parameters
            ownParameters["max_ads"] = .int(10)
            let own = try await fixture.store.updateRecurringJob(
                try fixture.recurringEdit(of: first.job, ownParameters, cron: "0 * * * *", zone: "UTC"))
            #expect(own.uniqueKey == first.job.uniqueKey && own.parameters["max_ads"] == .int(10))

            // A cancelled job no longer holds its key.
            _ = try await fixture.store.cancelJob(id: second.job.id)
            let moved = try await fixture.store.updateRecurringJob(takeover)
            #expect(moved.uniqueKey == second.job.uniqueKey && moved.status == .active)
            #expect(try await fixture.store.job(id: first.job.id) == moved)
        },
    ]
}

extension StoreFixture {
    /// The edit of recurring `job` to `parameters` on `cron` in `zone`, built from a validated request as the
    /// engine builds it (the new schedule fires from its first tick after now).
    func recurringEdit(
        of job: Job, _ parameters: JSONObject, cron: String, zone: String
    ) throws -> RecurringJobUpdate {
        let validated = try self.validated(job, parameters, schedule: .cron(cron, timeZone: zone))
        return RecurringJobUpdate(id: job.id, validated: validated, uniqueKey: validated.uniqueKey)
    }

    /// A request of `job`'s brand and type with `parameters` on `schedule`, validated now.
    func validated(_ job: Job, _ parameters: JSONObject = [:], schedule: ScheduleRequest) throws -> ValidatedJob {
        try JobRequest(brandID: job.brandID, jobType: job.jobType, parameters: parameters, schedule: schedule)
            .validated(against: ConformanceJobTypes.registry, now: clock.now())
    }
}
