import Foundation

/// A named body of data that a job type refreshes, such as `competitor_ads`.
public struct Dataset: Sendable, Hashable, Identifiable {
    /// The name, a lowercase identifier.
    public let name: String
    /// The human label, such as "Competitor Ads".
    public let label: String
    /// The job type that produces it.
    public let producedBy: String
    /// Its default freshness policy (a brand may override it, see ``DatasetOverride``).
    public let policy: FreshnessPolicy
    /// Whether the engine refreshes it by default when it becomes stale (a brand may override it).
    public let autoRefresh: Bool

    public var id: String { name }

    /// Creates a dataset.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name` or `label` when malformed.
    public init(
        name: String, label: String, producedBy: String, policy: FreshnessPolicy, autoRefresh: Bool = false
    ) throws(SluiceError) {
        guard Identifier.isValid(name) else { throw .invalidArgument("name", Identifier.rule) }
        guard !label.isEmpty else { throw .invalidArgument("label", "must not be empty") }
        self.name = name
        self.label = label
        self.producedBy = producedBy
        self.policy = policy
        self.autoRefresh = autoRefresh
    }
}

/// One brand's settings for a dataset, overriding the dataset's defaults where set.
public struct DatasetOverride: Sendable, Hashable {
    /// The brand.
    public let brandID: UUID
    /// The dataset's name.
    public let dataset: String
    /// The brand's freshness policy, if it differs from the dataset's.
    public var policy: FreshnessPolicy?
    /// Whether to auto-refresh for this brand, if it differs from the dataset's default.
    public var autoRefresh: Bool?
    /// The parameters of the producing job when the engine refreshes the dataset for this brand.
    public var parameters: JSONObject?

    /// Creates an override.
    public init(
        brandID: UUID, dataset: String, policy: FreshnessPolicy? = nil, autoRefresh: Bool? = nil,
        parameters: JSONObject? = nil
    ) {
        self.brandID = brandID
        self.dataset = dataset
        self.policy = policy
        self.autoRefresh = autoRefresh
        self.parameters = parameters
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
