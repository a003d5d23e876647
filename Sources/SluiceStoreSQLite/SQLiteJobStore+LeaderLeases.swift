import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func acquireLease(_ request: LeaderLeaseRequest) async throws -> Bool {
        try request.validate()
        let now = configuration.now()
        let expires = now.addingTimeInterval(request.ttl.seconds).roundedToMicroseconds
        return try await write { db in
            try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO leader_leases (name, holder, expires_at) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                    WHERE leader_leases.holder = excluded.holder OR leader_leases.expires_at <= ?
                    RETURNING holder
                    """,
                arguments: [
                    request.name, request.holder, expires.microsecondsSince1970, now.microsecondsSince1970,
                ]) != nil
        }
    }

    public func releaseLease(name: String, holder: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM leader_leases WHERE name = ? AND holder = ?", arguments: [name, holder])
            return db.changesCount > 0
        }
    }

    public func leaseHolder(name: String) async throws -> String? {
        let now = configuration.now().microsecondsSince1970
        return try await read { db in
            try String.fetchOne(
                db, sql: "SELECT holder FROM leader_leases WHERE name = ? AND expires_at > ?", arguments: [name, now])
        }
    }
}
