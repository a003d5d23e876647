import Foundation

/// A named body of data that a job type refreshes, such as `competitor_ads`.
public struct Dataset: Sendable, Hashable, Identifiable {
    /// The name, a lowercase identifier.
    public let name: String
    /// The human label, such as "Competitor Ads".
    public let label: String
    /// The job type that produces it.
    public let producedBy: String
    /// Its freshness policy.
    public let policy: FreshnessPolicy

    public var id: String { name }

    /// Creates a dataset.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name` or `label` when malformed.
    public init(name: String, label: String, producedBy: String, policy: FreshnessPolicy) throws(SluiceError) {
        guard Identifier.isValid(name) else { throw .invalidArgument("name", Identifier.rule) }
        guard !label.isEmpty else { throw .invalidArgument("label", "must not be empty") }
        self.name = name
        self.label = label
        self.producedBy = producedBy
        self.policy = policy
    }
}

/// What the store records of a dataset's refreshes for one brand.
public struct DatasetRefreshRecord: Sendable, Hashable {
    /// The brand.
    public let brandID: UUID
    /// The dataset's name.
    public let dataset: String
    /// When the last attempt started.
    public let lastAttemptAt: Date?
    /// When the last successful refresh ended.
    public let lastSuccessAt: Date?
    /// When the last failed refresh ended.
    public let lastFailureAt: Date?
    /// The last failure's error.
    public let lastError: String?
    /// Rows written by the last successful refresh.
    public let rowsWritten: Int64?
    /// The run of the last attempt or outcome.
    public let lastRunID: Int64?

    /// Creates a record (stores build these from rows).
    public init(
        brandID: UUID, dataset: String, lastAttemptAt: Date?, lastSuccessAt: Date?, lastFailureAt: Date?,
        lastError: String?, rowsWritten: Int64?, lastRunID: Int64?
    ) {
        self.brandID = brandID
        self.dataset = dataset
        self.lastAttemptAt = lastAttemptAt
        self.lastSuccessAt = lastSuccessAt
        self.lastFailureAt = lastFailureAt
        self.lastError = lastError
        self.rowsWritten = rowsWritten
        self.lastRunID = lastRunID
    }
}
