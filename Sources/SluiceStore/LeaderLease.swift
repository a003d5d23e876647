import Foundation
import SluiceCore

/// A request to take or renew a named leader lease.
public struct LeaderLeaseRequest: Sendable, Hashable {
    /// The lease's name, such as `scheduler`.
    public var name: String
    /// Who asks, such as a worker id.
    public var holder: String
    /// How long the lease lasts from now.
    public var ttl: Duration

    /// Creates a request.
    public init(name: String, holder: String, ttl: Duration) {
        self.name = name
        self.holder = holder
        self.ttl = ttl
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard !name.isEmpty, name.count <= 200 else { throw .invalidArgument("name", "must be 1-200 characters") }
        guard !holder.isEmpty, holder.count <= 200 else { throw .invalidArgument("holder", "must be 1-200 characters") }
        guard ttl > .zero else { throw .invalidArgument("ttl", "must be positive") }
    }
}
