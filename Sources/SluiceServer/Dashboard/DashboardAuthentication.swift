import Foundation
import Hummingbird
import SluiceEngine
import SluiceStore

/// Sets the caller from the dashboard's session cookie; without a live session a page request is sent to the
/// login page.
struct DashboardAuthentication: RouterMiddleware {
    typealias Context = APIRequestContext
    let client: SluiceClient

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let sessionID = DashboardSession.sessionID(of: request),
            let session = try await client.dashboardSession(id: sessionID)
        else { return HTMLResponse.redirect(to: "/login") }
        var context = context
        context.identity = AccessIdentity(session.token)
        context.sessionID = sessionID
        context.logger[metadataKey: "token"] = "\(session.token.name)"
        return try await next(request, context)
    }
}

extension APIRequestContext {
    /// Reads a dashboard form and checks its CSRF token against the session's.
    /// - Throws: 403 when the token is missing or wrong.
    func checkedForm(_ request: Request) async throws -> FormBody {
        let form = try await FormBody.read(request)
        guard let sessionID, DashboardSession.isValidCSRF(form.fields["csrf"], for: sessionID) else {
            throw APIError.forbidden("the form's CSRF token is missing or wrong; reload the page")
        }
        return form
    }
}

extension SluiceClient {
    /// Starts a dashboard session of `token` (12 hours) and returns its opaque id, the session cookie's value; only
    /// the id's SHA-256 is stored.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` when the token is unknown or revoked.
    public func startDashboardSession(for token: APIToken) async throws -> String {
        let id = DashboardSession.newSecret()
        _ = try await createSession(
            idHash: DashboardSession.hash(id), tokenID: token.id, lifetime: .seconds(DashboardSession.lifetime))
        return id
    }

    /// The live session whose id is `id`: unexpired, its token unrevoked.
    func dashboardSession(id: String) async throws -> DashboardSessionRecord? {
        try await session(idHash: DashboardSession.hash(id))
    }

    /// Ends the session whose id is `id`.
    func endDashboardSession(id: String) async throws {
        try await deleteSession(idHash: DashboardSession.hash(id))
    }
}
