import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Sends queued alert deliveries to their webhooks: a signed JSON POST per delivery, retried with backoff while
/// the receiver fails, each attempt recorded. Runs on every node; the store leases each delivery to one sender at
/// a time, and a sender that dies mid-delivery only delays it by the lease.
public struct WebhookDispatcher: Service {
    /// How the dispatcher works.
    public struct Configuration: Sendable, Hashable {
        /// Attempts and backoff per delivery. Defaults to 8 attempts, from 10 seconds doubling up to 1 hour.
        public var retryPolicy: RetryPolicy
        /// How often it looks for due deliveries. Defaults to 1 second.
        public var pollInterval: Duration
        /// The most deliveries sent at once per pass. Defaults to 50.
        public var batchSize: Int

        /// Creates a configuration; see the property docs for defaults.
        public init(
            retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 8, initialDelay: .seconds(10)),
            pollInterval: Duration = .seconds(1), batchSize: Int = 50
        ) {
            self.retryPolicy = retryPolicy
            self.pollInterval = pollInterval
            self.batchSize = batchSize
        }
    }

    let store: any JobStore
    let transport: any WebhookTransport
    let configuration: Configuration
    let clock: any WallClock
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a dispatcher that sends through `transport` (SluiceConnectors' `SafeHTTPClient` enforces the egress
    /// policy): signatures and retry times on the wall `clock`, passes timed on `monotonicClock`.
    public init(
        store: any JobStore, transport: any WebhookTransport, configuration: Configuration = Configuration(),
        clock: any WallClock = SystemWallClock(), monotonicClock: some Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "sluice.webhooks")
    ) {
        self.store = store
        self.transport = transport
        self.configuration = configuration
        self.clock = clock
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(
            every: configuration.pollInterval, on: monotonicClock, logger: logger, label: "dispatching webhooks"
        ) {
            try await dispatchDue()
        }
    }

    /// Sends every due delivery, up to the batch size at a time; returns how many it attempted.
    @discardableResult
    public func dispatchDue() async throws -> Int {
        let claimed = try await store.claimDeliveries(
            limit: configuration.batchSize, leaseFor: transport.timeout * 2 + .seconds(10))
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed { group.addTask { await deliver(delivery) } }
        }
        return claimed.count
    }

    private func deliver(_ claimed: ClaimedDelivery) async {
        let delivery = claimed.delivery
        let outcome: DeliveryAttempt.Outcome
        do {
            let status = try await transport.post(
                to: claimed.url,
                headers: [
                    ("Content-Type", "application/json"), ("User-Agent", "Sluice-Webhooks/1"),
                    ("Sluice-Event", delivery.kind.rawValue), ("Sluice-Delivery", String(delivery.id)),
                    (
                        WebhookSignature.headerName,
                        WebhookSignature.header(body: delivery.body, secret: claimed.secret, at: clock.now())
                    ),
                ], body: Array(delivery.body.utf8))
            outcome =
                (200..<300).contains(status)
                ? .delivered(status: status)
                : failure(delivery, status: status, error: "the receiver answered HTTP \(status)")
        } catch let error as any RetryableError where !error.isRetryable {
            // A refused address or URL will not become acceptable by retrying.
            outcome = .failed(status: nil, error: String(describing: error), retryAt: nil)
        } catch {
            outcome = failure(delivery, status: nil, error: String(describing: error))
        }
        do {
            _ = try await store.recordDeliveryAttempt(DeliveryAttempt(deliveryID: delivery.id, outcome: outcome))
        } catch {
            logger.warning(
                "recording a webhook delivery failed; it is retried after its lease",
                metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }

    private func failure(_ delivery: WebhookDelivery, status: Int?, error: String) -> DeliveryAttempt.Outcome {
        switch configuration.retryPolicy.decision(afterAttempt: delivery.attempts, at: clock.now()) {
        case .retry(let at): .failed(status: status, error: error, retryAt: at)
        case .giveUp: .failed(status: status, error: error, retryAt: nil)
        }
    }
}
