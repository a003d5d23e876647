import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let jobInsertCases: [ConformanceCase] = [
        ConformanceCase("a one-time job is stored with defaults applied and one queued run due now") { fixture in
            let competitor = UUID()
            let inserted = try await fixture.enqueueScrape(competitor: competitor)
            #expect(!inserted.deduplicated)
            #expect(inserted.job.parameters["max_ads"] == .int(500))
            #expect(inserted.job.parameters["download_assets"] == .bool(true))
            #expect(inserted.job.status == .active)
            #expect(inserted.job.schedule == .once(at: stored(fixture.clock.now())))
            let run = try #require(inserted.run)
            #expect(run.state == .queued && run.attempt == 0 && run.maxAttempts == 2)
            #expect(run.scheduledAt == stored(fixture.clock.now()))
            #expect(run.jobID == inserted.job.id && run.brandID == ConformanceJobTypes.brandA)
            #expect(run.parameters["competitor_id"] == .string(competitor.uuidString.lowercased()))
            #expect(try await fixture.store.job(id: inserted.job.id) == inserted.job)
            #expect(try await fixture.store.run(id: run.id) == run)
        },
        ConformanceCase("a job queued at a later time is not claimed before it is due") { fixture in
            let due = fixture.clock.now().addingTimeInterval(3600)
            let inserted = try await fixture.enqueue(schedule: .at(due))
            #expect(inserted.run?.scheduledAt == stored(due))
            #expect(try await fixture.claim().isEmpty)
            fixture.clock.advance(by: .seconds(3600))
            #expect(try await fixture.claim().map(\.id) == [inserted.run?.id])
        },
        ConformanceCase("a recurring job gets its first run at the next cron tick in its time zone") { fixture in
            fixture.clock.set(Date(timeIntervalSince1970: 1_767_225_600))  // 2026-01-01T00:00:00Z = 01:00 in Berlin
            let inserted = try await fixture.enqueue(schedule: .cron("0 6 * * *", timeZone: "Europe/Berlin"))
            let expected = Date(timeIntervalSince1970: 1_767_225_600 + 5 * 3600)  // 06:00 CET = 05:00Z
            #expect(inserted.run?.scheduledAt == expected)
            #expect(inserted.run?.fireTime == expected)
            guard case .recurring(let cron, let zone) = try await fixture.store.job(id: inserted.job.id).schedule else {
                Issue.record("schedule is not recurring")
                return
            }
            #expect(cron.expression == "0 6 * * *" && zone.identifier == "Europe/Berlin")
        },
        ConformanceCase("every job belongs to a brand that exists; deleting a brand deletes its jobs and runs") {
            fixture in
            let store = fixture.store
            let missing = UUID()
            await expectError(.notFound, field: "brand_id") {
                try await store.insertJob(JobRequest(brandID: missing, jobType: "noop"))
            }
            await expectError(.notFound, field: "brand_id") {
                try await store.insertJobs([
                    JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop"),
                    JobRequest(brandID: missing, jobType: "noop"),
                ])
            }
            #expect(try await fixture.allJobs().isEmpty)
            await expectError(.conflict, field: "brand_id") {
                try await store.createBrand(id: ConformanceJobTypes.brandA, name: "Again")
            }

            let doomed = try await store.createBrand(name: "Doomed")
            let kept = try await fixture.enqueue()
            try await fixture.enqueue(brand: doomed.id)
            try await fixture.enqueue(brand: doomed.id, schedule: .cron("0 * * * *", timeZone: "UTC"))
            let running = try #require(try await fixture.claim(limit: 10).first { $0.brandID == doomed.id })
            try await store.deleteBrand(id: doomed.id)
            #expect(try await fixture.allJobs().map(\.id) == [kept.job.id])
            await expectError(.notFound) { try await store.run(id: running.id) }
            // The deleted run's worker is fenced: its result is refused, not written to nothing.
            await expectError(.leaseLost) {
                try await store.completeRun(try fixture.lease(of: running), RunCompletion())
            }
        },
        ConformanceCase("overrides, webhooks and tokens belong to a brand that exists, and go with it") { fixture in
            let store = fixture.store
            let missing = UUID()
            await expectError(.notFound, field: "brand_id") {
                try await store.saveDatasetOverride(DatasetOverride(brandID: missing, dataset: "competitor_ads"))
            }
            await expectError(.notFound, field: "brand_id") {
                try await store.createWebhook(
                    WebhookRequest(brandID: missing, url: "https://hooks.example/x", secret: "0123456789abcdef"))
            }
            await expectError(.notFound, field: "brand_id") {
                try await store.createToken(
                    NewAPIToken(name: "lost", role: .viewer, brandID: missing, secretHash: hash("a")))
            }
            let doomed = try await store.createBrand(name: "Doomed")
            try await store.saveDatasetOverride(DatasetOverride(brandID: doomed.id, dataset: "competitor_ads"))
            _ = try await store.createWebhook(
                WebhookRequest(brandID: doomed.id, url: "https://hooks.example/x", secret: "0123456789abcdef"))
            let global = try await store.createWebhook(
                WebhookRequest(brandID: nil, url: "https://hooks.example/all", secret: "0123456789abcdef"))
            _ = try await store.createToken(
                NewAPIToken(name: "scoped", role: .viewer, brandID: doomed.id, secretHash: hash("b")))
            try await store.deleteBrand(id: doomed.id)
            #expect(try await store.datasetOverrides(brandID: doomed.id).isEmpty)
            #expect(try await store.webhooks(brandID: nil).map(\.id) == [global.id])
            #expect(try await store.tokens().allSatisfy { $0.brandID != doomed.id })
        },
        ConformanceCase("a job validated elsewhere is placed at the store's time, and only for the store's job type") {
            fixture in
            let store = fixture.store
            let yesterday = fixture.clock.now().addingTimeInterval(-86_400)
            let registry = ConformanceJobTypes.registry
            let now = try JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop")
                .validated(against: registry, now: yesterday)
            let inserted = try await store.insertJob(now)
            #expect(inserted.run?.scheduledAt == stored(fixture.clock.now()))
            let hourly = try JobRequest(
                brandID: ConformanceJobTypes.brandA, jobType: "noop", schedule: .cron("0 * * * *", timeZone: "UTC")
            ).validated(against: registry, now: yesterday)
            let recurring = try #require(try await store.insertJob(hourly).run?.scheduledAt)
            #expect(recurring > fixture.clock.now() && recurring <= fixture.clock.now().addingTimeInterval(3600))
            let impostor = try JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop").validated(
                against: try JobTypeRegistry([JobType(name: "noop", label: "Another no-op")]), now: yesterday)
            await expectError(.unknownJobType, field: "job_type") { try await store.insertJob(impostor) }
            #expect(try await fixture.allJobs().count == 2)
        },
        ConformanceCase("bad input gives a typed error naming the field and writes nothing") { fixture in
            let store = fixture.store
            let brand = ConformanceJobTypes.brandA
            await expectError(.invalidArgument, field: "priority") {
                try await store.insertJob(JobRequest(brandID: brand, jobType: "noop", priority: 1001))
            }
            await expectError(.unknownJobType, field: "job_type") {
                try await store.insertJob(JobRequest(brandID: brand, jobType: "nope"))
            }
            do {
                _ = try await store.insertJob(
                    JobRequest(
                        brandID: brand, jobType: "scrape",
                        parameters: ["ad_library_url": .string("ftp://x"), "max_ads": .int(0), "extra": .bool(true)]))
                Issue.record("invalid parameters were accepted")
            } catch let error as SluiceError {
                #expect(error.code == .invalidParameters)
                #expect(
                    Set(error.problems.map(\.field))
                        == [
                            "parameters.competitor_id", "parameters.ad_library_url", "parameters.max_ads",
                            "parameters.extra",
                        ])
            }
            await expectError(.invalidCron, field: "cron") {
                try await store.insertJob(
                    JobRequest(brandID: brand, jobType: "noop", schedule: .cron("61 * * * *", timeZone: "UTC")))
            }
            await expectError(.unknownTimeZone, field: "timezone") {
                try await store.insertJob(
                    JobRequest(brandID: brand, jobType: "noop", schedule: .cron("@daily", timeZone: "Mars/Base")))
            }
            #expect(try await fixture.allJobs().isEmpty)
            #expect(try await store.listRuns(RunQuery()).items.isEmpty)
        },
        ConformanceCase("a batch insert is all or nothing") { fixture in
            let brand = ConformanceJobTypes.brandA
            var requests = (0..<5).map { _ in JobRequest(brandID: brand, jobType: "noop") }
            requests[3] = JobRequest(brandID: brand, jobType: "scrape", parameters: ["max_ads": .string("many")])
            do {
                _ = try await fixture.store.insertJobs(requests)
                Issue.record("an invalid batch was accepted")
            } catch let error as SluiceError {
                #expect(error.code == .invalidParameters)
                #expect(error.problems.map(\.field).contains("jobs[3].parameters.max_ads"))
            }
            #expect(try await fixture.allJobs().isEmpty)
            requests[3] = JobRequest(brandID: brand, jobType: "noop")
            let inserted = try await fixture.store.insertJobs(requests)
            #expect(inserted.count == 5 && inserted.allSatisfy { !$0.deduplicated && $0.run?.state == .queued })
            #expect(try await fixture.allJobs().count == 5)
        },
        ConformanceCase("a job whose uniqueness key matches an active job returns that job") { fixture in
            let competitor = UUID()
            let first = try await fixture.enqueueScrape(competitor: competitor)
            let second = try await fixture.enqueueScrape(competitor: competitor)
            #expect(second.deduplicated && second.job.id == first.job.id && second.run?.id == first.run?.id)
            let otherBrand = try await fixture.enqueueScrape(brand: ConformanceJobTypes.brandB, competitor: competitor)
            #expect(!otherBrand.deduplicated)
            let batch = try await fixture.store.insertJobs([
                JobRequest(
                    brandID: ConformanceJobTypes.brandA, jobType: "scrape",
                    parameters: StoreFixture.scrapeParameters(competitor))
            ])
            #expect(batch[0].deduplicated && batch[0].job.id == first.job.id)
            let run = try await fixture.claimOne(["scrape"])
            _ = try await fixture.store.completeRun(try fixture.lease(of: run), RunCompletion())
            #expect(try await fixture.store.job(id: first.job.id).status == .finished)
            let third = try await fixture.enqueueScrape(competitor: competitor)
            #expect(!third.deduplicated && third.job.id != first.job.id)
        },
    ]
}
