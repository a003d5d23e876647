import Foundation
import SluiceCore

/// Who may use the control plane, and what they did: hashed API tokens and the audit log. Every ``JobStore`` is
/// one; the conformance suite specifies each method.
public protocol AccessStore: Sendable {
    /// Stores a token.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument``; ``SluiceError/Code/conflict`` when the hash
    /// is already stored.
    func createToken(_ token: NewAPIToken) async throws -> APIToken

    /// Stores `token` only when no token exists yet (the first start's admin token), atomically across nodes.
    /// - Returns: the stored token, or nil when some token already existed.
    func createFirstToken(_ token: NewAPIToken) async throws -> APIToken?

    /// The unrevoked token whose secret hashes to `secretHash`, marking it used at `at` (stored to the minute).
    func authenticate(secretHash: String, at: Date) async throws -> APIToken?

    /// Every token, revoked ones included, oldest first.
    func tokens() async throws -> [APIToken]

    /// Revokes a token; revoking it again changes nothing.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func revokeToken(id: UUID) async throws -> APIToken

    /// Stores a dashboard session, first deleting every session that expired by its `createdAt`.
    /// - Returns: the session with its token.
    /// - Throws: ``SluiceError/Code/invalidArgument``; ``SluiceError/Code/notFound`` naming `token_id` when the
    ///   token is unknown or revoked; ``SluiceError/Code/conflict`` when the hash is already stored.
    func createSession(_ session: NewDashboardSession) async throws -> DashboardSessionRecord

    /// The session whose id hashes to `idHash`, if it has not expired at `at` and its token is unrevoked (so
    /// revoking a token ends all its sessions); the token is marked used at `at` like ``authenticate(secretHash:at:)``.
    func session(idHash: String, at: Date) async throws -> DashboardSessionRecord?

    /// Deletes a session (a logout); deleting an unknown one changes nothing.
    /// - Returns: whether a session was deleted.
    @discardableResult
    func deleteSession(idHash: String) async throws -> Bool

    /// Deletes the sessions that expired at or before `date`.
    ///
    /// - Returns: how many.
    @discardableResult
    func deleteExpiredSessions(before date: Date) async throws -> Int

    /// Appends an audit entry.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` for an empty actor, action or target.
    func appendAudit(_ entry: NewAuditEntry) async throws -> AuditEntry

    /// A page of the audit log, newest first.
    func auditLog(_ query: AuditQuery) async throws -> Page<AuditEntry>
}

extension NewAuditEntry {
    /// Checks that the entry names its actor, action, target and outcome.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        for (field, value) in [("actor", actor), ("action", action), ("target", target), ("outcome", outcome)]
        where value.isEmpty || value.count > 200 {
            throw .invalidArgument(field, "must be 1 to 200 characters")
        }
    }
}
