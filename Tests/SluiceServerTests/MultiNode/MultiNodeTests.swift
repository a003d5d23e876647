import Foundation
import SluiceCore
import SluiceProbeJobs
import SluiceStore
import Testing

/// Several `sluice worker` processes on one PostgreSQL database: every run executed once, per-job-type concurrency
/// limits and shared rate limits held across the cluster, recurring ticks fired once while workers crash.
@Suite("Multi-node: sluice worker processes on one PostgreSQL")
struct MultiNodeTests {
    @Test(
        "two workers share the work; each run executes once; concurrency and rate limits hold cluster-wide",
        .timeLimit(.minutes(3)))
    func limitsHoldAcrossWorkers() async throws {
        try await ProbeCluster.with(workers: 2) { cluster in
            let rate = 20.0
            let burst = 5
            let configuredAt = LedgerEntry.now()
            try await cluster.client.configureRateLimiter(
                RateLimiterSettings(name: ProbeJobTypes.rateLimiter, ratePerSecond: rate, burst: burst))
            let sleeps = try await cluster.enqueue("probe_sleep", count: 200, sleepMilliseconds: 100)
            let limited = try await cluster.enqueue("probe_limited", count: 30, sleepMilliseconds: 100)
            let rated = try await cluster.enqueue("probe_rate", count: 60, sleepMilliseconds: 0)
            try await cluster.waitUntilSucceeded(sleeps + limited + rated)

            let attempts = cluster.attempts()
            for id in sleeps + limited + rated {
                let runAttempts = attempts[id] ?? []
                #expect(
                    runAttempts.count == 1 && runAttempts.first?.starts.count == 1 && runAttempts.first?.end != nil,
                    "run \(id): \(runAttempts)")
            }
            let workers = Set((sleeps + limited + rated).compactMap { attempts[$0]?.first?.worker })
            #expect(workers.count == 2, "both workers ran some: \(workers)")

            // The most probe_limited runs that overlapped in time: the limit, never more.
            let intervals = limited.compactMap { id -> (UInt64, UInt64)? in
                guard let attempt = attempts[id]?.first, let start = attempt.starts.first, let end = attempt.end
                else { return nil }
                return (start, end)
            }
            let overlap = Self.maximumOverlap(intervals)
            #expect(overlap <= ProbeJobTypes.concurrencyLimit, "\(overlap) ran at once")
            #expect(overlap >= 2, "the limit was never approached (\(overlap)): the test proves nothing")

            // The limit across both processes: by the time the k-th token's run started, the bucket cannot have
            // given more than its burst plus `rate` per second since it was configured (a start written late only
            // adds margin).
            let starts = rated.compactMap { attempts[$0]?.first?.starts.first }.sorted()
            #expect(starts.count == rated.count)
            for (index, start) in starts.enumerated() {
                let allowed = Double(burst) + rate * Double(start - configuredAt) / 1e9
                #expect(Double(index + 1) <= allowed + 1, "token \(index) came before the limiter allowed it")
            }
        }
    }

    @Test(
        "recurring jobs fire once per tick while workers are killed and restarted every few seconds",
        .timeLimit(.minutes(5)))
    func recurringTicksSurviveCrashes() async throws {
        try await ProbeCluster.with(workers: 2) { cluster in
            // Enqueue well clear of a minute's end, so that the five jobs share their first tick.
            while Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60) > 55 {
                try await Task.sleep(for: .milliseconds(500))
            }
            var jobs: [Int64] = []
            var firstTicks: Set<Date> = []
            for _ in 0..<5 {
                let inserted = try await cluster.client.enqueue(
                    JobRequest(
                        brandID: cluster.brand.id, jobType: "probe_sleep",
                        parameters: ["sleep_ms": 50, "ledger": .string(cluster.ledger)],
                        schedule: .cron("* * * * *", timeZone: "UTC")))
                jobs.append(inserted.job.id)
                firstTicks.insert(try #require(inserted.run?.fireTime))
            }
            // Two ticks, while a worker is killed and another started every 4 s.
            #expect(firstTicks.count == 1, "the jobs' first ticks: \(firstTicks)")
            let firstTick = try #require(firstTicks.min())
            let ticks = [firstTick, firstTick.addingTimeInterval(60)]
            let churnUntil = ticks[1].addingTimeInterval(2)
            var kills = 0
            while Date() < churnUntil {
                try await Task.sleep(for: .seconds(4))
                await cluster.killOldest()
                kills += 1
                try await cluster.startWorker()
            }
            var runs: [Run] = []
            try await Self.eventually(timeout: .seconds(60)) {
                runs = try await cluster.client.runs(RunQuery(jobType: "probe_sleep", limit: 1000)).items
                    .filter { ($0.fireTime ?? .distantFuture) <= ticks[1] }
                return runs.count == jobs.count * ticks.count && runs.allSatisfy { $0.state == .succeeded }
            }
            for job in jobs {
                let fired = runs.filter { $0.jobID == job }.compactMap(\.fireTime).sorted()
                #expect(fired == ticks, "job \(job) fired at \(fired)")
            }
            // Every run executed; no attempt started twice; an attempt that ended did so before the next one started
            // (one without an end was killed, and the next comes only after its lease expired).
            let attempts = cluster.attempts()
            for run in runs {
                let runAttempts = (attempts[run.id] ?? []).sorted { ($0.starts.first ?? 0) < ($1.starts.first ?? 0) }
                #expect(!runAttempts.isEmpty && runAttempts.allSatisfy { $0.starts.count == 1 }, "run \(run.id)")
                #expect(runAttempts.last?.end != nil, "run \(run.id)'s last attempt never ended")
                for (earlier, later) in zip(runAttempts, runAttempts.dropFirst()) {
                    if let end = earlier.end {
                        #expect(end <= (later.starts.first ?? 0), "run \(run.id) ran two attempts at once")
                    }
                }
            }
            #expect(kills >= 5, "only \(kills) workers were killed")
        }
    }

    /// The largest number of `intervals` that contain one instant.
    static func maximumOverlap(_ intervals: [(UInt64, UInt64)]) -> Int {
        var events: [(at: UInt64, change: Int)] = []
        for (start, end) in intervals {
            events.append((start, 1))
            events.append((end, -1))
        }
        // At one instant an end comes before a start: back-to-back runs do not overlap.
        events.sort { $0.at == $1.at ? $0.change < $1.change : $0.at < $1.at }
        var current = 0
        var most = 0
        for (_, change) in events {
            current += change
            most = max(most, current)
        }
        return most
    }

    /// Polls `condition` until it holds, or fails after `timeout`.
    static func eventually(timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw ProbeClusterError("not done within \(timeout)") }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
