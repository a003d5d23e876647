import Foundation
import SluiceCore

/// A refresh event of one brand's dataset.
public struct DatasetEvent: Sendable, Hashable {
    /// What happened.
    public enum Outcome: Sendable, Hashable {
        /// A producing run started.
        case attemptStarted
        /// A producing run succeeded, writing this many rows.
        case succeeded(rowsWritten: Int64)
        /// A producing run failed with this error.
        case failed(error: String)
    }

    /// The brand.
    public var brandID: UUID
    /// The dataset's name.
    public var dataset: String
    /// The run concerned.
    public var runID: Int64
    /// What happened.
    public var outcome: Outcome

    /// Creates an event.
    public init(brandID: UUID, dataset: String, runID: Int64, outcome: Outcome) {
        self.brandID = brandID
        self.dataset = dataset
        self.runID = runID
        self.outcome = outcome
    }

    /// Validates the event.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `dataset` or `rows_written`.
    public func validate() throws(SluiceError) {
        guard Identifier.isValid(dataset) else { throw .invalidArgument("dataset", Identifier.rule) }
        if case .succeeded(let rows) = outcome, rows < 0 {
            throw .invalidArgument("rows_written", "must not be negative")
        }
    }
}

/// A request to take or renew a named leader lease.
public struct LeaderLeaseRequest: Sendable, Hashable {
    /// The lease's name, such as `scheduler`.
    public var name: String
    /// Who asks, such as a worker id.
    public var holder: String
    /// How long the lease lasts from now.
    public var ttl: Duration

    /// Creates a request.
    public init(name: String, holder: String, ttl: Duration) {
        self.name = name
        self.holder = holder
        self.ttl = ttl
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard !name.isEmpty, name.count <= 200 else { throw .invalidArgument("name", "must be 1-200 characters") }
        guard !holder.isEmpty, holder.count <= 200 else { throw .invalidArgument("holder", "must be 1-200 characters") }
        guard ttl > .zero else { throw .invalidArgument("ttl", "must be positive") }
    }
}

/// What to prune.
public struct PruneRequest: Sendable, Hashable {
    /// Runs in these (terminal) states that ended before ``finishedBefore`` are deleted. Defaults to all terminal
    /// states.
    public var states: Set<RunState>
    /// Runs that ended before this instant are deleted.
    public var finishedBefore: Date
    /// The most runs deleted by one call, 1...100 000. Defaults to 5 000.
    public var batchSize: Int

    /// Creates a request.
    public init(
        states: Set<RunState> = Set(RunState.allCases.filter(\.isTerminal)), finishedBefore: Date, batchSize: Int = 5000
    ) {
        self.states = states
        self.finishedBefore = finishedBefore
        self.batchSize = batchSize
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `batch_size` or `states`.
    public func validate() throws(SluiceError) {
        guard (1...100_000).contains(batchSize) else { throw .invalidArgument("batch_size", "must be 1...100000") }
        guard !states.isEmpty, states.allSatisfy(\.isTerminal) else {
            throw .invalidArgument("states", "must be a non-empty set of terminal states")
        }
    }

    /// The states as sorted raw values, for SQL.
    public var stateNames: [String] { states.map(\.rawValue).sorted() }
}

/// What one prune call deleted.
public struct PruneResult: Sendable, Hashable {
    /// Runs deleted.
    public let runsDeleted: Int
    /// Log lines deleted with them.
    public let logLinesDeleted: Int
    /// Jobs deleted because they were over and had no runs left.
    public let jobsDeleted: Int
    /// Whether fewer runs than the batch size were found, so nothing older is left.
    public let isComplete: Bool

    /// Creates a result.
    public init(runsDeleted: Int, logLinesDeleted: Int, jobsDeleted: Int, isComplete: Bool) {
        self.runsDeleted = runsDeleted
        self.logLinesDeleted = logLinesDeleted
        self.jobsDeleted = jobsDeleted
        self.isComplete = isComplete
    }
}
