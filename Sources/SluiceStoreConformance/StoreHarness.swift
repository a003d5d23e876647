import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

/// What a backend's test target provides so that the conformance suite can run against it.
public protocol StoreHarness: Sendable {
    /// Runs `body` against a fresh, empty database, migrated by opening it, with `storeCount` stores that each have
    /// their own connections to it. All stores use `configuration`. Everything is closed when `body` returns.
    func withDatabase(
        storeCount: Int, configuration: StoreConfiguration, _ body: @Sendable (StoreFixture) async throws -> Void
    ) async throws
}

/// The stores and clock of one conformance case.
public struct StoreFixture: Sendable {
    /// Independently connected stores on one database; `stores[0]` is ``store``.
    public let stores: [any JobAndAdStore]
    /// The clock every store uses.
    public let clock: ManualWallClock
    /// Claims every run of a job type from another operating-system process, in batches, returning the claimed run
    /// ids; nil when the backend's harness has no such helper.
    public let claimInOtherProcess: (@Sendable (_ jobType: String, _ batchSize: Int) async throws -> [Int64])?
    /// Reads which table holds each run, and which runs have log lines, from the database itself.
    public let runTables: @Sendable () async throws -> RunTables

    /// Creates a fixture.
    public init(
        stores: [any JobAndAdStore], clock: ManualWallClock,
        claimInOtherProcess: (@Sendable (_ jobType: String, _ batchSize: Int) async throws -> [Int64])? = nil,
        runTables: @escaping @Sendable () async throws -> RunTables
    ) {
        self.stores = stores
        self.clock = clock
        self.claimInOtherProcess = claimInOtherProcess
        self.runTables = runTables
    }

    /// The first store.
    public var store: any JobAndAdStore { stores[0] }
}

/// The run ids in each run table (storage model v2), the run ids that log lines name, and the ids of the `jobs` rows.
public struct RunTables: Sendable, Hashable {
    /// The ids in `run_queue`: the unfinished runs.
    public var queue: Set<Int64>
    /// The ids in `run_history`: the finished runs.
    public var history: Set<Int64>
    /// The distinct run ids of `run_logs`.
    public var logged: Set<Int64>
    /// The ids in `jobs` (a one-time job without a uniqueness key has none until an operator acts on it).
    public var jobRows: Set<Int64>

    /// Creates a reading.
    public init(queue: Set<Int64>, history: Set<Int64>, logged: Set<Int64>, jobRows: Set<Int64> = []) {
        self.queue = queue
        self.history = history
        self.logged = logged
        self.jobRows = jobRows
    }
}
