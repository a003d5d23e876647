import Foundation
import SluiceCore

/// A filter on one parameter's value, such as `competitor_id = "…"`.
public struct ParameterFilter: Sendable, Hashable {
    /// The parameter's name.
    public let name: String
    /// The value it must equal (strings, numbers and booleans).
    public let value: JSONValue

    /// Creates a filter.
    public init(_ name: String, equals value: JSONValue) {
        self.name = name
        self.value = value
    }

    /// Validates the filter.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `parameter`.
    public func validate() throws(SluiceError) {
        guard Identifier.isValid(name) else { throw .invalidArgument("parameter", "name \(Identifier.rule)") }
        switch value {
        case .string, .int, .bool: return
        default: throw .invalidArgument("parameter", "value must be a string, an integer or a boolean")
        }
    }
}

/// Which jobs to list.
public struct JobQuery: Sendable, Hashable {
    /// Only jobs of this brand.
    public var brandID: UUID?
    /// Only jobs of this type.
    public var jobType: String?
    /// Only jobs in this status.
    public var status: JobStatus?
    /// Only jobs whose parameters match every one of these.
    public var parameters: [ParameterFilter]
    /// Only recurring jobs (true), only one-time jobs (false), or both (nil).
    public var recurring: Bool?
    /// Page size, 1...1000. Defaults to 50.
    public var limit: Int
    /// The cursor of the page to fetch.
    public var cursor: String?

    /// Creates a query.
    public init(
        brandID: UUID? = nil, jobType: String? = nil, status: JobStatus? = nil, parameter: ParameterFilter? = nil,
        parameters: [ParameterFilter] = [], recurring: Bool? = nil, limit: Int = 50, cursor: String? = nil
    ) {
        self.brandID = brandID
        self.jobType = jobType
        self.status = status
        self.parameters = (parameter.map { [$0] } ?? []) + parameters
        self.recurring = recurring
        self.limit = limit
        self.cursor = cursor
    }
}

/// Which runs to list.
public struct RunQuery: Sendable, Hashable {
    /// Only runs of this brand.
    public var brandID: UUID?
    /// Only runs of this job.
    public var jobID: Int64?
    /// Only runs of this job type.
    public var jobType: String?
    /// Only runs in one of these states (all states when empty).
    public var states: [RunState]
    /// Only runs whose parameters match every one of these, such as `competitor_id`.
    public var parameters: [ParameterFilter]
    /// Page size, 1...1000. Defaults to 50.
    public var limit: Int
    /// The cursor of the page to fetch.
    public var cursor: String?

    /// Creates a query.
    public init(
        brandID: UUID? = nil, jobID: Int64? = nil, jobType: String? = nil, states: [RunState] = [],
        parameter: ParameterFilter? = nil, parameters: [ParameterFilter] = [], limit: Int = 50, cursor: String? = nil
    ) {
        self.brandID = brandID
        self.jobID = jobID
        self.jobType = jobType
        self.states = states
        self.parameters = (parameter.map { [$0] } ?? []) + parameters
        self.limit = limit
        self.cursor = cursor
    }
}
