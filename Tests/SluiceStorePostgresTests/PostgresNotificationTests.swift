import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStorePostgres
import SluiceTestSupport
import Synchronization
import Testing

@Suite("PostgreSQL work notifications")
struct PostgresNotificationTests {
    final class Counter: Sendable {
        private let value = Mutex(0)
        func increment() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }

        /// Waits (polling every 10 ms, at most 30 s) until the count reaches `target`.
        func wait(for target: Int) async throws {
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while count < target && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(count >= target, "expected \(target) wake-ups, got \(count)")
        }
    }

    @Test("the listener reconnects after its connection is killed, and wakes for inserts again")
    func reconnectsAfterConnectionLoss() async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry, clock: ManualWallClock())
        try await TestBackend.postgres.withDatabase(stores: 2, configuration: configuration) { database in
            let (listener, other) = (database.stores[0], database.stores[1])
            let wakes = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.listenForWork(queues: ["default"]) { wakes.increment() } }
                try await wakes.wait(for: 1)
                let killed = try await (other as! PostgresJobStore).client.query(
                    """
                    SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'
                    """)
                var count = 0
                for try await _ in killed { count += 1 }
                #expect(count == 1)
                try await wakes.wait(for: 2)  // woken after the reconnect
                _ = try await other.insertJob(JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop"))
                try await wakes.wait(for: 3)
                group.cancelAll()
            }
        }
    }
}
