import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func createWebhook(_ request: WebhookRequest) async throws -> Webhook {
        try request.validate()
        let now = configuration.now()
        let id = try await write { db in
            try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO webhooks (brand_id, url, secret, kinds, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id
                    """,
                arguments: [
                    request.brandID?.storageText, request.url, request.secret,
                    StoredPipelineValues.kindsText(request.kinds), now.microsecondsSince1970,
                ])!
        }
        return Webhook(id: id, brandID: request.brandID, url: request.url, kinds: request.kinds, createdAt: now)
    }

    public func webhooks(brandID: UUID?) async throws -> [Webhook] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, brand_id, url, kinds, created_at FROM webhooks
                    WHERE (?1 IS NULL OR brand_id = ?1) ORDER BY id
                    """, arguments: [brandID?.storageText]
            ).map { row in
                Webhook(
                    id: row[0], brandID: try (row[1] as String?).map(StoredPipelineValues.uuid), url: row[2],
                    kinds: StoredPipelineValues.kinds(row[3]), createdAt: Date(microsecondsSince1970: row[4]))
            }
        }
    }

    public func deleteWebhook(id: Int64) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            guard db.changesCount > 0 else { throw SluiceError(.notFound, "webhook \(id) does not exist") }
        }
    }

    public func enqueueAlert(_ event: AlertEvent) async throws -> Int {
        try event.validate()
        let now = configuration.now().microsecondsSince1970
        return try await write { db in try Self.insertAlert(db, event, now: now) }
    }

    /// Queues `event` for every subscribed webhook of its brand or of every brand, once per event key.
    static func insertAlert(_ db: Database, _ event: AlertEvent, now: Int64) throws -> Int {
        try db.execute(
            sql: """
                INSERT INTO webhook_deliveries (webhook_id, event_key, kind, body, state, next_attempt_at, created_at)
                SELECT id, ?1, ?2, ?3, 'pending', ?4, ?4 FROM webhooks
                WHERE (brand_id IS NULL OR brand_id = ?5) AND (kinds = '' OR instr(',' || kinds || ',', ?6) > 0)
                ON CONFLICT (webhook_id, event_key) DO NOTHING
                """,
            arguments: [
                event.key, event.kind.rawValue, event.body, now, event.brandID?.storageText, ",\(event.kind.rawValue),",
            ])
        return db.changesCount
    }

    public func enqueueTestDelivery(webhookID: Int64) async throws -> WebhookDelivery {
        let now = configuration.now()
        return try await write { db in
            guard
                let hook = try Row.fetchOne(
                    db, sql: "SELECT brand_id FROM webhooks WHERE id = ?", arguments: [webhookID])
            else { throw SluiceError(.notFound, "webhook \(webhookID) does not exist") }
            let brand: String? = hook[0]
            let event = AlertEvent(
                kind: .test, brandID: try brand.map(StoredPipelineValues.uuid),
                key: "webhook.test:\(webhookID):\(now.microsecondsSince1970)",
                data: ["webhook_id": .int(webhookID), "message": .string("a test delivery from Sluice")],
                occurredAt: now)
            let row = try Row.fetchOne(
                db,
                sql: """
                    INSERT INTO webhook_deliveries (webhook_id, event_key, kind, body, state, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (webhook_id, event_key) DO NOTHING
                    RETURNING \(Self.deliveryColumns)
                    """,
                arguments: [
                    webhookID, event.key, event.kind.rawValue, event.body, now.microsecondsSince1970,
                    now.microsecondsSince1970,
                ])
            guard let row else { throw SluiceError(.conflict, "a test delivery was just queued; try again") }
            return try Self.delivery(row)
        }
    }

    public func claimDeliveries(limit: Int, leaseFor: Duration) async throws -> [ClaimedDelivery] {
        try PageLimit.validate(limit)
        let now = configuration.now()
        let until = now.addingTimeInterval(leaseFor.seconds).microsecondsSince1970
        return try await write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = ?1
                    WHERE id IN (
                        SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?2
                        ORDER BY next_attempt_at LIMIT ?3)
                    RETURNING \(Self.deliveryColumns),
                        (SELECT url FROM webhooks w WHERE w.id = webhook_id),
                        (SELECT secret FROM webhooks w WHERE w.id = webhook_id)
                    """, arguments: [until, now.microsecondsSince1970, limit]
            ).map { row in ClaimedDelivery(delivery: try Self.delivery(row), url: row[12], secret: row[13]) }
        }
    }

    public func recordDeliveryAttempt(_ attempt: DeliveryAttempt) async throws -> WebhookDelivery {
        let now = configuration.now().microsecondsSince1970
        let (state, status, error, next): (WebhookDelivery.State, Int?, String?, Int64?)
        switch attempt.outcome {
        case .delivered(let code): (state, status, error, next) = (.delivered, code, nil, nil)
        case .failed(let code, let message, let retryAt):
            (state, status, error, next) = (
                retryAt == nil ? .failed : .pending, code, StoreArguments.storableError(message),
                retryAt?.roundedToMicroseconds.microsecondsSince1970
            )
        }
        return try await write { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE webhook_deliveries SET state = ?1, last_status = ?2, last_error = ?3,
                            next_attempt_at = ?4, delivered_at = CASE WHEN ?1 = 'delivered' THEN ?5 END
                        WHERE id = ?6 AND state = 'pending' RETURNING \(Self.deliveryColumns)
                        """, arguments: [state.rawValue, status, error, next, now, attempt.deliveryID])
            else { throw SluiceError(.notFound, "no pending delivery \(attempt.deliveryID)") }
            return try Self.delivery(row)
        }
    }

    public func deliveries(webhookID: Int64, limit: Int) async throws -> [WebhookDelivery] {
        try PageLimit.validate(limit)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.deliveryColumns) FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?
                    """, arguments: [webhookID, limit]
            ).map(Self.delivery)
        }
    }

    static let deliveryColumns = """
        id, webhook_id, event_key, kind, body, state, attempts, next_attempt_at, last_status, last_error, created_at,
        delivered_at
        """

    static func delivery(_ row: Row) throws -> WebhookDelivery {
        guard let state = WebhookDelivery.State(rawValue: row[5]) else {
            throw SluiceError(.storageFailure, "stored delivery state is unknown")
        }
        return WebhookDelivery(
            id: row[0], webhookID: row[1], eventKey: row[2], kind: try StoredPipelineValues.kind(row[3]), body: row[4],
            state: state, attempts: row[6], nextAttemptAt: SQLiteRows.date(row[7]), lastStatus: row[8],
            lastError: row[9], createdAt: Date(microsecondsSince1970: row[10]), deliveredAt: SQLiteRows.date(row[11]))
    }
}
