import ArgumentParser
import Foundation
import NIOCore
import SluiceCore

/// A setting or argument that cannot be used, with a message naming it (exit status 64).
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// Something the command needs is not there: the database does not answer, the port is taken (exit status 69).
struct UnavailableError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}

/// How `sluice` reports a failed command: one clear message on standard error and an exit status scripts can test.
///
/// | Status | Meaning |
/// |---|---|
/// | 1 | the operation failed: a run that did not succeed, an unknown id, a conflict |
/// | 64 | bad input: flags, parameters, job type, schedule, config file, database URL |
/// | 69 | unavailable: the database does not answer, the port is in use |
enum CLIFailure {
    static let failed: Int32 = 1
    static let usage: Int32 = 64
    static let unavailable: Int32 = 69

    /// The message and exit status for `error`; nil for errors ArgumentParser reports itself (help, usage, exit codes).
    static func report(_ error: any Error) -> (message: String, status: Int32)? {
        switch error {
        case let error as SluiceError: (message(error), status(error.code))
        case let error as ConfigurationError: (error.description, usage)
        case let error as UnavailableError: (error.description, unavailable)
        default: portInUse(error).map { ($0, unavailable) }
        }
    }

    /// The message, then each parameter problem on its own line.
    static func message(_ error: SluiceError) -> String {
        var text = error.message
        if let field = error.field, error.problems.isEmpty, !text.contains(field) { text = "\(field): \(text)" }
        for problem in error.problems where error.problems.count > 1 || problem.description != error.message {
            text += "\n  \(problem)"
        }
        return text
    }

    private static func status(_ code: SluiceError.Code) -> Int32 {
        switch code {
        case .invalidParameters, .invalidCron, .unknownTimeZone, .invalidArgument, .unknownJobType: usage
        case .storageFailure: unavailable
        case .notFound, .conflict, .leaseLost: failed
        }
    }

    /// "the address is in use" for a bind that failed with `EADDRINUSE`.
    private static func portInUse(_ error: any Error) -> String? {
        guard let error = error as? IOError, error.errnoCode == EADDRINUSE else { return nil }
        return "the address is in use: another process listens on that port (choose another with --port or SLUICE_PORT)"
    }
}
