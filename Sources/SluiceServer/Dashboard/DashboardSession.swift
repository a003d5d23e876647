import Crypto
import Foundation
import Hummingbird

/// The dashboard's login: the operator pastes an API token once; it is kept in an HttpOnly, SameSite=Strict
/// cookie and checked like a bearer token on every request (so revoking the token ends the session on every
/// node). Forms carry a CSRF token derived from the session's token, which a page of another origin cannot know.
enum DashboardSession {
    static let cookieName = "sluice_session"
    /// How long a login lasts.
    static let lifetime = 12 * 3600

    /// The session's token secret, from the request's cookie.
    static func secret(of request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.value, !value.isEmpty, value.count <= 200 else { return nil }
        return value
    }

    /// The CSRF token of forms in the session of `secret`.
    static func csrfToken(for secret: String) -> String {
        SHA256.hash(data: Data("sluice-dashboard-csrf:\(secret)".utf8)).prefix(16)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `submitted` is the CSRF token of the session of `secret`, compared in constant time.
    static func isValidCSRF(_ submitted: String?, for secret: String) -> Bool {
        guard let submitted else { return false }
        let expected = Array(csrfToken(for: secret).utf8)
        let given = Array(submitted.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The `Set-Cookie` value that starts a session.
    static func startCookie(_ secret: String, secure: Bool) -> String {
        "\(cookieName)=\(secret); Path=/; Max-Age=\(lifetime); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }

    /// The `Set-Cookie` value that ends a session.
    static let endCookie = "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
}
