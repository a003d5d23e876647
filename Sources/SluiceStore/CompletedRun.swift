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
