import Foundation
import Logging
import NIOHTTP1
import ServiceLifecycle
import SluiceCore
import SluiceEngine
import SluiceStore

/// Sends queued alert deliveries to their webhooks: a signed JSON POST per delivery, retried with backoff while
/// the receiver fails, each attempt recorded. Runs on every node; the store leases each delivery to one sender at
/// a time, and a sender that dies mid-delivery only delays it by the lease.
public struct WebhookDispatcher: Service {
    let store: any JobStore
    let http: SafeHTTPClient
    let retryPolicy: RetryPolicy
    let pollInterval: Duration
    let clock: any WallClock
    let logger: Logger

    /// Creates a dispatcher.
    /// - Parameters:
    ///   - egress: which addresses receivers may have; `.publicOnly` outside tests.
    ///   - retryPolicy: attempts and backoff per delivery (default 8 attempts, from 10 s doubling up to 1 hour).
    ///   - pollInterval: how often it looks for due deliveries (default 1 s).
    public init(
        store: any JobStore, egress: EgressPolicy = .publicOnly,
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 8, initialDelay: .seconds(10)),
        pollInterval: Duration = .seconds(1), timeout: Duration = .seconds(10),
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "sluice.webhooks")
    ) {
        self.store = store
        http = SafeHTTPClient(policy: egress, timeout: timeout)
        self.retryPolicy = retryPolicy
        self.pollInterval = pollInterval
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        await repeatUntilShutdown(every: pollInterval, logger: logger, label: "dispatching webhooks") {
            try await dispatchDue()
        }
    }

    /// Sends every due delivery, up to 50 at a time; returns how many it attempted.
    @discardableResult
    public func dispatchDue() async throws -> Int {
        let claimed = try await store.claimDeliveries(limit: 50, leaseFor: http.timeout * 2 + .seconds(10))
        await withTaskGroup(of: Void.self) { group in
            for delivery in claimed { group.addTask { await deliver(delivery) } }
        }
        return claimed.count
    }

    private func deliver(_ claimed: ClaimedDelivery) async {
        let delivery = claimed.delivery
        let outcome: DeliveryAttempt.Outcome
        do {
            let request = SafeHTTPRequest(
                url: claimed.url, method: .POST,
                headers: [
                    ("Content-Type", "application/json"), ("User-Agent", "Sluice-Webhooks/1"),
                    ("Sluice-Event", delivery.kind.rawValue), ("Sluice-Delivery", String(delivery.id)),
                    (
                        WebhookSignature.headerName,
                        WebhookSignature.header(body: delivery.body, secret: claimed.secret, at: clock.now())
                    ),
                ], body: Array(delivery.body.utf8))
            let response = try await http.send(request, maximumBytes: 64 << 10, followRedirects: false)
            outcome =
                (200..<300).contains(response.status)
                ? .delivered(status: response.status)
                : failure(delivery, status: response.status, error: "the receiver answered HTTP \(response.status)")
        } catch let error as EgressError {
            switch error {
            case .forbiddenAddress, .unsupportedURL, .credentialsInURL:
                // A refused address or URL will not become acceptable by retrying.
                outcome = .failed(status: nil, error: error.description, retryAt: nil)
            case .unresolvable, .tooManyRedirects, .tooLarge:
                outcome = failure(delivery, status: nil, error: error.description)
            }
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
        switch retryPolicy.decision(afterAttempt: delivery.attempts, at: clock.now()) {
        case .retry(let at): .failed(status: status, error: error, retryAt: at)
        case .giveUp: .failed(status: status, error: error, retryAt: nil)
        }
    }
}
