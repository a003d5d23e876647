import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore
import SluiceStoreConformance
import SluiceStorePostgres
import SluiceTestSupport
import Testing

@Suite("PostgreSQL work notifications")
struct PostgresNotificationTests {
    @Test("the listener reconnects after its connection is killed, and wakes for inserts again")
    func reconnectsAfterConnectionLoss() async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry, clock: ManualWallClock())
        try await TestBackend.postgres.withDatabase(stores: 2, configuration: configuration) { database in
            let (listener, other) = (database.stores[0], database.stores[1])
            try await ConformanceJobTypes.createBrands(in: other)
            let wakes = WakeCounter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await listener.listenForWork(queues: ["default"]) { wakes.increment() } }
                try await wakes.wait(atLeast: 1)
                let killed = try await (other as! PostgresJobStore).client.query(
                    """
                    SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'
                    """)
                var count = 0
                for try await _ in killed { count += 1 }
                #expect(count == 1)
                try await wakes.wait(atLeast: 2)  // woken after the reconnect
                _ = try await other.insertJob(JobRequest(brandID: ConformanceJobTypes.brandA, jobType: "noop"))
                try await wakes.wait(atLeast: 3)
                group.cancelAll()
            }
        }
    }
}
