import SluiceCore

/// The code that performs one job type's work.
///
/// A handler is called once per attempt with a ``RunContext``; it returns the run's small result, or throws to fail
/// the attempt (which is retried per the job type's retry policy). It must honour cancellation: the worker cancels
/// its task when the run times out, when cancellation is requested from any node, when the worker loses the run's
/// lease, and at the end of a graceful shutdown's grace period.
///
/// ```swift
/// struct MetaSyncHandler: JobHandler {
///     func run(_ context: RunContext) async throws -> JobOutcome {
///         let days = try context.parameters.int("days")
///         context.progress(0.5, "fetching \(days) days")
///         try context.checkCancellation()
///         return JobOutcome(result: ["rows": .int(42)], rowsWritten: 42)
///     }
/// }
/// ```
public protocol JobHandler: Sendable {
    /// Performs one attempt of a run.
    func run(_ context: RunContext) async throws -> JobOutcome
}

/// What a successful attempt returns.
public struct JobOutcome: Sendable, Hashable {
    /// A small result document, such as `{"ads_found": 312, "ads_saved": 300}`.
    public var result: JSONObject
    /// Rows written to the job type's dataset, if it has one.
    public var rowsWritten: Int64?

    /// Creates an outcome.
    public init(result: JSONObject = [:], rowsWritten: Int64? = nil) {
        self.result = result
        self.rowsWritten = rowsWritten
    }
}

/// A handler written as a closure.
public struct ClosureJobHandler: JobHandler {
    private let body: @Sendable (RunContext) async throws -> JobOutcome

    /// Creates a handler from `body`.
    public init(_ body: @escaping @Sendable (RunContext) async throws -> JobOutcome) {
        self.body = body
    }

    public func run(_ context: RunContext) async throws -> JobOutcome {
        try await body(context)
    }
}

/// The handlers of one worker, keyed by job type name. A worker claims only the job types it has a handler for.
public struct HandlerRegistry: Sendable {
    private var handlers: [String: any JobHandler] = [:]

    /// Creates an empty registry.
    public init() {}

    /// Registers `handler` for the job type named `jobType`, replacing any earlier one.
    public mutating func register(_ jobType: String, _ handler: some JobHandler) {
        handlers[jobType] = handler
    }

    /// Registers a closure handler for `jobType`.
    public mutating func register(
        _ jobType: String, _ body: @escaping @Sendable (RunContext) async throws -> JobOutcome
    ) {
        handlers[jobType] = ClosureJobHandler(body)
    }

    /// The handler for `jobType`, if registered.
    public subscript(jobType: String) -> (any JobHandler)? { handlers[jobType] }

    /// The job types with a handler, sorted.
    public var jobTypes: [String] { handlers.keys.sorted() }
}
