import Foundation
import Logging
import SluiceAdIntel
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceFakes
import SluiceStore
import SluiceTestSupport

/// What the ad-intelligence tests share: the catalog, and a fake Meta server with a fresh database of one backend.
enum AdIntelFixture {
    static let registry = try! AdIntelCatalog.registry()
    static let datasets = try! AdIntelCatalog.datasets(registry)
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A fresh database of `backend` with both Meta rate limiters opened wide and one brand, while `fake` serves.
    static func withFake(
        _ backend: TestBackend, fake: FakeMetaServer = FakeMetaServer(),
        _ body: @Sendable (_ base: String, _ store: any JobAndAdStore, _ brand: Brand) async throws -> Void
    ) async throws {
        try await fake.serve { base in
            try await backend.withDatabase(configuration: StoreConfiguration(registry: registry)) { database in
                let store = database.stores[0]
                for name in ["meta_ad_library", "meta_ad_render", "meta_insights"] {
                    try await store.configureRateLimiter(
                        RateLimiterSettings(name: name, ratePerSecond: 1000, burst: 100))
                }
                try await body(base, store, try await store.createBrand(name: "Beans & Co"))
            }
        }
    }

    /// A worker for `handlers` with short intervals.
    static func worker(
        _ store: any JobAndAdStore, _ handlers: HandlerRegistry, id: String, events: WorkerEventLog = WorkerEventLog()
    ) throws -> Worker {
        try Worker(
            store: store, registry: registry, handlers: handlers,
            configuration: WorkerConfiguration(
                id: id, queues: ["default", "assets"], concurrency: 8, leaseDuration: .seconds(10),
                pollInterval: .milliseconds(50)),
            logger: quiet, observer: events.observer)
    }

    /// A client with the scrape's admission check.
    static func client(_ store: any JobAndAdStore) -> SluiceClient {
        SluiceClient(
            store: store, registry: registry, datasets: datasets,
            admissions: AdIntelCatalog.admissions(store: store))
    }
}
