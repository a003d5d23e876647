import Foundation
import SluiceCore

/// How both backends store pipeline values as text, and read them back.
public enum StoredPipelineValues {
    /// A freshness policy as stored: its JSON text.
    public static func policyText(_ policy: FreshnessPolicy?) -> String? {
        policy.map { JSONValue.object($0.json).jsonText }
    }

    /// A stored freshness policy.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when it no longer parses.
    public static func policy(_ text: String?) throws(SluiceError) -> FreshnessPolicy? {
        guard let text else { return nil }
        do throws(SluiceError) {
            guard case .object(let object) = try JSONValue(parsing: text) else {
                throw .invalidArgument("policy", "must be an object")
            }
            return try FreshnessPolicy(json: object)
        } catch {
            throw SluiceError(.storageFailure, "stored freshness policy is invalid: \(error.message)")
        }
    }

    /// Parameters as stored: JSON text.
    public static func parametersText(_ parameters: JSONObject?) -> String? { parameters.map(\.jsonText) }

    /// Stored parameters.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when they no longer parse.
    public static func parameters(_ text: String?) throws(SluiceError) -> JSONObject? {
        guard let text else { return nil }
        do {
            return try JSONCoding.decodeObject(text)
        } catch {
            throw SluiceError(.storageFailure, "stored parameters are invalid")
        }
    }

    /// Alert kinds as stored: their raw values, comma-separated and sorted (empty for every kind).
    public static func kindsText(_ kinds: Set<AlertKind>) -> String {
        kinds.map(\.rawValue).sorted().joined(separator: ",")
    }

    /// Stored alert kinds; unknown ones (from a newer version) are ignored.
    public static func kinds(_ text: String) -> Set<AlertKind> {
        Set(text.split(separator: ",").compactMap { AlertKind(rawValue: String($0)) })
    }

    /// A stored alert kind.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when unknown.
    public static func kind(_ text: String) throws(SluiceError) -> AlertKind {
        guard let kind = AlertKind(rawValue: text) else {
            throw SluiceError(.storageFailure, "stored alert kind is unknown")
        }
        return kind
    }

    /// A stored UUID.
    ///
    /// - Throws: ``SluiceError/Code/storageFailure`` when malformed.
    public static func uuid(_ text: String) throws(SluiceError) -> UUID {
        guard let uuid = UUID(uuidString: text) else {
            throw SluiceError(.storageFailure, "stored brand id is invalid")
        }
        return uuid
    }

    /// The alert for a run that failed or timed out and will not be retried; raised by the transaction that ends it.
    public static func runFailedAlert(_ run: Run, now: Date) -> AlertEvent? {
        guard run.state == .failed || run.state == .timedOut else { return nil }
        return AlertEvent(
            kind: .runFailed, brandID: run.brandID, key: "run.failed:\(run.id):\(run.attempt)",
            data: [
                "run_id": .int(run.id), "job_id": .int(run.jobID), "job_type": .string(run.jobType),
                "state": .string(run.state.rawValue), "attempt": .int(Int64(run.attempt)),
                "error": run.error.map(JSONValue.string) ?? .null,
            ], occurredAt: now)
    }

    /// The alert for a recurring job's missed tick.
    public static func missedTickAlert(job: Job, tick: Date, now: Date, ranOnce: Bool) -> AlertEvent {
        AlertEvent(
            kind: .tickMissed, brandID: job.brandID, key: "job.tick_missed:\(job.id):\(tick.microsecondsSince1970)",
            data: [
                "job_id": .int(job.id), "job_type": .string(job.jobType),
                "tick": .string(tick.formatted(.iso8601)), "action": .string(ranOnce ? "run_once" : "skipped"),
            ], occurredAt: now)
    }
}
