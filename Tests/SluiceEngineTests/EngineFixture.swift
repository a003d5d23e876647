import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceEngine
import SluiceStore
import SluiceTestSupport
import Synchronization
import Testing

/// Job types and helpers shared by the engine tests.
enum EngineFixture {
    static let brand = UUID(uuidString: "0A000000-0000-4000-8000-0000000000E1")!

    static let echo = JobType(
        name: "echo", label: "Echo", dataset: "echoes",
        schema: ParameterSchema([
            ParameterField("message", .string, default: .string("hi")),
            ParameterField("count", .int, minimum: 0, maximum: 100, default: .int(3)),
        ]))
    static let flaky = JobType(
        name: "flaky", label: "Flaky", dataset: "flakes",
        retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(50), multiplier: 1, jitter: 0))
    static let slow = JobType(
        name: "slow", label: "Slow", timeout: .milliseconds(300),
        retryPolicy: RetryPolicy(maxAttempts: 2, initialDelay: .zero))
    static let blocking = JobType(name: "blocking", label: "Blocking", retryPolicy: RetryPolicy(maxAttempts: 1))
    static let gated = JobType(name: "gated", label: "Gated")
    static let quick = JobType(name: "quick", label: "Quick")

    /// Takes `calls` tokens of the shared rate limiter `shared`.
    static let metered = JobType(
        name: "metered", label: "Metered",
        schema: ParameterSchema([ParameterField("calls", .int, minimum: 1, maximum: 1000, default: .int(10))]))

    static let registry = try! JobTypeRegistry([echo, flaky, slow, blocking, gated, quick, metered])
    static let datasets = try! DatasetRegistry(
        [
            Dataset(
                name: "echoes", label: "Echoes", producedBy: "echo",
                policy: try FreshnessPolicy(warnAfter: .seconds(3600))),
            Dataset(
                name: "flakes", label: "Flakes", producedBy: "flaky",
                policy: try FreshnessPolicy(warnAfter: .seconds(3600), failAfter: .seconds(7200))),
        ], jobTypes: registry)

    static let quietLogger = Logger(label: "sluice.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A worker configuration with short intervals, for tests. The lease outlives 150 heartbeats, so that a machine
    /// loaded by the whole suite does not expire it (a run whose lease expires is left to a rescuer these tests do
    /// not all run, and would then wait for the test's deadline).
    static func workerConfiguration(
        _ id: String = "test-worker-\(UUID().uuidString.prefix(6))", concurrency: Int = 4,
        grace: Duration = .seconds(10)
    ) -> WorkerConfiguration {
        WorkerConfiguration(
            id: id, concurrency: concurrency, leaseDuration: .seconds(30), heartbeatInterval: .milliseconds(200),
            pollInterval: .milliseconds(100), shutdownGracePeriod: grace, logFlushInterval: .milliseconds(50))
    }

    /// A fresh database of `backend` with `stores` stores on the system clock, holding ``brand``.
    static func withStores<T: Sendable>(
        _ backend: TestBackend, stores: Int = 1, _ body: @Sendable ([any JobStore]) async throws -> T
    ) async throws -> T {
        try await backend.withDatabase(stores: stores, configuration: StoreConfiguration(registry: registry)) {
            database in
            try await createBrand(in: database.stores[0])
            return try await body(database.stores)
        }
    }

    /// Creates ``brand``, which the engine tests' jobs belong to.
    static func createBrand(in store: any BrandStore) async throws {
        _ = try await store.createBrand(id: brand, name: "Engine tests")
    }

    /// Runs `services` while `body` runs, then shuts them down gracefully.
    static func withServices<T: Sendable>(
        _ services: [any Service], _ body: @Sendable () async throws -> T
    ) async throws -> T {
        try await withRunningServices(services, logger: quietLogger, body)
    }

    /// Polls `condition` every 20 ms until it holds, failing the test after `timeout` (generous, for loaded machines).
    /// Only for what no signal reports: another process's runs, a probe inside a handler, a maintenance pass; a run
    /// of this process's worker is awaited through its ``WorkerEventLog``.
    @discardableResult
    static func eventually<T: Sendable>(
        timeout: Duration = .seconds(90), sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: @Sendable () async throws -> T?
    ) async throws -> T {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while ContinuousClock.now < deadline {
            if let value = try await condition() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met within \(timeout)", sourceLocation: sourceLocation)
        throw CancellationError()
    }
}

/// A thread-safe counter of concurrent executions, for tests.
final class ConcurrencyProbe: Sendable {
    private let state = Mutex((current: 0, peak: 0, started: 0))

    func enter() {
        state.withLock {
            $0.current += 1; $0.started += 1; $0.peak = max($0.peak, $0.current)
        }
    }
    func leave() { state.withLock { $0.current -= 1 } }
    var peak: Int { state.withLock { $0.peak } }
    var current: Int { state.withLock { $0.current } }
    var started: Int { state.withLock { $0.started } }
}
