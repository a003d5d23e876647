import Foundation
import SluiceCore
import SluiceStore
import Testing

extension StoreFixture {
    /// Enqueues a job on the first store.
    @discardableResult
    func enqueue(
        _ jobType: String = "noop", brand: UUID = ConformanceJobTypes.brandA, _ parameters: JSONObject = [:],
        schedule: ScheduleRequest = .now, priority: Int? = nil
    ) async throws -> InsertedJob {
        try await store.insertJob(
            JobRequest(brandID: brand, jobType: jobType, parameters: parameters, schedule: schedule, priority: priority)
        )
    }

    /// Enqueues a scrape for a new competitor.
    @discardableResult
    func enqueueScrape(brand: UUID = ConformanceJobTypes.brandA, competitor: UUID = UUID()) async throws -> InsertedJob
    {
        try await enqueue("scrape", brand: brand, Self.scrapeParameters(competitor))
    }

    /// Valid scrape parameters for `competitor`.
    static func scrapeParameters(_ competitor: UUID) -> JSONObject {
        [
            "competitor_id": .string(competitor.uuidString),
            "ad_library_url": .string("https://www.facebook.com/ads/library/?view_all_page_id=123"),
        ]
    }

    /// `requests` validated against the conformance job types at the fixture's time, as a handler's follow-ups are.
    func validated(_ requests: [JobRequest]) throws -> [ValidatedJob] {
        try ConformanceJobTypes.registry.validate(requests, now: clock.now())
    }

    /// Claims from store `index`.
    func claim(
        _ jobTypes: [String] = ["noop"], limit: Int = 10, worker: String = "worker-1", queues: [String] = ["default"],
        lease: Duration = .seconds(30), store index: Int = 0
    ) async throws -> [Run] {
        try await stores[index].claimRuns(
            ClaimRequest(workerID: worker, queues: queues, jobTypes: jobTypes, limit: limit, leaseDuration: lease))
    }

    /// Claims exactly one run, failing the case otherwise.
    func claimOne(_ jobTypes: [String] = ["noop"], worker: String = "worker-1") async throws -> Run {
        let runs = try await claim(jobTypes, limit: 1, worker: worker)
        return try #require(runs.first)
    }

    /// The lease of a running run.
    func lease(of run: Run) throws -> RunLease {
        try #require(run.lease)
    }

    /// Every job of the first store (up to 1000).
    func allJobs() async throws -> [Job] {
        try await store.listJobs(JobQuery(limit: 1000)).items
    }
}

/// Expects `body` to throw a ``SluiceError`` with `code` (and `field`, when given).
func expectError<T>(
    _ code: SluiceError.Code, field: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> T
) async {
    do {
        _ = try await body()
        Issue.record("expected a \(code.rawValue) error, got success", sourceLocation: sourceLocation)
    } catch let error as SluiceError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        if let field { #expect(error.field == field, "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected a SluiceError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// `date` rounded to the stores' precision, for comparisons.
func stored(_ date: Date) -> Date { date.roundedToMicroseconds }
