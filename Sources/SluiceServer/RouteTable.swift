import Foundation
import Hummingbird

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

    private let group: RouterGroup<APIRequestContext>
    private let prefix: String
    private(set) var keys: [RouteKey] = []

    init(group: RouterGroup<APIRequestContext>, prefix: String) {
        self.group = group
        self.prefix = prefix
    }

    func get(_ path: String, _ handler: @escaping Handler) { add(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { add(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { add(.put, path, handler) }
    func delete(_ path: String, _ handler: @escaping Handler) { add(.delete, path, handler) }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        group.on(RouterPath(path), method: method, use: handler)
        keys.append(RouteKey(method.rawValue.lowercased(), prefix + path))
    }
}
