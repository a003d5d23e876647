import Foundation
import SluiceCore
import SluiceStore
import Testing

/// The database that migration 9 (storage model v2) is tested on: one brand and 110 000 one-time `noop` jobs of
/// ``ConformanceJobTypes/brandA``, written with the migrations before 9, each with one run.
///
/// Runs 1–90 000 succeeded and 90 001–100 000 failed; 100 001–109 000 are queued, 109 001–109 500 retrying (due),
/// 109 501–110 000 running under a live lease of a worker that is still at work. Every odd run has a log line, and
/// the first 1 000 runs a dataset history entry.
public enum RunTablesMigrationFixture {
    /// All the fixture's runs.
    public static let runs: Int64 = 110_000
    /// The finished runs: 1...finished.
    public static let finished: Int64 = 100_000
    /// The runs a worker can claim after the migration: queued and retrying.
    public static let claimable = 9_500
    /// The running runs, held by a live lease.
    public static let running: Int64 = 500
    /// The log lines: one per odd run id.
    public static let logLines: Int64 = 55_000
    /// The dataset history entries.
    public static let datasetEntries: Int64 = 1_000
    /// The sum of every run id, to find a lost or duplicated run.
    public static let idSum: Int64 = runs * (runs + 1) / 2

    /// The state of run `id` in the fixture, as an SQL `CASE` over the column `i`.
    public static let stateCase = """
        CASE WHEN i <= 90000 THEN 'succeeded' WHEN i <= 100000 THEN 'failed' WHEN i <= 109000 THEN 'queued'
             WHEN i <= 109500 THEN 'retrying' ELSE 'running' END
        """

    /// Checks the upgraded jobs (migration 10): every fixture job keeps its `jobs` row, whose run has the same id, and
    /// is listed once; a new one-time job is stored as its run, under an id that neither a job nor a run had.
    public static func checkJobs(of store: any JobStore) async throws {
        let page = try await store.listJobs(JobQuery(limit: 3))
        #expect(page.items.map(\.id) == [runs, runs - 1, runs - 2])
        let first = try await store.job(id: 1)
        #expect(first.status == .finished && first.schedule.isRecurring == false)
        let next = try await store.insertJob(JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop"))
        #expect(next.job.id > runs && next.run?.id == next.job.id)
        let keyed = try await store.insertJob(
            JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop", uniqueKey: "after-upgrade"))
        let keyedRun = try #require(keyed.run?.id)
        #expect(keyed.job.id > next.job.id && keyedRun > keyed.job.id)
        #expect(try await store.listJobs(JobQuery(limit: 2)).items.map(\.id) == [keyed.job.id, next.job.id])
    }

    /// Claims and completes, in batches, every run `store` can claim now, as a worker of the new version does;
    /// returns how many it completed.
    public static func drain(_ store: any JobStore) async throws -> Int {
        var completed = 0
        while true {
            let claimed = try await store.claimRuns(
                ClaimRequest(workerID: "new-version", queues: ["default"], jobTypes: ["noop"], limit: 500))
            if claimed.isEmpty { return completed }
            let leases = claimed.compactMap(\.lease)
            completed += try await store.completeRuns(
                leases.map { CompletedRun(lease: $0, completion: RunCompletion(rowsWritten: 1)) }
            ).count
        }
    }
}
