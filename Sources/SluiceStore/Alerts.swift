import Foundation
import SluiceCore

/// What an alert is about.
public enum AlertKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A run failed (or timed out) and will not be retried.
    case runFailed = "run.failed"
    /// A brand's dataset turned `failing`.
    case datasetFailing = "dataset.failing"
    /// A recurring job's tick passed while no scheduler could run it in time.
    case tickMissed = "job.tick_missed"
    /// A test delivery an operator asked for.
    case test = "webhook.test"
}

/// Something that happened and is worth an alert.
public struct AlertEvent: Sendable, Hashable {
    /// What it is about.
    public var kind: AlertKind
    /// The brand concerned; nil for an event of no brand (a global webhook's test delivery).
    public var brandID: UUID?
    /// Identifies the event: a webhook receives each key at most once (e.g. `run.failed:42`).
    public var key: String
    /// Details, sent as the body's `data`.
    public var data: JSONObject
    /// When it happened.
    public var occurredAt: Date

    /// Creates an event.
    public init(kind: AlertKind, brandID: UUID?, key: String, data: JSONObject, occurredAt: Date) {
        self.kind = kind
        self.brandID = brandID
        self.key = key
        self.data = data
        self.occurredAt = occurredAt
    }

    /// The body every subscribed webhook receives, as JSON text.
    public var body: String {
        JSONValue.object([
            "id": .string(key), "type": .string(kind.rawValue),
            "brand_id": brandID.map { .string($0.uuidString.lowercased()) } ?? .null,
            "occurred_at": .string(occurredAt.formatted(.iso8601)), "data": .object(data),
        ]).jsonText
    }

    /// Validates the event.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `key`.
    public func validate() throws(SluiceError) {
        guard (1...300).contains(key.utf8.count) else { throw .invalidArgument("key", "must be 1-300 bytes") }
    }
}
