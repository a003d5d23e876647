import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("Scheduler, rescuer and pruner")
struct MaintenanceServiceTests {
    @Test("the scheduler creates each tick's run once while two nodes schedule", arguments: TestBackend.allCases)
    func schedulesTicks(backend: TestBackend) async throws {
        let clock = ManualWallClock(Date(timeIntervalSince1970: 1_767_225_600))
        let configuration = StoreConfiguration(registry: EngineFixture.registry, clock: clock)
        try await backend.withDatabase(stores: 2, configuration: configuration) { database in
            let stores = database.stores
            try await EngineFixture.createBrand(in: stores[0])
            let job = try await stores[0].insertJob(
                JobRequest(
                    brandID: EngineFixture.brand, jobType: "echo", schedule: .cron("*/10 * * * *", timeZone: "UTC")))
            let schedulers = stores.map {
                Scheduler(
                    store: $0, configuration: Scheduler.Configuration(interval: .milliseconds(20)),
                    logger: EngineFixture.quietLogger)
            }
            try await EngineFixture.withServices(schedulers) {
                // The 00:10 tick got its run when the job was inserted; 00:20, 00:30 and 00:40 come from the schedulers.
                clock.advance(by: .seconds(600))  // 00:10
                for minutes in [20, 30, 40] {
                    clock.advance(by: .seconds(600))
                    try await EngineFixture.eventually {
                        let runs = try await stores[0].listRuns(RunQuery(jobID: job.job.id)).items
                        return runs.count == minutes / 10 ? true : nil
                    }
                }
            }
            let runs = try await stores[0].listRuns(RunQuery(jobID: job.job.id)).items
            #expect(Set(runs.compactMap(\.fireTime)).count == 4)
        }
    }

    @Test("the rescuer returns a dead worker's run, and a live worker finishes it", arguments: TestBackend.allCases)
    func rescuesDeadWorkersRuns(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            let inserted = try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "echo"))
            let claimed = try await store.claimRuns(
                ClaimRequest(workerID: "dead-worker", jobTypes: ["echo"], limit: 1, leaseDuration: .milliseconds(300)))
            #expect(claimed.map(\.id) == [inserted.run!.id])
            let events = WorkerEventLog()
            let worker = try WorkerTests.worker(store, events: events)
            let rescuer = Rescuer(
                store: store, configuration: Rescuer.Configuration(interval: .milliseconds(50)),
                logger: EngineFixture.quietLogger)
            try await EngineFixture.withServices([worker, rescuer]) {
                #expect(try await events.ended(inserted.run!.id, attempt: 2) == (.succeeded, true))
                let run = try await store.run(id: inserted.run!.id)
                #expect(run.state == .succeeded && run.attempt == 2 && run.workerID != "dead-worker")
            }
        }
    }

    @Test("the pruner deletes finished runs past their state's retention only", arguments: TestBackend.allCases)
    func prunesByRetention(backend: TestBackend) async throws {
        let clock = ManualWallClock()
        let configuration = StoreConfiguration(registry: EngineFixture.registry, clock: clock)
        try await backend.withDatabase(configuration: configuration) { database in
            let store = database.stores[0]
            try await EngineFixture.createBrand(in: store)
            _ = try await store.insertJobs(
                (0..<3).map { _ in JobRequest(brandID: EngineFixture.brand, jobType: "echo") })
            let runs = try await store.claimRuns(ClaimRequest(workerID: "w", jobTypes: ["echo"], limit: 3))
            _ = try await store.completeRun(runs[0].lease!, RunCompletion())
            _ = try await store.failRun(runs[1].lease!, RunFailure(error: "x", retryAt: nil))
            _ = try await store.cancelRun(id: runs[2].id)
            _ = try await store.finishCancelledRun(runs[2].lease!)
            clock.advance(by: .seconds(2 * 86_400))
            let pruner = Pruner(
                store: store,
                configuration: Pruner.Configuration(
                    retention: .init(
                        succeeded: .seconds(86_400), cancelled: .seconds(3 * 86_400), datasetHistory: .seconds(86_400))),
                clock: clock,
                logger: EngineFixture.quietLogger)
            let history = DatasetHistoryQuery(brandID: EngineFixture.brand, dataset: "echoes")
            #expect(try await store.datasetHistory(history).map(\.outcome) == [.failed, .succeeded])
            #expect(try await pruner.pruneOnce() == 1)
            await #expect(throws: SluiceError.self) { try await store.run(id: runs[0].id) }
            #expect(try await store.run(id: runs[1].id).state == .failed)
            #expect(try await store.run(id: runs[2].id).state == .cancelled)
            #expect(try await store.datasetHistory(history).isEmpty, "the refresh history is past its retention")
        }
    }
}
