import Foundation
import SluiceCore
import SluiceStore

extension SluiceClient {
    // MARK: - Tokens

    /// Stores a token (its secret's hash only).
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument``.
    public func createToken(_ token: NewAPIToken) async throws -> APIToken {
        if let brandID = token.brandID { try await requireBrand(brandID) }
        return try await store.createToken(token)
    }

    /// Stores `token` only if no token exists yet: the first start's admin token. Returns nil otherwise.
    public func createFirstToken(_ token: NewAPIToken) async throws -> APIToken? {
        try await store.createFirstToken(token)
    }

    /// The unrevoked token whose secret hashes to `secretHash`.
    public func authenticate(secretHash: String) async throws -> APIToken? {
        try await store.authenticate(secretHash: secretHash, at: clock.now())
    }

    /// Every token, revoked ones included.
    public func tokens() async throws -> [APIToken] { try await store.tokens() }

    /// Revokes a token.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    public func revokeToken(id: UUID) async throws -> APIToken { try await store.revokeToken(id: id) }

    // MARK: - Dashboard sessions

    /// Starts a dashboard session of the token `tokenID` that lasts `lifetime` from the client's clock, storing only
    /// `idHash`, the SHA-256 of its opaque id; sessions expired by now are pruned on the way.
    /// - Throws: ``SluiceError/Code/notFound`` naming `token_id` when the token is unknown or revoked.
    public func createSession(
        idHash: String, tokenID: UUID, lifetime: Duration
    ) async throws
        -> DashboardSessionRecord
    {
        let now = clock.now()
        return try await store.createSession(
            NewDashboardSession(
                idHash: idHash, tokenID: tokenID, createdAt: now, expiresAt: now.addingTimeInterval(lifetime.seconds)))
    }

    /// The live session whose id hashes to `idHash`: unexpired, its token unrevoked.
    public func session(idHash: String) async throws -> DashboardSessionRecord? {
        try await store.session(idHash: idHash, at: clock.now())
    }

    /// Ends a session (a logout).
    ///
    /// - Returns: whether there was one.
    @discardableResult
    public func deleteSession(idHash: String) async throws -> Bool { try await store.deleteSession(idHash: idHash) }

    // MARK: - Audit

    /// Records a mutating action; the time is the client's clock.
    @discardableResult
    public func audit(
        actor: String, tokenID: UUID?, action: String, target: String, brandID: UUID?, outcome: String
    ) async throws -> AuditEntry {
        try await store.appendAudit(
            NewAuditEntry(
                actor: actor, tokenID: tokenID, action: action, target: target, brandID: brandID, outcome: outcome,
                at: clock.now()))
    }

    /// A page of the audit log, newest first.
    public func auditLog(_ query: AuditQuery) async throws -> Page<AuditEntry> { try await store.auditLog(query) }

    // MARK: - Activity

    /// Unfinished runs by job type, queue and state.
    public func activeRunCounts() async throws -> [ActiveRunCount] { try await store.activeRunCounts() }

    /// What changed among runs and log lines since a change feed's last look.
    public func runActivity(_ query: RunActivityQuery) async throws -> RunActivity {
        try await store.runActivity(query)
    }
}
