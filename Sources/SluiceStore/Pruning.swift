import Foundation
import SluiceCore

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
