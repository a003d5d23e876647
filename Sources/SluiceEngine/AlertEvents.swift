import Foundation
import SluiceCore
import SluiceStore

/// The alerts the engine raises, each with a key that makes it one event however many nodes notice it.
enum AlertEvents {
    /// A run failed or timed out and will not be retried.
    static func runFailed(_ run: Run, at now: Date) -> AlertEvent {
        AlertEvent(
            kind: .runFailed, brandID: run.brandID, key: "run.failed:\(run.id):\(run.attempt)",
            data: [
                "run_id": .int(run.id), "job_id": .int(run.jobID), "job_type": .string(run.jobType),
                "state": .string(run.state.rawValue), "attempt": .int(Int64(run.attempt)),
                "error": run.error.map(JSONValue.string) ?? .null,
            ], occurredAt: now)
    }

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
