import Foundation
import SluiceCore

/// A request to register a webhook.
public struct WebhookRequest: Sendable, Hashable {
    /// The brand whose events it receives; nil for every brand's.
    public var brandID: UUID?
    /// Where events are POSTed (http or https).
    public var url: String
    /// The HMAC-SHA256 signing secret, at least 16 characters.
    public var secret: String
    /// The kinds of events it receives; empty means every kind.
    public var kinds: Set<AlertKind>

    /// Creates a request.
    public init(brandID: UUID?, url: String, secret: String, kinds: Set<AlertKind> = []) {
        self.brandID = brandID
        self.url = url
        self.secret = secret
        self.kinds = kinds
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `url` or `secret`.
    public func validate() throws(SluiceError) {
        guard url.utf8.count <= 2_000, let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https"].contains(scheme), parsed.host?.isEmpty == false
        else { throw .invalidArgument("url", "must be an absolute http or https URL of at most 2000 bytes") }
        guard (16...200).contains(secret.count) else { throw .invalidArgument("secret", "must be 16-200 characters") }
    }
}

/// A registered webhook.
public struct Webhook: Sendable, Hashable, Identifiable {
    /// Its id.
    public let id: Int64
    /// The brand whose events it receives; nil for every brand's.
    public let brandID: UUID?
    /// Where events are POSTed.
    public let url: String
    /// The kinds of events it receives; empty means every kind.
    public let kinds: Set<AlertKind>
    /// When it was registered.
    public let createdAt: Date

    /// Creates a webhook (stores build these from rows).
    public init(id: Int64, brandID: UUID?, url: String, kinds: Set<AlertKind>, createdAt: Date) {
        self.id = id
        self.brandID = brandID
        self.url = url
        self.kinds = kinds
        self.createdAt = createdAt
    }
}

/// One event queued for one webhook, and how its delivery went.
public struct WebhookDelivery: Sendable, Hashable, Identifiable {
    /// Where a delivery stands.
    public enum State: String, Sendable, Hashable, Codable {
        /// Not yet delivered; tried again at ``WebhookDelivery/nextAttemptAt``.
        case pending
        /// The receiver answered 2xx.
        case delivered
        /// Given up after the last attempt.
        case failed
    }

    /// Its id.
    public let id: Int64
    /// The webhook.
    public let webhookID: Int64
    /// The event's key.
    public let eventKey: String
    /// The event's kind.
    public let kind: AlertKind
    /// The exact body sent (and signed).
    public let body: String
    /// Where it stands.
    public let state: State
    /// Attempts made.
    public let attempts: Int
    /// When it is next due, while pending.
    public let nextAttemptAt: Date?
    /// The HTTP status of the last attempt, if the receiver answered.
    public let lastStatus: Int?
    /// Why the last attempt failed.
    public let lastError: String?
    /// When it was queued.
    public let createdAt: Date
    /// When it was delivered.
    public let deliveredAt: Date?

    /// Creates a delivery (stores build these from rows).
    public init(
        id: Int64, webhookID: Int64, eventKey: String, kind: AlertKind, body: String, state: State, attempts: Int,
        nextAttemptAt: Date?, lastStatus: Int?, lastError: String?, createdAt: Date, deliveredAt: Date?
    ) {
        self.id = id
        self.webhookID = webhookID
        self.eventKey = eventKey
        self.kind = kind
        self.body = body
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.createdAt = createdAt
        self.deliveredAt = deliveredAt
    }
}

/// A delivery handed to a sender, with what it needs to send it.
public struct ClaimedDelivery: Sendable, Hashable {
    /// The delivery (its `attempts` counts this attempt).
    public let delivery: WebhookDelivery
    /// Where to POST it.
    public let url: String
    /// The webhook's signing secret.
    public let secret: String

    /// Creates a claimed delivery (stores build these).
    public init(delivery: WebhookDelivery, url: String, secret: String) {
        self.delivery = delivery
        self.url = url
        self.secret = secret
    }
}

/// The outcome of one delivery attempt.
public struct DeliveryAttempt: Sendable, Hashable {
    /// How it went.
    public enum Outcome: Sendable, Hashable {
        /// The receiver answered 2xx with this status.
        case delivered(status: Int)
        /// It failed; tried again at `retryAt`, or given up when nil.
        case failed(status: Int?, error: String, retryAt: Date?)
    }

    /// The delivery.
    public var deliveryID: Int64
    /// How it went.
    public var outcome: Outcome

    /// Creates an attempt.
    public init(deliveryID: Int64, outcome: Outcome) {
        self.deliveryID = deliveryID
        self.outcome = outcome
    }
}
