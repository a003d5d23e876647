import Foundation
import HTTPTypes
import Hummingbird
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The dashboard's login and logout. The login form is protected against login CSRF: its page sets a
    /// short-lived pre-session token in a cookie and in a hidden field, and a submission must carry both, equal,
    /// and no `Origin` of another site.
    func registerDashboardLoginRoutes(_ router: Router<APIRequestContext>) {
        router.get("/login") { request, _ in
            if let sessionID = DashboardSession.sessionID(of: request),
                try await client.dashboardSession(id: sessionID) != nil
            {
                return HTMLResponse.redirect(to: "/")
            }
            return try Self.loginPage(request)
        }
        router.post("/login") { request, _ in
            guard DashboardSession.isSameOrigin(request) else {
                return try Self.loginPage(
                    request, error: "This login came from another site; log in here.", status: .forbidden)
            }
            let form = try await FormBody.read(request)
            guard let expected = DashboardSession.loginToken(of: request),
                DashboardSession.constantTimeEquals(form.fields["login_csrf"] ?? "", expected)
            else {
                return try Self.loginPage(
                    request, error: "The login form expired or came from elsewhere; please log in again.",
                    status: .forbidden)
            }
            let secret = (form.fields["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty, secret.count <= 200, let token = try await client.token(forSecret: secret) else {
                return try Self.loginPage(request, error: "That token is unknown or revoked.", status: .unauthorized)
            }
            // A new login replaces the browser's earlier session rather than leaving it alive.
            if let earlier = DashboardSession.sessionID(of: request) {
                try await client.endDashboardSession(id: earlier)
            }
            let sessionID = try await client.startDashboardSession(for: token)
            var response = HTMLResponse.redirect(
                to: "/", cookie: DashboardSession.startCookie(sessionID, secure: DashboardSession.isSecure(request)))
            response.headers.append(HTTPField(name: .setCookie, value: DashboardSession.endLoginCookie))
            return response
        }
        router.post("/logout") { request, _ in
            let form = try await FormBody.read(request)
            guard let sessionID = DashboardSession.sessionID(of: request),
                DashboardSession.isValidCSRF(form.fields["csrf"], for: sessionID)
            else { throw APIError.forbidden("the form's CSRF token is missing or wrong; reload the page") }
            try await client.endDashboardSession(id: sessionID)
            return HTMLResponse.redirect(to: "/login", cookie: DashboardSession.endCookie)
        }
    }

    /// The login page with a fresh pre-session CSRF token, in its hidden field and its cookie.
    private static func loginPage(
        _ request: Request, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let loginToken = DashboardSession.newSecret()
        var context: [String: Any] = ["login_csrf": loginToken]
        if let error { context["error"] = error }
        var response = try DashboardPage.render("login", title: "Log in", context, status: status)
        response.headers.append(
            HTTPField(
                name: .setCookie,
                value: DashboardSession.loginCookie(loginToken, secure: DashboardSession.isSecure(request))))
        return response
    }
}
