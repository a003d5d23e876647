import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceCore

/// Turns every error into the API's JSON error body: engine errors by code, Hummingbird's own (404 route, 413
/// body, …) by status, and anything unexpected into a 500 that names only the request id (the error is logged with
/// it). Also sets `X-Request-Id` on every response.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    /// The routes, to tell an unknown path (404) from a known path with another method (405).
    let routes: RouteMatcher

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.requestID(request)
        context.logger[metadataKey: "request_id"] = "\(context.requestID)"
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.methods(for: request.uri.path)
            if allowed.isEmpty {
                response = try answer(mapped(error, context: context), to: request, context: context)
            } else {
                response = try APIError(
                    .methodNotAllowed, code: "method_not_allowed",
                    "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))"
                ).response(from: request, context: context)
                response.headers[.allow] = allowed.joined(separator: ", ")
            }
        } catch {
            response = try answer(mapped(error, context: context), to: request, context: context)
        }
        response.headers[Self.requestIDHeader] = context.requestID
        return response
    }

    static let requestIDHeader = HTTPField.Name("X-Request-Id")!

    /// The error as the API's JSON body, or as an HTML page for a dashboard page's request.
    private func answer(_ error: APIError, to request: Request, context: APIRequestContext) throws -> Response {
        let path = request.uri.path
        let isAPI = path.hasPrefix("/api/") || ["/metrics", "/healthz", "/readyz"].contains(path)
        guard !isAPI else { return try error.response(from: request, context: context) }
        return try DashboardPage.render(
            "error", title: error.status.reasonPhrase,
            ["status": "\(error.status.code)", "message": error.message, "requestID": context.requestID],
            status: error.status)
    }

    /// The caller's `X-Request-Id` when it is short and plain, else a new one.
    private static func requestID(_ request: Request) -> String {
        if let given = request.headers[requestIDHeader], (1...64).contains(given.count),
            given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        {
            return given
        }
        return String(UUID().uuidString.prefix(18)).lowercased()
    }

    private func mapped(_ error: any Error, context: APIRequestContext) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as SluiceError:
            if error.code == .storageFailure {
                context.logger.error("storage failure", metadata: ["error": "\(error)"])
            }
            return APIError(error)
        case let error as HTTPError:
            return APIError(
                error.status, code: Self.code(for: error.status),
                error.body ?? error.status.reasonPhrase.lowercased())
        case is CancellationError:
            return APIError(.serviceUnavailable, code: "unavailable", "the server is shutting down")
        default:
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return APIError(
                .internalServerError, code: "internal",
                "an unexpected error occurred; it was logged with request id \(context.requestID)")
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        default: "http_\(status.code)"
        }
    }
}
