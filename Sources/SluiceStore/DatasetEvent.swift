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

extension DatasetEvent {
    /// The event recording `outcome` for the dataset that runs of `jobType` refresh; nil when the job type refreshes
    /// none (or is no longer registered). The one place dataset events are built: the worker's attempt starts, and
    /// the ends each store records in the transaction that ends a run. A success never counts negative rows.
    public init?(
        jobType: String, brandID: UUID, runID: Int64, outcome: Outcome, registry: JobTypeRegistry
    ) {
        guard let dataset = registry[jobType]?.dataset else { return nil }
        let outcome: Outcome =
            if case .succeeded(let rows) = outcome { .succeeded(rowsWritten: max(0, rows)) } else { outcome }
        self.init(brandID: brandID, dataset: dataset, runID: runID, outcome: outcome)
    }
}
