import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Synchronization
import Testing

@Suite("Worker")
struct WorkerTests {
    static func handlers(probe: ConcurrencyProbe = ConcurrencyProbe()) -> HandlerRegistry {
        var handlers = HandlerRegistry()
        handlers.register("echo") { context in
            let count = try context.parameters.int("count")
            for index in 0..<count {
                context.log("line \(index) of \(try context.parameters.string("message"))")
                context.progress(Double(index + 1) / Double(max(count, 1)), "echoed \(index + 1)")
            }
            if try context.parameters.string("message") == "chain" {
                try context.enqueue(
                    JobRequest(brandID: context.run.brandID, jobType: "echo", parameters: ["count": .int(1)]))
            }
            if try context.parameters.string("message") == "bad chain" {
                for request in [
                    JobRequest(brandID: context.run.brandID, jobType: "echo", parameters: ["count": .int(1000)]),
                    JobRequest(brandID: UUID(), jobType: "echo"),
                ] {
                    do {
                        try context.enqueue(request)
                    } catch {
                        let refusal = error as? SluiceError
                        let problems = refusal?.problems.map(\.field) ?? []
                        let fields = problems.isEmpty ? [refusal?.field ?? ""] : problems
                        context.log("follow-up refused: \(fields)")
                    }
                }
            }
            return JobOutcome(result: ["echoed": .int(Int64(count))], rowsWritten: Int64(count))
        }
        handlers.register("flaky") { context in
            context.log("attempt \(context.run.attempt), fencing token \(context.fencingToken)", level: .error)
            try context.enqueue(JobRequest(brandID: context.run.brandID, jobType: "gated"))
            throw FlakyError()
        }
        handlers.register("slow") { _ in
            try await Task.sleep(for: .seconds(60))
            return JobOutcome()
        }
        handlers.register("blocking") { context in
            probe.enter()
            defer { probe.leave() }
            while true {
                try context.checkCancellation()
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        handlers.register("gated") { _ in
            probe.enter()
            defer { probe.leave() }
            try await Task.sleep(for: .milliseconds(150))
            return JobOutcome()
        }
        handlers.register("quick") { _ in
            probe.enter()
            defer { probe.leave() }
            await Task.yield()
            return JobOutcome()
        }
        return handlers
    }

    struct FlakyError: Error, CustomStringConvertible {
        var description: String { "the flaky service answered 503" }
    }

    static func worker(
        _ store: any JobStore, events: WorkerEventLog = WorkerEventLog(), probe: ConcurrencyProbe = ConcurrencyProbe(),
        concurrency: Int = 4, grace: Duration = .seconds(10)
    ) throws -> Worker {
        try Worker(
            store: store, registry: EngineFixture.registry, handlers: handlers(probe: probe),
            configuration: EngineFixture.workerConfiguration(concurrency: concurrency, grace: grace),
            logger: EngineFixture.quietLogger, observer: events.observer)
    }

    @Test(
        "a queued job runs: validated parameters, logs, progress, result, dataset freshness",
        arguments: TestBackend.allCases)
    func runsAJob(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let client = SluiceClient(store: store, registry: EngineFixture.registry, datasets: EngineFixture.datasets)
            let brand = try await client.createBrand(name: "Echo Roasters").id
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, events: events)]) {
                let inserted = try await client.enqueue(
                    JobRequest(brandID: brand, jobType: "echo", parameters: ["message": .string("ads")]))
                #expect(try await events.ended(inserted.run!.id) == (.succeeded, true))
                let run = try await store.run(id: inserted.run!.id)
                #expect(run.state == .succeeded)
                #expect(run.result == ["echoed": .int(3)] && run.rowsWritten == 3 && run.attempt == 1)
                #expect(run.progress == 1)
                let logs = try await client.logs(runID: run.id)
                #expect(logs.map(\.message) == ["line 0 of ads", "line 1 of ads", "line 2 of ads"])
                #expect(try await client.logSummary(runID: run.id).lines == 3)
                // The store records the refresh in the transaction that records the run's success.
                let freshness = try await client.freshness(brandID: brand)
                #expect(freshness.map(\.dataset.name) == ["echoes", "flakes"])
                #expect(freshness.map(\.state) == [.fresh, .unknown] && freshness[0].record?.rowsWritten == 3)
                #expect(try await client.job(id: inserted.job.id).status == .finished)
            }
        }
    }

    @Test(
        "direct mode runs a job in the calling process and returns it finished, recorded like any run",
        arguments: TestBackend.allCases)
    func runsDirectly(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let client = SluiceClient(store: store, registry: EngineFixture.registry, datasets: EngineFixture.datasets)
            let brand = try await client.createBrand(name: "Echo Roasters").id
            let worker = try Self.worker(store)  // not started: nothing else claims
            let run = try await client.runDirectly(
                JobRequest(brandID: brand, jobType: "echo", parameters: ["message": .string("now")]),
                with: worker)
            #expect(run.state == .succeeded && run.attempt == 1 && run.result == ["echoed": .int(3)])
            #expect(try await client.logs(runID: run.id).map(\.message).first == "line 0 of now")
            #expect(try await client.freshness(brandID: brand).first?.state == .fresh)
            let failed = try await client.runDirectly(
                JobRequest(brandID: brand, jobType: "flaky"), with: worker)
            #expect(failed.state == .retrying && failed.error == "the flaky service answered 503")
            let later = try await #require(throws: SluiceError.self) {
                try await client.runDirectly(
                    JobRequest(
                        brandID: brand, jobType: "echo", schedule: .at(Date().addingTimeInterval(60))),
                    with: worker)
            }
            #expect(later.field == "schedule")
            let unhandled = try await #require(throws: SluiceError.self) {
                try await client.runDirectly(JobRequest(brandID: brand, jobType: "metered"), with: worker)
            }
            #expect(unhandled.code == .unknownJobType)
            #expect(try await store.listJobs(JobQuery(jobType: "metered")).items.isEmpty, "nothing was enqueued")
            #expect(try await client.workers().isEmpty, "a direct run leaves no worker behind")
        }
    }

    @Test(
        "a handler's follow-up job is enqueued with its success, and never by a failed attempt",
        arguments: TestBackend.allCases)
    func chainsFollowUps(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, events: events)]) {
                let chaining = try await store.insertJob(
                    JobRequest(brandID: EngineFixture.brand, jobType: "echo", parameters: ["message": .string("chain")])
                )
                #expect(try await events.ended(chaining.run!.id) == (.succeeded, true))
                // The follow-up was created in the transaction that recorded the success.
                let followUp = try #require(
                    try await store.listJobs(JobQuery(jobType: "echo")).items.first { $0.id != chaining.job.id })
                #expect(followUp.parameters["count"] == .int(1))
                // An invalid follow-up is refused where the handler enqueues it, so the handler can react.
                let refusing = try await store.insertJob(
                    JobRequest(
                        brandID: EngineFixture.brand, jobType: "echo", parameters: ["message": .string("bad chain")]))
                #expect(try await events.ended(refusing.run!.id) == (.succeeded, true))
                let lines = try await store.logs(LogQuery(runID: refusing.run!.id)).map(\.message)
                #expect(
                    lines.contains(#"follow-up refused: ["parameters.count"]"#)
                        && lines.contains(#"follow-up refused: ["brand_id"]"#), "\(lines)")
                #expect(try await store.listJobs(JobQuery(jobType: "echo")).items.count == 3)
                let failing = try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "flaky"))
                #expect(try await events.ended(failing.run!.id, attempt: 3) == (.failed, true))
                #expect(try await store.run(id: failing.run!.id).state == .failed)
                #expect(try await store.listJobs(JobQuery(jobType: "gated")).items.isEmpty)
            }
        }
    }

    @Test("a failing job is retried with backoff, then fails terminally", arguments: TestBackend.allCases)
    func retriesThenFails(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, events: events)]) {
                let inserted = try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "flaky"))
                #expect(try await events.ended(inserted.run!.id, attempt: 3) == (.failed, true))
                let run = try await store.run(id: inserted.run!.id)
                #expect(run.state == .failed && run.attempt == 3 && run.error == "the flaky service answered 503")
                let logs = try await store.logs(LogQuery(runID: run.id))
                // Each attempt's line, then the line the worker adds saying why the attempt failed.
                #expect(logs.map(\.attempt) == [1, 1, 2, 2, 3, 3])
                #expect(logs.filter { $0.message == "failed: the flaky service answered 503" }.count == 3)
                // The summary the runs tables show ends with why the run failed, not with its last step.
                let summary = try await store.logSummary(runID: run.id)
                #expect(summary.lastMessage == "failed: the flaky service answered 503" && summary.lines == 6)
                // Each execution gets its own fencing token for its own writes.
                #expect(
                    logs.filter { $0.message.hasPrefix("attempt") }.map(\.message)
                        == (1...3).map { "attempt \($0), fencing token \($0)" })
                let record = try await store.datasetRecord(brandID: EngineFixture.brand, dataset: "flakes")
                #expect(record?.lastError == "the flaky service answered 503" && record?.lastSuccessAt == nil)
            }
        }
    }

    @Test("a run past its job type's timeout is cancelled and ends timed_out", arguments: TestBackend.allCases)
    func timesOut(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, events: events)]) {
                let inserted = try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "slow"))
                #expect(try await events.ended(inserted.run!.id, attempt: 2) == (.timedOut, true))
                let run = try await store.run(id: inserted.run!.id)
                #expect(run.state == .timedOut && run.attempt == 2 && run.error?.contains("timed out") == true)
            }
        }
    }

    @Test("cancelling a running run from another node stops its handler", arguments: TestBackend.allCases)
    func cancelsFromAnotherNode(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend, stores: 2) { stores in
            let probe = ConcurrencyProbe()
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(stores[0], events: events, probe: probe)]) {
                let inserted = try await stores[1].insertJob(
                    JobRequest(brandID: EngineFixture.brand, jobType: "blocking"))
                try await events.started(inserted.run!.id)
                _ = try await stores[1].cancelRun(id: inserted.run!.id)
                #expect(try await events.ended(inserted.run!.id) == (.cancelled, true))
                let run = try await stores[1].run(id: inserted.run!.id)
                #expect(run.state == .cancelled && run.finishedAt != nil)
                // The worker reports the end once the handler's task has returned.
                #expect(probe.current == 0 && probe.started == 1)
            }
        }
    }

    @Test("a worker runs at most its concurrency at once", arguments: TestBackend.allCases)
    func respectsConcurrency(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let probe = ConcurrencyProbe()
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, events: events, probe: probe, concurrency: 3)])
            {
                let inserted = try await store.insertJobs(
                    (0..<10).map { _ in JobRequest(brandID: EngineFixture.brand, jobType: "gated") })
                for job in inserted { #expect(try await events.ended(job.run!.id) == (.succeeded, true)) }
                #expect(probe.peak == 3 && probe.started == 10)
            }
        }
    }

    @Test(
        "a worker that claims alongside its completions runs every run once, never more than its concurrency at once",
        arguments: TestBackend.allCases)
    func claimsAlongsideCompletions(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let probe = ConcurrencyProbe()
            let events = WorkerEventLog()
            try await EngineFixture.withServices([try Self.worker(store, events: events, probe: probe, concurrency: 4)])
            {
                let inserted = try await store.insertJobs(
                    (0..<300).map { _ in JobRequest(brandID: EngineFixture.brand, jobType: "quick") })
                for job in inserted { #expect(try await events.ended(job.run!.id) == (.succeeded, true)) }
                #expect(probe.peak <= 4 && probe.started == 300)
            }
            let runs = try await store.listRuns(RunQuery(jobType: "quick", limit: 500)).items
            #expect(runs.count == 300 && runs.allSatisfy { $0.state == .succeeded && $0.attempt == 1 })
        }
    }

    @Test(
        "graceful shutdown releases unfinished runs at once, and another worker takes them",
        arguments: TestBackend.allCases)
    func gracefulShutdownReleases(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let events = WorkerEventLog()
            let worker = try Self.worker(store, events: events, grace: .milliseconds(300))
            let inserted = try await EngineFixture.withServices([worker]) {
                let inserted = try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "blocking"))
                try await events.started(inserted.run!.id)
                return inserted
            }
            #expect(try await events.ended(inserted.run!.id, timeout: .zero) == (.released, true))
            let released = try await store.run(id: inserted.run!.id)
            #expect(released.state == .queued && released.attempt == 0 && released.workerID == nil)
            #expect(try await store.workers(seenSince: .distantPast).isEmpty)
            let probe = ConcurrencyProbe()
            let taker = WorkerEventLog()
            try await EngineFixture.withServices([
                try Self.worker(store, events: taker, probe: probe, grace: .milliseconds(300))
            ]) {
                try await taker.started(inserted.run!.id, attempt: 1)
                try await EngineFixture.eventually { probe.started == 1 ? true : nil }
            }
            #expect(try await taker.ended(inserted.run!.id, timeout: .zero) == (.released, true))
        }
    }
}
