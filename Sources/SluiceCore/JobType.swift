import Foundation

/// A registered kind of work, such as `competitor_scrape`.
///
/// ```swift
/// let scrape = JobType(
///     name: "competitor_scrape", label: "Competitor Scrape", emoji: "🔎", dataset: "competitor_ads",
///     schema: ParameterSchema([ParameterField("competitor_id", .uuid, required: true)]),
///     uniquenessKey: ["competitor_id"], concurrencyLimit: 2)
/// ```
public struct JobType: Sendable, Hashable, Identifiable {
    /// The unique name, a lowercase identifier such as `competitor_scrape`.
    public let name: String
    /// The human label, such as "Competitor Scrape".
    public let label: String
    /// An emoji shown beside the label.
    public let emoji: String
    /// The dataset this job type refreshes, if any.
    public let dataset: String?
    /// The parameters this job type accepts.
    public let schema: ParameterSchema
    /// The queue its runs go to. Defaults to `default`.
    public let queue: String
    /// The priority of its runs, in -1000...1000 (``JobRequest/priorities``); lower runs first. Defaults to 0.
    public let priority: Int
    /// The longest a run may take before it is timed out. Defaults to 15 minutes.
    public let timeout: Duration
    /// How failures are retried.
    public let retryPolicy: RetryPolicy
    /// Parameter names whose values identify a job: while a job with the same brand, type and values is active,
    /// enqueueing another returns the existing one. Empty means no uniqueness.
    public let uniquenessKey: [String]
    /// The most runs of this type that may run at once across all workers, if limited.
    public let concurrencyLimit: Int?
    /// What a recurring job of this type does about ticks missed while no scheduler ran. Defaults to `.runOnce`.
    public let misfirePolicy: MisfirePolicy

    public var id: String { name }

    /// Creates a job type; call ``validate()`` (the registry does) before use.
    public init(
        name: String, label: String, emoji: String = "⚙️", dataset: String? = nil, schema: ParameterSchema = .init([]),
        queue: String = "default", priority: Int = 0, timeout: Duration = .seconds(900),
        retryPolicy: RetryPolicy = RetryPolicy(), uniquenessKey: [String] = [], concurrencyLimit: Int? = nil,
        misfirePolicy: MisfirePolicy = .runOnce
    ) {
        self.name = name
        self.label = label
        self.emoji = emoji
        self.dataset = dataset
        self.schema = schema
        self.queue = queue
        self.priority = priority
        self.timeout = timeout
        self.retryPolicy = retryPolicy
        self.uniquenessKey = uniquenessKey
        self.concurrencyLimit = concurrencyLimit
        self.misfirePolicy = misfirePolicy
    }

    /// The default parameters: every schema field's default.
    public var defaultParameters: JSONObject { schema.defaults }

    /// Checks the definition itself.
    /// - Throws: ``SluiceError/Code/invalidArgument`` listing every problem with its field.
    public func validate() throws(SluiceError) {
        var problems: [FieldProblem] = []
        if !Identifier.isValid(name) { problems.append(.init(field: "name", message: Identifier.rule)) }
        if label.isEmpty { problems.append(.init(field: "label", message: "must not be empty")) }
        if !Identifier.isValid(queue) { problems.append(.init(field: "queue", message: Identifier.rule)) }
        if timeout <= .zero { problems.append(.init(field: "timeout", message: "must be positive")) }
        if !JobRequest.priorities.contains(priority) {
            problems.append(.init(field: "priority", message: "must be in -1000...1000, as a request's"))
        }
        if let limit = concurrencyLimit, limit < 1 {
            problems.append(.init(field: "concurrency_limit", message: "must be at least 1"))
        }
        problems += retryPolicy.problems()
        problems += schemaProblems()
        guard problems.isEmpty else {
            throw SluiceError(
                .invalidArgument, "job type \(name) is invalid: \(problems[0])", field: problems[0].field,
                problems: problems)
        }
    }

    private func schemaProblems() -> [FieldProblem] {
        var problems: [FieldProblem] = []
        var seen: Set<String> = []
        for field in schema.fields {
            let path = "schema.\(field.name)"
            if !Identifier.isValid(field.name) { problems.append(.init(field: path, message: Identifier.rule)) }
            if !seen.insert(field.name).inserted { problems.append(.init(field: path, message: "is declared twice")) }
            if let minimum = field.minimum, let maximum = field.maximum, minimum > maximum {
                problems.append(.init(field: path, message: "minimum exceeds maximum"))
            }
            if let value = field.defaultValue, let problem = field.problems(of: value).first {
                problems.append(.init(field: path, message: "default \(problem)"))
            }
        }
        for name in uniquenessKey where schema.field(named: name) == nil {
            problems.append(.init(field: "uniqueness_key", message: "names unknown parameter \(name)"))
        }
        return problems
    }
}

/// The rule for names of job types, queues, datasets and parameters.
public enum Identifier {
    /// The rule in words.
    public static let rule = "must be 1-64 characters of a-z, 0-9 and _, starting with a letter"

    /// Whether `text` follows the rule.
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            text.utf8.count <= 64
        else { return false }
        return text.utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || $0 == UInt8(ascii: "_")
        }
    }
}
