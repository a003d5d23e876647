import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The dashboard: login, logout and the Pipeline Manager page.
    func registerDashboardRoutes(_ router: Router<APIRequestContext>) {
        router.get("/login") { request, _ in
            if try await dashboardIdentity(request) != nil { return HTMLResponse.redirect(to: "/") }
            return try DashboardPage.render("login", title: "Log in", [:])
        }
        router.post("/login") { request, _ in
            let form = try await FormBody.read(request)
            let secret = (form.fields["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !secret.isEmpty, secret.count <= 200,
                try await client.authenticate(secretHash: AccessTokens.hash(secret)) != nil
            else {
                return try DashboardPage.render(
                    "login", title: "Log in", ["error": "That token is unknown or revoked."], status: .unauthorized)
            }
            // Behind a TLS-terminating proxy the cookie is marked Secure too.
            let secure = request.uri.scheme == .https || request.headers[.init("X-Forwarded-Proto")!] == "https"
            return HTMLResponse.redirect(to: "/", cookie: DashboardSession.startCookie(secret, secure: secure))
        }
        router.post("/logout") { request, _ in
            let form = try await FormBody.read(request)
            guard let secret = DashboardSession.secret(of: request),
                DashboardSession.isValidCSRF(form.fields["csrf"], for: secret)
            else { throw APIError.forbidden("the form's CSRF token is missing or wrong; reload the page") }
            return HTMLResponse.redirect(to: "/login", cookie: DashboardSession.endCookie)
        }
        router.get("/") { request, _ in
            guard let (identity, secret) = try await dashboardIdentity(request) else {
                return HTMLResponse.redirect(to: "/login")
            }
            let view = try await PipelineView.load(client: client, identity: identity)
            return try DashboardPage.render(
                "pipeline", title: "Pipeline Manager", view.context, identity: identity, secret: secret)
        }
    }

    /// The logged-in caller and their token's secret, or nil without a valid session.
    func dashboardIdentity(_ request: Request) async throws -> (AccessIdentity, String)? {
        guard let secret = DashboardSession.secret(of: request),
            let token = try await client.authenticate(secretHash: AccessTokens.hash(secret))
        else { return nil }
        return (AccessIdentity(token), secret)
    }
}

/// Rendering a dashboard page inside the layout.
enum DashboardPage {
    static func render(
        _ template: String, title: String, _ context: [String: Any], identity: AccessIdentity? = nil,
        secret: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var context = context
        context["title"] = title
        if let identity, let secret {
            context["identity"] = [
                "name": identity.name, "role": identity.role.rawValue, "csrf": DashboardSession.csrfToken(for: secret),
            ]
        }
        guard let html = DashboardTemplates.library.render(context, withTemplate: template) else {
            throw APIError(.internalServerError, code: "internal", "the page template \(template) is missing")
        }
        return HTMLResponse.page(html, status: status)
    }
}
