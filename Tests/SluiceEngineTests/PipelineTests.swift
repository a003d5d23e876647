import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Synchronization
import Testing

@Suite("Pipeline: freshness, auto-refresh, alerts")
struct PipelineTests {
    /// 2026-01-01T00:00:00Z, 01:00 in Berlin.
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    static func withManualClock<T: Sendable>(
        _ backend: TestBackend, stores: Int = 1, _ body: @Sendable ([any JobStore], ManualWallClock) async throws -> T
    ) async throws -> T {
        let clock = ManualWallClock(start)
        let configuration = StoreConfiguration(registry: EngineFixture.registry, clock: clock)
        return try await backend.withDatabase(stores: stores, configuration: configuration) { database in
            try await EngineFixture.createBrand(in: database.stores[0])
            return try await body(database.stores, clock)
        }
    }

    static func worker(
        _ store: any JobStore, clock: any WallClock, events: WorkerEventLog = WorkerEventLog()
    ) throws -> Worker {
        try Worker(
            store: store, registry: EngineFixture.registry, handlers: WorkerTests.handlers(),
            configuration: EngineFixture.workerConfiguration(), clock: clock, logger: EngineFixture.quietLogger,
            observer: events.observer)
    }

    @Test(
        "freshness follows time, a brand's cron deadline, failures and running producers; history records refreshes",
        arguments: TestBackend.allCases)
    func freshnessOverTime(backend: TestBackend) async throws {
        try await Self.withManualClock(backend) { stores, clock in
            let store = stores[0]
            let client = SluiceClient(
                store: store, registry: EngineFixture.registry, datasets: EngineFixture.datasets, clock: clock)
            let brand = try await client.createBrand(name: "Echo Roasters").id
            @Sendable func state(_ dataset: String) async throws -> FreshnessState? {
                try await client.freshness(brandID: brand).first { $0.dataset.name == dataset }?.state
            }
            #expect(try await state("echoes") == .unknown)
            // A running producer makes it refreshing.
            let pending = try await client.enqueue(JobRequest(brandID: brand, jobType: "echo"))
            let claimed = try await store.claimRuns(ClaimRequest(workerID: "probe", jobTypes: ["echo"], limit: 1))
            #expect(try await state("echoes") == .refreshing)
            _ = try await store.releaseRun(try #require(claimed.first?.lease))
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, clock: clock, events: events)]) {
                let ending = try await events.ended(pending.run!.id)
                #expect(ending == (.succeeded, true))
            }
            let echoes = try #require(try await client.freshness(brandID: brand).first { $0.dataset.name == "echoes" })
            #expect(echoes.state == .fresh && echoes.record?.rowsWritten == 3)
            #expect(echoes.record?.lastSuccessAt == Self.start)
            clock.advance(by: .seconds(3601))
            #expect(try await state("echoes") == .stale)
            // Berlin wants it refreshed between 09:00 and 10:00 (08:00-09:00Z); it was refreshed at 00:00Z.
            let deadline = FreshnessPolicy(
                deadline: try CronDeadline(cron: "0 10 * * *", timeZone: "Europe/Berlin", lookback: .seconds(3600)))
            try await client.saveDatasetOverride(DatasetOverride(brandID: brand, dataset: "echoes", policy: deadline))
            #expect(try await state("echoes") == .fresh)  // 01:00Z: yesterday's deadline was met
            clock.set(Self.start.addingTimeInterval(8.5 * 3600))
            #expect(try await state("echoes") == .stale)  // 08:30Z: due, not yet refreshed
            clock.set(Self.start.addingTimeInterval(9 * 3600 + 60))
            #expect(try await state("echoes") == .failing)  // 09:01Z: the deadline passed
            #expect(try await client.freshness(brandID: brand).first?.policy == deadline)
            // A producer that fails terminally makes its dataset failing. Its retries become due when the clock is
            // moved, which happens only while it waits (moving it while it runs would expire its lease).
            try await EngineFixture.withServices([try Self.worker(store, clock: clock, events: events)]) {
                let failing = try await client.enqueue(JobRequest(brandID: brand, jobType: "flaky"))
                for attempt in 1...3 {
                    try await events.ended(failing.run!.id, attempt: attempt)
                    if attempt < 3 {
                        #expect(try await store.run(id: failing.run!.id).state == .retrying)
                        clock.advance(by: .seconds(1))
                    }
                }
                #expect(try await store.run(id: failing.run!.id).state == .failed)
                #expect(try await state("flakes") == .failing)
            }
            let history = try await client.datasetHistory(DatasetHistoryQuery(brandID: brand, dataset: "flakes"))
            #expect(history.map(\.outcome) == [.failed] && history[0].error == "the flaky service answered 503")
            #expect(history[0].runID == (try await store.listRuns(RunQuery(jobType: "flaky"))).items[0].id)
            let echoHistory = try await client.datasetHistory(DatasetHistoryQuery(brandID: brand, dataset: "echoes"))
            #expect(echoHistory.map(\.rowsWritten) == [3] && echoHistory[0].runID == pending.run!.id)
            await #expect(throws: SluiceError.self) {
                try await client.datasetHistory(DatasetHistoryQuery(brandID: brand, dataset: "unknown_set"))
            }
        }
    }

    @Test("the freshness of every brand includes brands never refreshed, as unknown", arguments: TestBackend.allCases)
    func everyBrand(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let client = SluiceClient(
                store: stores[0], registry: EngineFixture.registry, datasets: EngineFixture.datasets)
            let brand = try await stores[0].createBrand(name: "New brand")
            let all = try await client.freshness()
            #expect(all.filter { $0.brandID == brand.id }.map(\.state) == [.unknown, .unknown])
        }
    }

    @Test("saved auto-refresh parameters must pass the producer's schema", arguments: TestBackend.allCases)
    func overrideValidation(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let client = SluiceClient(
                store: stores[0], registry: EngineFixture.registry, datasets: EngineFixture.datasets)
            let error = try await #require(throws: SluiceError.self) {
                try await client.saveDatasetOverride(
                    DatasetOverride(
                        brandID: EngineFixture.brand, dataset: "echoes", autoRefresh: true,
                        parameters: ["count": .int(1000)]))
            }
            #expect(error.code == .invalidParameters)
            let unknown = try await #require(throws: SluiceError.self) {
                try await client.saveDatasetOverride(DatasetOverride(brandID: EngineFixture.brand, dataset: "nope"))
            }
            #expect(unknown.code == .notFound && unknown.field == "dataset")
            #expect(try await stores[0].datasetOverrides(brandID: nil).isEmpty)
        }
    }

    @Test(
        "auto-refresh enqueues the producer exactly once from two nodes at once, and again once it is stale",
        arguments: TestBackend.allCases)
    func autoRefresh(backend: TestBackend) async throws {
        try await Self.withManualClock(backend, stores: 2) { stores, clock in
            let brand = EngineFixture.brand
            let other = try await stores[0].createBrand(name: "Other").id
            let client = SluiceClient(
                store: stores[0], registry: EngineFixture.registry, datasets: EngineFixture.datasets, clock: clock)
            try await client.saveDatasetOverride(
                DatasetOverride(
                    brandID: brand, dataset: "echoes", autoRefresh: true, parameters: ["message": .string("auto")]))
            // Opted in, but with no saved parameters: nothing to enqueue.
            try await client.saveDatasetOverride(DatasetOverride(brandID: other, dataset: "echoes", autoRefresh: true))
            let nodes = stores.map {
                DatasetFreshnessService(
                    store: $0, datasets: EngineFixture.datasets, clock: clock, logger: EngineFixture.quietLogger)
            }
            @Sendable func passOnEveryNode() async throws -> [Job] {
                try await withThrowingTaskGroup(of: [Job].self) { group in
                    for _ in 0..<5 { for node in nodes { group.addTask { try await node.checkOnce() } } }
                    return try await group.reduce([], +)
                }
            }
            let first = try await passOnEveryNode()
            #expect(first.count == 1 && first[0].parameters["message"] == .string("auto"))
            let echoJobs = try await stores[0].listJobs(JobQuery(jobType: "echo")).items
            #expect(echoJobs.count == 1 && echoJobs[0].brandID == brand)
            // Pending: never a second one.
            #expect(try await passOnEveryNode().isEmpty)
            // The refresh runs and succeeds: fresh, nothing to do.
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(stores[1], clock: clock, events: events)]) {
                let run = try #require(try await stores[0].listRuns(RunQuery(jobType: "echo")).items.first)
                #expect(try await events.ended(run.id) == (.succeeded, true))
                #expect(try await client.freshness(brandID: brand).first?.state == .fresh)
            }
            #expect(try await passOnEveryNode().isEmpty)
            clock.advance(by: .seconds(3601))
            let second = try await passOnEveryNode()
            #expect(second.count == 1)
            #expect(try await stores[0].listJobs(JobQuery(jobType: "echo")).items.count == 2)
        }
    }

    @Test(
        "a terminal failure and a failing dataset raise one alert each for the brand's webhooks",
        arguments: TestBackend.allCases)
    func alerts(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let client = SluiceClient(store: store, registry: EngineFixture.registry, datasets: EngineFixture.datasets)
            let brand = try await client.createBrand(name: "Echo Roasters").id
            let hook = try await client.createWebhook(
                WebhookRequest(brandID: brand, url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef")
            )
            let freshness = DatasetFreshnessService(
                store: store, datasets: EngineFixture.datasets, logger: EngineFixture.quietLogger)
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try WorkerTests.worker(store, events: events)]) {
                let failing = try await client.enqueue(JobRequest(brandID: brand, jobType: "flaky"))
                let run = try await events.settled(failing.run!.id, in: store)
                #expect(run.state == .failed)
                // Raised by the transaction that failed the run.
                let deliveries = try await client.deliveries(webhookID: hook.id)
                #expect(deliveries.map(\.kind) == [.runFailed])
                #expect(deliveries[0].eventKey == "run.failed:\(run.id):3")
                let body = try JSONCoding.decodeObject(deliveries[0].body)
                guard case .object(let data) = body["data"] else { throw SluiceError(.notFound, "no data") }
                #expect(
                    data["error"] == .string("the flaky service answered 503") && data["state"] == .string("failed"))
                let flakes = try await client.freshness(brandID: brand).first {
                    $0.dataset.name == "flakes"
                }
                #expect(flakes?.state == .failing)
            }
            try await freshness.checkOnce()
            try await freshness.checkOnce()
            let kinds = try await client.deliveries(webhookID: hook.id).map(\.kind)
            #expect(kinds == [.datasetFailing, .runFailed])
        }
    }

    @Test(
        "a rate limiter shared by two workers never exceeds its rate and reaches it (measured)",
        arguments: TestBackend.allCases)
    func sharedRateLimit(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend, stores: 2) { stores in
            // A burst of 20 is five seconds of tokens: a waiter that a loaded machine wakes late finds the tokens
            // it missed still in the bucket, so the measured rate is the limiter's, not the scheduler's. The rate is
            // low enough that eight callers outrun it even on a machine busy with the rest of the suite.
            let rate = 4.0
            let burst = 20
            let configuredAt = ContinuousClock.now
            try await stores[0].configureRateLimiter(
                RateLimiterSettings(name: "shared", ratePerSecond: rate, burst: burst))
            let grants = Mutex<[(ContinuousClock.Instant, String)]>([])
            let progress = Mutex<[String]>([])
            var handlers = HandlerRegistry()
            handlers.register("metered") { context in
                for _ in 0..<(try context.parameters.int("calls")) {
                    try await context.acquireToken("shared")
                    let worker = context.run.workerID ?? "?"
                    grants.withLock { $0.append((ContinuousClock.now, worker)) }
                }
                return JobOutcome()
            }
            let events = WorkerEventLog()  // one log for both workers
            let workers = try stores.enumerated().map { index, store in
                try Worker(
                    store: store, registry: EngineFixture.registry, handlers: handlers,
                    configuration: EngineFixture.workerConfiguration("limited-\(index)", concurrency: 4),
                    logger: EngineFixture.quietLogger, observer: events.observer)
            }
            try await EngineFixture.withServices(workers) {
                let jobs = try await stores[0].insertJobs(
                    (0..<8).map { _ in
                        JobRequest(brandID: EngineFixture.brand, jobType: "metered", parameters: ["calls": .int(8)])
                    })
                // Progress reaches the database with each heartbeat: every run is sampled while they all run, so a
                // wait reported for any of them is seen even when the machine is slow.
                let runIDs = jobs.compactMap { $0.run?.id }
                let store = stores[0]
                let sampler = Task {
                    var seen: [String] = []
                    while !Task.isCancelled {
                        for id in runIDs {
                            if let message = try? await store.run(id: id).progressMessage { seen.append(message) }
                        }
                        try? await Task.sleep(for: .milliseconds(10))
                    }
                    return seen
                }
                defer { sampler.cancel() }
                for job in jobs {
                    #expect(try await events.settled(job.run!.id, in: stores[0]).state == .succeeded)
                }
                sampler.cancel()
                let sampled = await sampler.value
                progress.withLock { $0 += sampled }
            }
            let recorded = grants.withLock { $0 }.sorted { $0.0 < $1.0 }
            #expect(recorded.count == 64)
            #expect(Set(recorded.map(\.1)).count == 2, "both workers took tokens")
            // The limit is never exceeded: by the time grant k is seen, the bucket cannot have given more than its
            // burst plus `rate` per second since it was configured (delays on a loaded machine only add margin).
            for (index, grant) in recorded.enumerated() {
                let allowed = Double(burst) + rate * (grant.0 - configuredAt).seconds
                #expect(Double(index + 1) <= allowed + 1, "grant \(index) exceeded the limit")
            }
            // And it is reached: after the initial burst, grants come at `rate`. A stall of the machine delays
            // waiters but not tokens (the bucket keeps up to five seconds of them); the last 8 grants are left out,
            // so that waiters woken late as the jobs end do not count against the limiter. At 20 tokens/s the whole
            // suite on two cores once held PostgreSQL callers to 10.6/s; at 4/s the callers outrun the limiter with
            // room to spare, so the floor here is 80 %. The ceiling is the exact check above, counted from the
            // moment the limiter was configured: measured from the first grant instead, a first grant delayed by a
            // loaded machine lets the tokens saved meanwhile come faster than `rate` (CI once measured 4.64/s for 4).
            let last = recorded.count - 9
            let measured = Double(last - burst) / (recorded[last].0 - recorded[0].0).seconds
            #expect(measured >= rate * 0.80, "measured \(measured) tokens/s for a limit of \(rate)")
            #expect(
                progress.withLock { $0 }.contains { $0.hasPrefix("waiting for rate limit shared") },
                "the wait shows in the run's progress message")
        }
    }

    @Test(
        "a run that would wait long for a rate-limit token frees its slot until its turn, its attempt not counted",
        arguments: TestBackend.allCases)
    func rateLimitDeferralFreesTheSlot(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            // One token now, the next in an hour: the second run's wait is far beyond the 100 ms it would hold.
            try await store.configureRateLimiter(
                RateLimiterSettings(name: "renders", ratePerSecond: 1.0 / 3600, burst: 1))
            let order = Mutex<[String]>([])
            var handlers = HandlerRegistry()
            handlers.register("metered") { context in
                try await context.acquireToken("renders", releasingSlotAfter: .milliseconds(100))
                order.withLock { $0.append("metered \(context.run.id)") }
                return JobOutcome()
            }
            handlers.register("quick") { context in
                order.withLock { $0.append("quick \(context.run.id)") }
                return JobOutcome()
            }
            let events = WorkerEventLog()
            let worker = try Worker(
                store: store, registry: EngineFixture.registry, handlers: handlers,
                configuration: EngineFixture.workerConfiguration(concurrency: 1), logger: EngineFixture.quietLogger,
                observer: events.observer)
            try await EngineFixture.withServices([worker]) {
                let metered = try await store.insertJobs(
                    (0..<2).map { _ in JobRequest(brandID: EngineFixture.brand, jobType: "metered") }
                ).compactMap(\.run?.id)
                #expect(try await events.ended(metered[0]) == (.succeeded, true))
                #expect(try await events.ended(metered[1]) == (.deferred, true))
                let waiting = try await store.run(id: metered[1])
                #expect(waiting.state == .queued && waiting.attempt == 0)
                #expect(waiting.progressMessage?.hasPrefix("waiting for rate limit renders") == true)
                // The one slot is free meanwhile: a run queued after the deferral runs before the deferred one.
                let quick = try #require(
                    try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "quick")).run?.id)
                #expect(try await events.ended(quick) == (.succeeded, true))
                // Its turn is an hour away: with tokens plentiful again, an operator runs it now.
                try await store.configureRateLimiter(
                    RateLimiterSettings(name: "renders", ratePerSecond: 1000, burst: 10))
                #expect(waiting.scheduledAt.timeIntervalSinceNow > 3000)
                _ = try await store.runJobNow(id: waiting.jobID)
                let done = try await EngineFixture.eventually {
                    let run = try await store.run(id: metered[1])
                    return run.state == .succeeded ? run : nil
                }
                #expect(done.attempt == 1)
                #expect(order.withLock { $0 } == ["metered \(metered[0])", "quick \(quick)", "metered \(metered[1])"])
                let log = try await store.logs(LogQuery(runID: metered[1])).map(\.message)
                #expect(log.contains { $0.hasPrefix("waiting for rate limit renders: worker slot released until") })
            }
        }
    }
}
