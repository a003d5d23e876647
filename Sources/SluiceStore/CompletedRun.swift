import Foundation
import SluiceCore

/// A successful run to record, as part of a batch.
public struct CompletedRun: Sendable, Hashable {
    /// The lease held.
    public var lease: RunLease
    /// Its outcome.
    public var completion: RunCompletion

    /// Creates an item.
    public init(lease: RunLease, completion: RunCompletion) {
        self.lease = lease
        self.completion = completion
    }
}

/// What ``JobStore/completeRuns(_:thenClaiming:)`` did.
public struct CompletionsAndClaims: Sendable, Hashable {
    /// The ids of the runs completed; an item whose lease was lost is left out.
    public let completed: Set<Int64>
    /// The runs claimed, each `running` under a new lease.
    public let claimed: [Run]

    /// Creates a result.
    public init(completed: Set<Int64>, claimed: [Run]) {
        self.completed = completed
        self.claimed = claimed
    }
}
