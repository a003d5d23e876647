import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func acquireLease(_ request: LeaderLeaseRequest) async throws -> Bool {
        try request.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(request.ttl.seconds).roundedToMicroseconds
        return
            !(try await rows(
                """
                INSERT INTO leader_leases (name, holder, expires_at) VALUES (\(request.name), \(request.holder), \(expires))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at <= \(now)
                RETURNING holder
                """
            )).isEmpty
    }

    public func releaseLease(name: String, holder: String) async throws -> Bool {
        !(try await rows("DELETE FROM leader_leases WHERE name = \(name) AND holder = \(holder) RETURNING name"))
            .isEmpty
    }

    public func leaseHolder(name: String) async throws -> String? {
        let now = configuration.now()
        return try await rows("SELECT holder FROM leader_leases WHERE name = \(name) AND expires_at > \(now)")
            .first?["holder"].decode(String.self)
    }
}
