import Foundation
import Hummingbird
import SluiceStore

/// The request context of Sluice's routes: the authenticated token, if any.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, set by the authentication middleware on every route but the open ones.
    public var identity: AccessIdentity?
    /// The request's id: the caller's `X-Request-Id`, or a new one; logged with every line and echoed back.
    public var requestID = ""
    /// The dashboard session's opaque id (dashboard pages only), from which its forms' CSRF token derives.
    public var sessionID: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// The caller.
    ///
    /// - Throws: 401 when the route was reached without a token (an open route).
    func caller() throws -> AccessIdentity {
        guard let identity else { throw APIError(.unauthorized, code: "unauthorized", "a bearer token is required") }
        return identity
    }
}

/// Who is calling: a token's name, role and brand scope.
public struct AccessIdentity: Sendable, Hashable {
    public let tokenID: UUID?
    public let name: String
    public let role: AccessRole
    /// The one brand this caller sees, or nil for every brand.
    public let brandID: UUID?

    public init(tokenID: UUID?, name: String, role: AccessRole, brandID: UUID?) {
        self.tokenID = tokenID
        self.name = name
        self.role = role
        self.brandID = brandID
    }

    init(_ token: APIToken) {
        self.init(tokenID: token.id, name: token.name, role: token.role, brandID: token.brandID)
    }

    /// - Throws: 403 unless the caller's role includes `role`.
    func require(_ role: AccessRole) throws {
        guard self.role >= role else {
            throw APIError.forbidden("this needs the \(role.rawValue) role; the token has \(self.role.rawValue)")
        }
    }

    /// - Throws: 403 for a brand-scoped caller (global settings and every-brand actions).
    func requireUnscoped() throws {
        guard brandID == nil else { throw APIError.forbidden("a brand-scoped token cannot do this") }
    }

    /// - Throws: 404 (as if it did not exist) when `object` belongs to a brand the caller may not see.
    func checkBrand(_ brandID: UUID, _ object: @autoclosure () -> String) throws {
        guard self.brandID == nil || self.brandID == brandID else { throw APIError.notFound(object()) }
    }

    /// The brand a list is limited to: the requested one (checked) or the caller's scope.
    func listBrand(_ requested: UUID?) throws -> UUID? {
        if let requested {
            try checkBrand(requested, "brand \(requested.uuidString.lowercased())")
            return requested
        }
        return brandID
    }
}
