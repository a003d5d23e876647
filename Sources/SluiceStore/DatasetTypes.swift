import Foundation
import SluiceCore

/// A query for a brand's refresh history of a dataset.
public struct DatasetHistoryQuery: Sendable, Hashable {
    /// The brand.
    public var brandID: UUID
    /// The dataset's name.
    public var dataset: String
    /// Only entries older than this entry id (for paging).
    public var before: Int64?
    /// The most entries, 1...1000. Defaults to 50.
    public var limit: Int

    /// Creates a query.
    public init(brandID: UUID, dataset: String, before: Int64? = nil, limit: Int = 50) {
        self.brandID = brandID
        self.dataset = dataset
        self.before = before
        self.limit = limit
    }

    /// Validates the query.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `dataset` or `limit`.
    public func validate() throws(SluiceError) {
        guard Identifier.isValid(dataset) else { throw .invalidArgument("dataset", Identifier.rule) }
        try PageLimit.validate(limit)
    }
}

/// One finished refresh of a brand's dataset.
public struct DatasetHistoryEntry: Sendable, Hashable {
    /// How a refresh ended.
    public enum Outcome: String, Sendable, Hashable, CaseIterable, Codable {
        case succeeded
        case failed
    }

    /// The entry's id, increasing with time.
    public let id: Int64
    /// The brand.
    public let brandID: UUID
    /// The dataset's name.
    public let dataset: String
    /// The producing run.
    public let runID: Int64
    /// How it ended.
    public let outcome: Outcome
    /// Rows written, for a success.
    public let rowsWritten: Int64?
    /// The error, for a failure.
    public let error: String?
    /// When it ended.
    public let finishedAt: Date

    /// Creates an entry (stores build these from rows).
    public init(
        id: Int64, brandID: UUID, dataset: String, runID: Int64, outcome: Outcome, rowsWritten: Int64?,
        error: String?, finishedAt: Date
    ) {
        self.id = id
        self.brandID = brandID
        self.dataset = dataset
        self.runID = runID
        self.outcome = outcome
        self.rowsWritten = rowsWritten
        self.error = error
        self.finishedAt = finishedAt
    }
}

extension DatasetOverride {
    /// Validates the override.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `dataset`.
    public func validate() throws(SluiceError) {
        guard Identifier.isValid(dataset) else { throw .invalidArgument("dataset", Identifier.rule) }
    }
}

extension DatasetEvent {
    /// What the refresh history records of this event; nil for an attempt's start, which is not a refresh yet.
    public var historyRecord: (outcome: DatasetHistoryEntry.Outcome, rows: Int64?, error: String?)? {
        switch outcome {
        case .attemptStarted: nil
        case .succeeded(let rows): (.succeeded, rows, nil)
        case .failed(let error): (.failed, nil, StoreArguments.storableError(error))
        }
    }
}

/// A request to delete old pipeline records: dataset refresh history and finished webhook deliveries.
public struct PipelinePruneRequest: Sendable, Hashable {
    /// History entries of refreshes that ended before this are deleted.
    public var historyBefore: Date
    /// Delivered or failed webhook deliveries queued before this are deleted (pending ones never are).
    public var deliveriesBefore: Date
    /// The most rows of each kind deleted by one call, 1...100 000. Defaults to 5 000.
    public var batchSize: Int

    /// Creates a request.
    public init(historyBefore: Date, deliveriesBefore: Date, batchSize: Int = 5000) {
        self.historyBefore = historyBefore
        self.deliveriesBefore = deliveriesBefore
        self.batchSize = batchSize
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `batch_size`.
    public func validate() throws(SluiceError) {
        guard (1...100_000).contains(batchSize) else { throw .invalidArgument("batch_size", "must be 1...100000") }
    }
}

/// What one pipeline prune call deleted.
public struct PipelinePruneResult: Sendable, Hashable {
    /// History entries deleted.
    public let historyDeleted: Int
    /// Webhook deliveries deleted.
    public let deliveriesDeleted: Int
    /// Whether nothing older is left (fewer than a batch of each kind was deleted).
    public let isComplete: Bool

    /// Creates a result.
    public init(historyDeleted: Int, deliveriesDeleted: Int, batchSize: Int) {
        self.historyDeleted = historyDeleted
        self.deliveriesDeleted = deliveriesDeleted
        isComplete = historyDeleted < batchSize && deliveriesDeleted < batchSize
    }
}
