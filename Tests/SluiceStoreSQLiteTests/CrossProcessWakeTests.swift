import Foundation
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceTestSupport
import Synchronization
import Testing

/// SQLite has no notifications: a worker learns of another process's writes through the database's write-ahead log.
#if canImport(Glibc)
    @Suite("SQLite: wake-ups across processes (Linux inotify)")
    struct CrossProcessWakeTests {
        /// Counts the wake-ups of one listener.
        final class Wakes: Sendable {
            private let count = Mutex(0)
            func add() { count.withLock { $0 += 1 } }
            var value: Int { count.withLock { $0 } }

            /// Waits (polling, generous deadline) until at least `minimum` wake-ups came.
            func reach(_ minimum: Int) async throws {
                let deadline = ContinuousClock.now + .seconds(60)
                while value < minimum {
                    guard ContinuousClock.now < deadline else {
                        Issue.record("\(value) wake-ups after 60 s, expected \(minimum)")
                        return
                    }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
        }

        @Test("a listener wakes when another process writes to the database")
        func wakesOnAnotherProcessWrite() async throws {
            let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry)
            try await TestBackend.sqlite.withDatabase(configuration: configuration) { database in
                let store = database.stores[0]
                _ = try await store.insertJob(JobRequest(brandID: UUID(), jobType: "noop"))
                let wakes = Wakes()
                let listening = Task { try await store.listenForWork(queues: ["default"]) { wakes.add() } }
                defer { listening.cancel() }
                try await wakes.reach(1)  // the wake-up every listener gets when it starts
                let before = wakes.value
                // Nothing in this process writes from here on: only the other process's claim can wake the listener.
                let claimed = try await ProbeProcess.claim(
                    databasePath: database.location, jobType: "noop", batchSize: 1)
                #expect(claimed.count == 1)
                try await wakes.reach(before + 1)
            }
        }
    }
#endif
