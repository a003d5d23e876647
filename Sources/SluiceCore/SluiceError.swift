import Foundation

/// The one error type of Sluice: a machine-readable code, a public message, and the field it concerns.
///
/// Messages never contain job parameter values or secrets; they name fields and constraints only.
/// Validation failures carry every problem found in ``problems``, each naming its field.
///
/// ```swift
/// do { try store.insertJob(params) } catch let error as SluiceError where error.code == .invalidParameters {
///     print(error.problems.map(\.field))
/// }
/// ```
public struct SluiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable code that the HTTP layer maps to a status.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The job type is not registered.
        case unknownJobType = "unknown_job_type"
        /// One or more parameters violate the job type's schema; see ``SluiceError/problems``.
        case invalidParameters = "invalid_parameters"
        /// The cron expression does not parse.
        case invalidCron = "invalid_cron"
        /// The time zone is not a known IANA identifier.
        case unknownTimeZone = "unknown_time_zone"
        /// An argument is malformed or out of range (a negative limit, a bad cursor, ...).
        case invalidArgument = "invalid_argument"
        /// The addressed job, run or row does not exist.
        case notFound = "not_found"
        /// The operation is not allowed in the current state (an illegal run transition, deleting a running job, ...).
        case conflict = "conflict"
        /// The caller no longer holds the run's lease: its completion, heartbeat or log line is refused.
        case leaseLost = "lease_lost"
        /// The storage backend failed (connection lost, disk full, ...).
        case storageFailure = "storage_failure"
    }

    /// The error's code.
    public let code: Code
    /// A public, human-readable message without parameter values or secrets.
    public let message: String
    /// The input field the error concerns, if any (for example `parameters.max_ads` or `cron`).
    public let field: String?
    /// Every validation problem found, when ``code`` is ``Code/invalidParameters``.
    public let problems: [FieldProblem]

    /// Creates an error.
    public init(_ code: Code, _ message: String, field: String? = nil, problems: [FieldProblem] = []) {
        self.code = code
        self.message = message
        self.field = field
        self.problems = problems
    }

    public var description: String {
        field.map { "\(code.rawValue) (\($0)): \(message)" } ?? "\(code.rawValue): \(message)"
    }

    /// The same error about item `index` of the list `list`: its field and every problem's field prefixed with
    /// `LIST[INDEX].`, as a batch reports which of its items is wrong.
    public func inItem(_ index: Int, of list: String) -> SluiceError {
        let prefix = "\(list)[\(index)]."
        return SluiceError(
            code, message, field: field.map { prefix + $0 },
            problems: problems.map { FieldProblem(field: prefix + $0.field, message: $0.message) })
    }
}

/// One validation problem: the field and what is wrong with it.
public struct FieldProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The field's path, such as `parameters.max_ads`.
    public let field: String
    /// What is wrong, without the offending value.
    public let message: String

    /// Creates a problem.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension SluiceError {
    /// An ``Code/invalidArgument`` error naming `field`.
    public static func invalidArgument(_ field: String, _ message: String) -> SluiceError {
        SluiceError(.invalidArgument, message, field: field)
    }

    /// A ``Code/notFound`` error for an entity and id.
    public static func notFound(_ entity: String, _ id: some CustomStringConvertible) -> SluiceError {
        SluiceError(.notFound, "\(entity) \(id) does not exist", field: nil)
    }
}

/// Matches errors by code: `catch let error where SluiceError.Code.notFound ~= error { … }`.
public func ~= (code: SluiceError.Code, error: any Error) -> Bool {
    (error as? SluiceError)?.code == code
}
