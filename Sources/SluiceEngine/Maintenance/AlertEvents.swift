import Foundation
import SluiceCore
import SluiceStore

/// The alerts the engine raises, each with a key that makes it one event however many nodes notice it.
enum AlertEvents {
    /// A brand's dataset is failing; one alert per last success (so again after it recovers and fails anew).
    static func datasetFailing(_ freshness: DatasetFreshness, at now: Date) -> AlertEvent {
        let lastSuccess = freshness.record?.lastSuccessAt
        let epoch = lastSuccess.map { String($0.microsecondsSince1970) } ?? "never"
        return AlertEvent(
            kind: .datasetFailing, brandID: freshness.brandID,
            key: "dataset.failing:\(freshness.brandID.uuidString.lowercased()):\(freshness.dataset.name):\(epoch)",
            data: [
                "dataset": .string(freshness.dataset.name), "label": .string(freshness.dataset.label),
                "last_success_at": lastSuccess.map { .string($0.formatted(.iso8601)) } ?? .null,
                "last_error": freshness.record?.lastAttemptFailed == true
                    ? freshness.record?.lastError.map(JSONValue.string) ?? .null : .null,
                "last_run_id": freshness.record?.lastRunID.map(JSONValue.int) ?? .null,
            ], occurredAt: now)
    }
}
