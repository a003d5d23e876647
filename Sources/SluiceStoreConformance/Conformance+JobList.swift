import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let jobListCases: [ConformanceCase] = [
        ConformanceCase("jobs are listed newest first with filters on brand, type, status and a parameter") { fixture in
            let competitor = UUID()
            let scrapeA = try await fixture.enqueueScrape(competitor: competitor)
            let scrapeB = try await fixture.enqueueScrape(brand: ConformanceJobTypes.brandB)
            let noop = try await fixture.enqueue()
            let paused = try await fixture.enqueue()
            _ = try await fixture.store.pauseJob(id: paused.job.id)
            let store = fixture.store
            #expect(
                try await store.listJobs(JobQuery()).items.map(\.id) == [paused, noop, scrapeB, scrapeA].map(\.job.id))
            #expect(
                try await store.listJobs(JobQuery(brandID: ConformanceJobTypes.brandB)).items.map(\.id) == [
                    scrapeB.job.id
                ])
            #expect(
                try await store.listJobs(JobQuery(jobType: "scrape")).items.map(\.id) == [
                    scrapeB.job.id, scrapeA.job.id,
                ])
            #expect(try await store.listJobs(JobQuery(status: .paused)).items.map(\.id) == [paused.job.id])
            let byCompetitor = JobQuery(
                parameter: ParameterFilter("competitor_id", equals: .string(competitor.uuidString.lowercased())))
            #expect(try await store.listJobs(byCompetitor).items.map(\.id) == [scrapeA.job.id])
            let byMaxAds = JobQuery(parameter: ParameterFilter("max_ads", equals: .int(500)))
            #expect(try await store.listJobs(byMaxAds).items.count == 2)
            let byFlag = JobQuery(parameter: ParameterFilter("download_assets", equals: .bool(false)))
            #expect(try await store.listJobs(byFlag).items.isEmpty)
            let byTrue = JobQuery(parameter: ParameterFilter("download_assets", equals: .bool(true)))
            #expect(try await store.listJobs(byTrue).items.count == 2)
            // Types must match: `true` is not 1, and 500 is not "500".
            let byOne = JobQuery(parameter: ParameterFilter("download_assets", equals: .int(1)))
            #expect(try await store.listJobs(byOne).items.isEmpty)
            let byText = JobQuery(parameter: ParameterFilter("max_ads", equals: .string("500")))
            #expect(try await store.listJobs(byText).items.isEmpty)
        },
        ConformanceCase("job and run lists page by keyset without gaps or repeats") { fixture in
            let brand = ConformanceJobTypes.brandA
            let inserted = try await fixture.store.insertJobs(
                (0..<23).map { _ in JobRequest(brandID: brand, jobType: "noop") })
            var seenJobs: [Int64] = []
            var seenRuns: [Int64] = []
            var jobCursor: String?
            var runCursor: String?
            repeat {
                let page = try await fixture.store.listJobs(JobQuery(limit: 5, cursor: jobCursor))
                #expect(page.items.count <= 5)
                seenJobs += page.items.map(\.id)
                jobCursor = page.nextCursor
            } while jobCursor != nil
            repeat {
                let page = try await fixture.store.listRuns(RunQuery(limit: 10, cursor: runCursor))
                seenRuns += page.items.map(\.id)
                runCursor = page.nextCursor
            } while runCursor != nil
            #expect(seenJobs == inserted.map(\.job.id).reversed())
            #expect(seenRuns == inserted.compactMap(\.run?.id).reversed())
            let exact = try await fixture.store.listJobs(JobQuery(limit: 23))
            #expect(exact.items.count == 23 && exact.nextCursor == nil)
        },
        ConformanceCase("jobs are listed by schedule kind: recurring only, one-time only, or both, with paging") {
            fixture in
            let store = fixture.store
            var once: [Int64] = []
            var recurring: [Int64] = []
            for index in 0..<9 {
                if index % 3 == 0 {
                    recurring.append(try await fixture.enqueue(schedule: .cron("0 6 * * *", timeZone: "UTC")).job.id)
                } else {
                    once.append(try await fixture.enqueue().job.id)
                }
            }
            let newestFirst = { (ids: [Int64]) -> [Int64] in Array(ids.reversed()) }
            #expect(try await store.listJobs(JobQuery()).items.map(\.id) == (once + recurring).sorted(by: >))
            let recurringJobs = try await store.listJobs(JobQuery(recurring: true)).items
            #expect(recurringJobs.map(\.id) == newestFirst(recurring))
            #expect(recurringJobs.allSatisfy { $0.schedule.isRecurring })
            let oneTimeJobs = try await store.listJobs(JobQuery(recurring: false)).items
            #expect(oneTimeJobs.map(\.id) == newestFirst(once))
            #expect(oneTimeJobs.allSatisfy { !$0.schedule.isRecurring })
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await store.listJobs(JobQuery(recurring: false, limit: 4, cursor: cursor))
                #expect(page.items.count <= 4)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == newestFirst(once))
            let first = try await store.listJobs(JobQuery(recurring: true, limit: 2))
            #expect(first.items.map(\.id) == Array(newestFirst(recurring).prefix(2)) && first.nextCursor != nil)
            let rest = try await store.listJobs(JobQuery(recurring: true, limit: 2, cursor: first.nextCursor))
            #expect(rest.items.map(\.id) == [recurring[0]] && rest.nextCursor == nil)
            // The filter combines with the others.
            let otherBrand = JobQuery(brandID: ConformanceJobTypes.brandB, recurring: true)
            #expect(try await store.listJobs(otherBrand).items.isEmpty)
            #expect(try await store.listJobs(JobQuery(status: .active, recurring: true)).items.count == 3)
        },
        ConformanceCase("list arguments are validated") { fixture in
            let store = fixture.store
            await expectError(.invalidArgument, field: "limit") { try await store.listJobs(JobQuery(limit: 0)) }
            await expectError(.invalidArgument, field: "limit") { try await store.listRuns(RunQuery(limit: -3)) }
            await expectError(.invalidArgument, field: "limit") { try await store.listRuns(RunQuery(limit: 1001)) }
            await expectError(.invalidArgument, field: "cursor") {
                try await store.listJobs(JobQuery(cursor: "garbage"))
            }
            await expectError(.invalidArgument, field: "parameter") {
                try await store.listRuns(RunQuery(parameter: ParameterFilter("x') OR 1=1 --", equals: .int(1))))
            }
            await expectError(.invalidArgument, field: "parameter") {
                try await store.listRuns(RunQuery(parameter: ParameterFilter("max_ads", equals: .array([]))))
            }
        },
        ConformanceCase("runs are listed with filters on job, type, state, brand and competitor") { fixture in
            let competitor = UUID()
            let scrape = try await fixture.enqueueScrape(competitor: competitor)
            let other = try await fixture.enqueueScrape(brand: ConformanceJobTypes.brandB)
            let noop = try await fixture.enqueue()
            let running = try await fixture.claimOne()
            let store = fixture.store
            let byCompetitor = RunQuery(
                parameter: ParameterFilter("competitor_id", equals: .string(competitor.uuidString.lowercased())))
            #expect(try await store.listRuns(byCompetitor).items.map(\.id) == [scrape.run?.id])
            #expect(try await store.listRuns(RunQuery(jobID: other.job.id)).items.map(\.id) == [other.run?.id])
            #expect(try await store.listRuns(RunQuery(jobType: "noop")).items.map(\.id) == [noop.run?.id])
            #expect(try await store.listRuns(RunQuery(states: [.running])).items.map(\.id) == [running.id])
            #expect(try await store.listRuns(RunQuery(states: [.queued, .running])).items.count == 3)
            #expect(
                try await store.listRuns(RunQuery(brandID: ConformanceJobTypes.brandB)).items.map(\.id) == [
                    other.run?.id
                ])
        },
    ]
}
