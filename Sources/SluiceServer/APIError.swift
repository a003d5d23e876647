import Foundation
import Hummingbird
import SluiceCore

/// An error answered to an API client as `{"error": {"code", "message", "field"}}` with a 4xx status.
public struct APIError: Error, Sendable, HTTPResponseError {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let field: String?

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    /// 400 for a body that is not JSON or not an object.
    static func malformed(_ message: String) -> APIError { APIError(.badRequest, code: "malformed_json", message) }

    /// 422 naming the field that failed validation.
    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, code: "invalid_argument", message, field: field)
    }

    /// 404 for an object that does not exist or that the token may not see.
    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", "\(what) does not exist")
    }

    /// 403 for a role that may not do this.
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, code: "forbidden", message) }

    /// The API form of an engine error.
    init(_ error: SluiceError) {
        switch error.code {
        case .notFound:
            self.init(.notFound, code: error.code.rawValue, error.message, field: error.field)
        case .conflict, .leaseLost:
            self.init(.conflict, code: error.code.rawValue, error.message, field: error.field)
        case .unknownJobType, .invalidParameters, .invalidCron, .unknownTimeZone, .invalidArgument:
            let problem = error.problems.first
            let field = error.field ?? problem.map { "parameters.\($0.field)" }
            let message =
                error.problems.isEmpty
                ? error.message
                : error.problems.map(\.description).joined(
                    separator: "; ")
            self.init(.unprocessableContent, code: error.code.rawValue, message, field: field)
        case .storageFailure:
            self.init(.serviceUnavailable, code: "unavailable", "the database is unavailable; try again")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse(status: status, APIRepresentation.error(self)).response()
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"sluice\"" }
        // After a body that did not arrive in time the connection's state is unknown: close it.
        if status == .requestTimeout { response.headers[.connection] = "close" }
        return response
    }
}
