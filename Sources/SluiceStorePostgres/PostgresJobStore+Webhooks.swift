import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func createWebhook(_ request: WebhookRequest) async throws -> Webhook {
        try request.validate()
        let now = configuration.now()
        guard
            let row = try await rows(
                """
                INSERT INTO webhooks (brand_id, url, secret, kinds, created_at)
                VALUES (\(request.brandID), \(request.url), \(request.secret),
                    \(StoredPipelineValues.kindsText(request.kinds)), \(now))
                RETURNING id
                """
            ).first
        else { throw SluiceError(.storageFailure, "the webhook insert returned no id") }
        return Webhook(
            id: try row["id"].decode(Int64.self), brandID: request.brandID, url: request.url, kinds: request.kinds,
            createdAt: now)
    }

    public func webhooks(brandID: UUID?) async throws -> [Webhook] {
        try await rows(
            """
            SELECT id, brand_id, url, kinds, created_at FROM webhooks
            WHERE \(brandID)::uuid IS NULL OR brand_id = \(brandID) ORDER BY id
            """
        ).map { row in
            Webhook(
                id: try row["id"].decode(Int64.self), brandID: try row["brand_id"].decode(UUID?.self),
                url: try row["url"].decode(String.self),
                kinds: StoredPipelineValues.kinds(try row["kinds"].decode(String.self)),
                createdAt: try row["created_at"].instant())
        }
    }

    public func deleteWebhook(id: Int64) async throws {
        guard try await !rows("DELETE FROM webhooks WHERE id = \(id) RETURNING id").isEmpty else {
            throw SluiceError(.notFound, "webhook \(id) does not exist")
        }
    }

    public func enqueueAlert(_ event: AlertEvent) async throws -> Int {
        try event.validate()
        return try await Self.insertAlert(event, now: configuration.now()) { query in try await rows(query) }
    }

    /// Queues `event` for every subscribed webhook of its brand or of every brand, once per event key, through
    /// `run` (a connection in a transaction, or the pool).
    static func insertAlert(
        _ event: AlertEvent, now: Date, run: (PostgresQuery) async throws -> [PostgresRandomAccessRow]
    ) async throws -> Int {
        try await run(
            """
            INSERT INTO webhook_deliveries (webhook_id, event_key, kind, body, state, next_attempt_at, created_at)
            SELECT id, \(event.key), \(event.kind.rawValue), \(event.body), 'pending', \(now), \(now) FROM webhooks
            WHERE (brand_id IS NULL OR brand_id = \(event.brandID))
                AND (kinds = '' OR position(\(",\(event.kind.rawValue),") IN ',' || kinds || ',') > 0)
            ON CONFLICT (webhook_id, event_key) DO NOTHING
            RETURNING id
            """
        ).count
    }

    public func enqueueTestDelivery(webhookID: Int64) async throws -> WebhookDelivery {
        let now = configuration.now()
        return try await transaction { connection in
            guard
                let hook = try await rows("SELECT brand_id FROM webhooks WHERE id = \(webhookID)", on: connection).first
            else { throw SluiceError(.notFound, "webhook \(webhookID) does not exist") }
            let event = AlertEvent(
                kind: .test, brandID: try hook["brand_id"].decode(UUID?.self),
                key: "webhook.test:\(webhookID):\(now.microsecondsSince1970)",
                data: ["webhook_id": .int(webhookID), "message": .string("a test delivery from Sluice")],
                occurredAt: now)
            guard
                let row = try await rows(
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event_key, kind, body, state, next_attempt_at, created_at)
                    VALUES (\(webhookID), \(event.key), \(event.kind.rawValue), \(event.body), 'pending', \(now), \(now))
                    ON CONFLICT (webhook_id, event_key) DO NOTHING
                    RETURNING \(unescaped: Self.deliveryColumns)
                    """, on: connection
                ).first
            else { throw SluiceError(.conflict, "a test delivery was just queued; try again") }
            return try Self.delivery(row)
        }
    }

    public func claimDeliveries(limit: Int, leaseFor: Duration) async throws -> [ClaimedDelivery] {
        try PageLimit.validate(limit)
        let now = configuration.now()
        let until = now.addingTimeInterval(leaseFor.seconds)
        return try await rows(
            """
            WITH claimed AS (
                UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = \(until)
                WHERE id IN (
                    SELECT id FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= \(now)
                    ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING *)
            SELECT claimed.*, webhooks.url, webhooks.secret FROM claimed JOIN webhooks ON webhooks.id = claimed.webhook_id
            """
        ).map { row in
            ClaimedDelivery(
                delivery: try Self.delivery(row), url: try row["url"].decode(String.self),
                secret: try row["secret"].decode(String.self))
        }
    }

    public func recordDeliveryAttempt(_ attempt: DeliveryAttempt) async throws -> WebhookDelivery {
        let now = configuration.now()
        let (state, status, error, next): (WebhookDelivery.State, Int?, String?, Date?)
        switch attempt.outcome {
        case .delivered(let code): (state, status, error, next) = (.delivered, code, nil, nil)
        case .failed(let code, let message, let retryAt):
            (state, status, error, next) = (
                retryAt == nil ? .failed : .pending, code, StoreArguments.storableError(message), retryAt
            )
        }
        let deliveredAt: Date? = state == .delivered ? now : nil
        guard
            let row = try await rows(
                """
                UPDATE webhook_deliveries SET state = \(state.rawValue), last_status = \(status),
                    last_error = \(error), next_attempt_at = \(next), delivered_at = \(deliveredAt)
                WHERE id = \(attempt.deliveryID) AND state = 'pending'
                RETURNING \(unescaped: Self.deliveryColumns)
                """
            ).first
        else { throw SluiceError(.notFound, "no pending delivery \(attempt.deliveryID)") }
        return try Self.delivery(row)
    }

    public func deliveries(webhookID: Int64, limit: Int) async throws -> [WebhookDelivery] {
        try PageLimit.validate(limit)
        return try await rows(
            """
            SELECT \(unescaped: Self.deliveryColumns) FROM webhook_deliveries WHERE webhook_id = \(webhookID)
            ORDER BY id DESC LIMIT \(limit)
            """
        ).map(Self.delivery)
    }

    static let deliveryColumns = """
        id, webhook_id, event_key, kind, body, state, attempts, next_attempt_at, last_status, last_error, created_at,
        delivered_at
        """

    static func delivery(_ row: PostgresRandomAccessRow) throws -> WebhookDelivery {
        guard let state = WebhookDelivery.State(rawValue: try row["state"].decode(String.self)) else {
            throw SluiceError(.storageFailure, "stored delivery state is unknown")
        }
        return WebhookDelivery(
            id: try row["id"].decode(Int64.self), webhookID: try row["webhook_id"].decode(Int64.self),
            eventKey: try row["event_key"].decode(String.self),
            kind: try StoredPipelineValues.kind(row["kind"].decode(String.self)),
            body: try row["body"].decode(String.self),
            state: state, attempts: try row["attempts"].decode(Int.self),
            nextAttemptAt: try row["next_attempt_at"].optionalInstant(),
            lastStatus: try row["last_status"].decode(Int?.self),
            lastError: try row["last_error"].decode(String?.self), createdAt: try row["created_at"].instant(),
            deliveredAt: try row["delivered_at"].optionalInstant())
    }
}
