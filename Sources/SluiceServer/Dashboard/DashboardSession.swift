import Crypto
import Foundation
import Hummingbird

/// The dashboard's login: the operator pastes an API token once; the server then keeps a session of its own, whose
/// opaque random id is all the HttpOnly, SameSite=Strict cookie holds (the store keeps only its SHA-256). Each
/// request looks the session up, so logging out or revoking the token ends it on every node, and the cookie is no
/// bearer token for the API. Forms carry a CSRF token derived from the session's id, which a page of another origin
/// cannot know; the login form carries a pre-session one from a short-lived cookie of its own.
enum DashboardSession {
    static let cookieName = "sluice_session"
    /// The cookie of the login form's pre-session CSRF token.
    static let loginCookieName = "sluice_login"
    /// How long a login lasts.
    static let lifetime = 12 * 3600
    /// How long a login form may be submitted after it was shown.
    static let loginLifetime = 30 * 60

    /// A new random secret: 32 random bytes, base64url without padding (43 characters).
    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a session id: its SHA-256 as 64 lowercase hex digits.
    static func hash(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The session id from the request's cookie, if it has the form of one.
    static func sessionID(of request: Request) -> String? { secret(named: cookieName, in: request) }

    /// The login form's pre-session CSRF token from the request's cookie, if it has the form of one.
    static func loginToken(of request: Request) -> String? { secret(named: loginCookieName, in: request) }

    private static func secret(named name: String, in request: Request) -> String? {
        guard let value = request.cookies[name]?.value, value.count == 43,
            value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }

    /// The CSRF token of forms in the session `sessionID`.
    static func csrfToken(for sessionID: String) -> String {
        SHA256.hash(data: Data("sluice-dashboard-csrf:\(sessionID)".utf8)).prefix(16)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `submitted` is the CSRF token of the session `sessionID`, compared in constant time.
    static func isValidCSRF(_ submitted: String?, for sessionID: String) -> Bool {
        guard let submitted else { return false }
        return constantTimeEquals(submitted, csrfToken(for: sessionID))
    }

    /// Whether two strings are equal, in a time that depends only on their lengths.
    static func constantTimeEquals(_ given: String, _ expected: String) -> Bool {
        let given = Array(given.utf8)
        let expected = Array(expected.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Whether the request came over TLS, directly or through a TLS-terminating proxy (its cookies are then Secure).
    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme == .https || request.headers[.init("X-Forwarded-Proto")!] == "https"
    }

    /// Whether the request's `Origin` header, when present, names this server: its host and port equal the
    /// request's `Host` (or a proxy's `X-Forwarded-Host`). A page of another origin cannot forge either header.
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let url = URL(string: origin), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, url.path.isEmpty, url.query == nil, url.user == nil
        else { return false }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let authority = (url.port.map { "\(bracketed):\($0)" } ?? bracketed).lowercased()
        let candidates = [
            request.head.authority, request.headers[.init("Host")!], request.headers[.init("X-Forwarded-Host")!],
        ]
        return candidates.contains { $0?.lowercased() == authority }
    }

    /// The `Set-Cookie` value that starts a session.
    static func startCookie(_ sessionID: String, secure: Bool) -> String {
        "\(cookieName)=\(sessionID); Path=/; Max-Age=\(lifetime); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    /// The `Set-Cookie` value that ends a session.
    static let endCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"

    /// The `Set-Cookie` value of a login form's pre-session CSRF token.
    static func loginCookie(_ token: String, secure: Bool) -> String {
        "\(loginCookieName)=\(token); Path=/login; Max-Age=\(loginLifetime); HttpOnly; SameSite=Strict"
            + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that drops the login form's token once logged in.
    static let endLoginCookie = "\(loginCookieName)=; Path=/login; Max-Age=0; HttpOnly; SameSite=Strict"
}
