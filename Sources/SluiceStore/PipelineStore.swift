import Foundation
import SluiceCore

/// Durable storage of the pipeline layer: per-brand dataset settings and refresh history, shared rate limiters, and
/// alert webhooks with their deliveries. Every ``JobStore`` is one; the conformance suite specifies each method.
public protocol PipelineStore: Sendable {
    // MARK: - Dataset settings and history

    /// Saves a brand's settings for a dataset, replacing earlier ones.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `dataset`.
    func saveDatasetOverride(_ override: DatasetOverride) async throws

    /// Removes a brand's settings for a dataset; returns whether there were any.
    func deleteDatasetOverride(brandID: UUID, dataset: String) async throws -> Bool

    /// The saved settings, of one brand or of all, sorted by brand then dataset.
    func datasetOverrides(brandID: UUID?) async throws -> [DatasetOverride]

    /// A brand's finished refreshes of a dataset, newest first.
    func datasetHistory(_ query: DatasetHistoryQuery) async throws -> [DatasetHistoryEntry]

    /// Deletes up to a batch each of old refresh history entries and finished webhook deliveries, oldest first.
    /// Call repeatedly until ``PipelinePruneResult/isComplete``.
    func prunePipeline(_ request: PipelinePruneRequest) async throws -> PipelinePruneResult

    // MARK: - Rate limiters

    /// Creates a limiter or changes its rate and burst; a new limiter starts with a full bucket.
    func configureRateLimiter(_ limiter: RateLimiterSettings) async throws

    /// Takes one token from the named limiter's bucket, or says when one will be available. Atomic across every
    /// process sharing the store.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `limiter`.
    func acquireRateLimitToken(limiter: String) async throws -> RateLimitDecision

    /// Gives a run that releases its worker slot rather than wait `wait` for a token its turn: the first time at or
    /// after `wait` from now that no other run was given, turns being one token's interval (`1 / rate`) apart. A run
    /// that comes back at its turn finds a token unless others took it meanwhile; runs that wait this way are spread
    /// over the limiter's rate instead of all coming back when the next token does. Atomic across every process.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `limiter`.
    func takeRateLimitTurn(limiter: String, after wait: Duration) async throws -> Date

    /// Every limiter and its bucket now, sorted by name.
    func rateLimiters() async throws -> [RateLimiterState]

    // MARK: - Alert webhooks

    /// Registers a webhook.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    func createWebhook(_ request: WebhookRequest) async throws -> Webhook

    /// The webhooks of one brand, or all (global ones included) when `brandID` is nil; oldest first.
    func webhooks(brandID: UUID?) async throws -> [Webhook]

    /// Deletes a webhook and its deliveries.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func deleteWebhook(id: Int64) async throws

    /// Queues a delivery of `event` to every webhook subscribed to its kind, for its brand or global. An event key
    /// is delivered at most once per webhook. Returns the deliveries created.
    func enqueueAlert(_ event: AlertEvent) async throws -> Int

    /// Queues a test delivery to one webhook.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func enqueueTestDelivery(webhookID: Int64) async throws -> WebhookDelivery

    /// Takes up to `limit` due deliveries for `leaseFor`: none is handed out again before that passes (a sender that
    /// dies mid-delivery loses nothing; its deliveries come due again).
    func claimDeliveries(limit: Int, leaseFor: Duration) async throws -> [ClaimedDelivery]

    /// Records the outcome of one delivery attempt.
    func recordDeliveryAttempt(_ attempt: DeliveryAttempt) async throws -> WebhookDelivery

    /// The deliveries of a webhook, newest first.
    func deliveries(webhookID: Int64, limit: Int) async throws -> [WebhookDelivery]
}
