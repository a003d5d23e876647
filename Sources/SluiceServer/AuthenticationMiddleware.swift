import Foundation
import Hummingbird
import SluiceEngine

/// Reads `Authorization: Bearer <token>` and sets the request's ``AccessIdentity``; answers 401 without a valid
/// token. Mounted on every route but `/healthz`, `/readyz` and the OpenAPI document.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let client: SluiceClient

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, code: "unauthorized", "send the token as Authorization: Bearer <token>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", parts[1].count <= 200 else {
            throw APIError(.unauthorized, code: "unauthorized", "the Authorization header is not a bearer token")
        }
        guard let token = try await client.token(forSecret: String(parts[1])) else {
            throw APIError(.unauthorized, code: "unauthorized", "the token is unknown or revoked")
        }
        var context = context
        context.identity = AccessIdentity(token)
        context.logger[metadataKey: "token"] = "\(token.name)"
        return try await next(request, context)
    }
}
