import Foundation
import HTTPTypes
import NIOCore
import Testing

/// Logging in to the dashboard as a browser does: the login page sets a pre-session CSRF cookie and puts the same
/// token in the form's hidden field; the form is then posted with both.
extension APICaller {
    /// The login page and the pre-session CSRF token it gave, in its hidden field and in its cookie.
    func loginPage() async throws -> (page: APIResponse, field: String?, cookie: String?) {
        let page = try await client.execute(uri: "/login", method: .get, headers: [:]) { response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
        return (page, Self.loginField(in: page.text), Self.cookie("sluice_login", in: page))
    }

    /// Posts the login form with `secret`, the pre-session CSRF `field` and `cookie` (each left out when nil), and
    /// any `extra` headers.
    func submitLogin(
        secret: String, field: String?, cookie: String?, extra: HTTPFields = [:]
    ) async throws -> APIResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        headers.append(contentsOf: extra)
        if let cookie { headers[.cookie] = "sluice_login=\(cookie)" }
        var form = "token=\(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        if let field { form += "&login_csrf=\(field)" }
        return try await client.execute(
            uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: form)
        ) { response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    /// Logs in with `secret` through the login page and its form, and returns the session cookie's value.
    func session(secret: String) async throws -> String {
        let (_, field, cookie) = try await loginPage()
        let response = try await submitLogin(secret: secret, field: field, cookie: cookie)
        #expect(response.status == .seeOther)
        return try #require(Self.cookie("sluice_session", in: response))
    }

    /// Logs in as the fixture's token `name` and returns the session cookie's value.
    func session(_ name: String) async throws -> String {
        try await session(secret: try #require(tokens[name]))
    }

    /// The non-empty value that a `Set-Cookie` header of `response` gives the cookie `name`.
    static func cookie(_ name: String, in response: APIResponse) -> String? {
        for header in response.headers[values: .setCookie] where header.hasPrefix("\(name)=") {
            let value = String(header.dropFirst(name.count + 1).prefix { $0 != ";" })
            if !value.isEmpty { return value }
        }
        return nil
    }

    /// The login form's hidden pre-session CSRF token.
    static func loginField(in html: String) -> String? {
        html.range(of: #"name="login_csrf" value="[A-Za-z0-9_-]+""#, options: .regularExpression).map {
            String(html[$0].dropFirst(#"name="login_csrf" value=""#.count).dropLast())
        }
    }
}
