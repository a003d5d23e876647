import Foundation
import Hummingbird
import SluiceCore

/// A registered route: its method and its path in OpenAPI form (`/api/v1/jobs/{id}`).
public struct RouteKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let method: String
    public let path: String

    public init(_ method: String, _ path: String) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method) \(path)" }

    public static func < (lhs: RouteKey, rhs: RouteKey) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
}

/// Registers routes on a router group and remembers each, so that a test can hold the OpenAPI document to the
/// routes that really exist.
final class RouteTable {
    typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response
    typealias AuditedHandler = @Sendable (Request, APIRequestContext, AuditTrail) async throws -> Response
    /// Writes one audit entry: the request's context, the action, what it touched, and its outcome.
    typealias Auditor = @Sendable (APIRequestContext, String, AuditTrail, String) async -> Void

    private let group: RouterGroup<APIRequestContext>
    private let prefix: String
    private let auditor: Auditor
    private(set) var keys: [RouteKey] = []

    init(group: RouterGroup<APIRequestContext>, prefix: String, auditor: @escaping Auditor = { _, _, _, _ in }) {
        self.group = group
        self.prefix = prefix
        self.auditor = auditor
    }

    func get(_ path: String, _ handler: @escaping Handler) { add(.get, path, handler) }

    /// A mutating route: every call is recorded in the audit log as `action`, refusals included.
    func post(_ path: String, audit action: String, _ handler: @escaping AuditedHandler) {
        add(.post, path, audited(action, handler))
    }

    /// A mutating route: every call is recorded in the audit log as `action`, refusals included.
    func delete(_ path: String, audit action: String, _ handler: @escaping AuditedHandler) {
        add(.delete, path, audited(action, handler))
    }

    private func audited(_ action: String, _ handler: @escaping AuditedHandler) -> Handler {
        let auditor = auditor
        return { request, context in
            let trail = AuditTrail(target: String(request.uri.path.prefix(200)))
            do {
                let response = try await handler(request, context, trail)
                await auditor(context, action, trail, "ok")
                return response
            } catch {
                await auditor(context, action, trail, Self.outcome(of: error))
                throw error
            }
        }
    }

    /// The outcome recorded for a failed action: the code its client is answered with.
    private static func outcome(of error: any Error) -> String {
        switch error {
        case let error as APIError: error.code
        case let error as SluiceError: error.code.rawValue
        default: "error"
        }
    }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        group.on(RouterPath(path), method: method, use: handler)
        keys.append(RouteKey(method.rawValue.lowercased(), prefix + path))
    }
}
