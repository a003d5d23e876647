import Foundation
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceTestSupport
import Testing

#if canImport(Glibc)
    /// SQLite has no notifications: a worker learns of another process's writes through the database's write-ahead
    /// log.
    @Suite("SQLite: wake-ups across processes (Linux inotify)")
    struct CrossProcessWakeTests {
        @Test("a listener wakes when another process writes to the database")
        func wakesOnAnotherProcessWrite() async throws {
            let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
            try await TestBackend.sqlite.withDatabase(configuration: configuration) { database in
                let store = database.stores[0]
                let brand = try await store.createBrand(name: "Wake")
                _ = try await store.insertJob(JobRequest(brandID: brand.id, jobType: "noop"))
                let wakes = WakeCounter()
                let listening = Task { try await store.listenForWork(queues: ["default"]) { wakes.increment() } }
                defer { listening.cancel() }
                let before = try await wakes.wait(atLeast: 1)  // the wake-up every listener gets when it starts
                // Nothing in this process writes from here on: only the other process's claim can wake the listener.
                let claimed = try await ProbeProcess.claim(
                    databasePath: database.location, jobType: "noop", batchSize: 1)
                #expect(claimed.count == 1)
                try await wakes.wait(atLeast: before + 1)
            }
        }
    }
#endif
