import Foundation
import Hummingbird
import SluiceEngine

/// Sets the caller from the dashboard's session cookie; without a valid session a page request is sent to the
/// login page.
struct DashboardAuthentication: RouterMiddleware {
    typealias Context = APIRequestContext
    let client: SluiceClient

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let secret = DashboardSession.secret(of: request),
            let token = try await client.token(forSecret: secret)
        else { return HTMLResponse.redirect(to: "/login") }
        var context = context
        context.identity = AccessIdentity(token)
        context.sessionSecret = secret
        context.logger[metadataKey: "token"] = "\(token.name)"
        return try await next(request, context)
    }
}

extension APIRequestContext {
    /// Reads a dashboard form and checks its CSRF token against the session's.
    /// - Throws: 403 when the token is missing or wrong.
    func checkedForm(_ request: Request) async throws -> FormBody {
        let form = try await FormBody.read(request)
        guard let sessionSecret, DashboardSession.isValidCSRF(form.fields["csrf"], for: sessionSecret) else {
            throw APIError.forbidden("the form's CSRF token is missing or wrong; reload the page")
        }
        return form
    }
}
