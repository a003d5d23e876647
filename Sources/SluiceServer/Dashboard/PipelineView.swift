import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore

/// What the Pipeline Manager shows: job types with their unfinished runs, dataset freshness and recent runs, as
/// the caller may see them.
struct PipelineView {
    let context: [String: Any]

    static func load(client: SluiceClient, identity: AccessIdentity) async throws -> PipelineView {
        var counts: [String: [RunState: Int]] = [:]
        if identity.brandID == nil {
            for count in try await client.activeRunCounts() {
                counts[count.jobType, default: [:]][count.state, default: 0] += count.count
            }
        }
        let jobTypes: [[String: Any]] = client.registry.all.map { type in
            let byState = counts[type.name] ?? [:]
            return [
                "emoji": type.emoji, "label": type.label, "name": type.name, "dataset": type.dataset ?? "—",
                "defaults": JSONValue.object(type.defaultParameters).jsonText,
                "queued": byState[.queued] ?? 0, "running": byState[.running] ?? 0,
                "retrying": byState[.retrying] ?? 0,
            ]
        }
        let brands = try await client.brands().filter { identity.brandID == nil || $0.id == identity.brandID }
        let names = Dictionary(uniqueKeysWithValues: brands.map { ($0.id, $0.name) })
        // A brand-scoped caller's freshness is read for its brand only, not computed for every brand and dropped.
        let entries: [DatasetFreshness]
        if let scope = identity.brandID {
            entries = try await client.freshness(brandID: scope)
        } else {
            entries = try await client.freshness()
        }
        let freshness: [[String: Any]] =
            entries
            .filter { names[$0.brandID] != nil }
            .map { entry in
                [
                    "brand": names[entry.brandID] ?? "", "dataset": entry.dataset.label, "state": entry.state.rawValue,
                    "lastSuccess": entry.record?.lastSuccessAt.map(Self.time) ?? "never",
                    "rows": entry.record?.rowsWritten.map(String.init) ?? "—",
                ]
            }
        let runs: [[String: Any]] = try await client.runs(RunQuery(brandID: identity.brandID, limit: 50)).items.map {
            run in
            [
                "id": run.id, "jobType": run.jobType, "state": run.state.rawValue, "attempt": run.attempt,
                "created": Self.time(run.createdAt), "error": run.error ?? "",
            ]
        }
        return PipelineView(context: [
            "jobTypes": jobTypes, "freshness": freshness, "hasFreshness": !freshness.isEmpty, "runs": runs,
            "hasRuns": !runs.isEmpty,
        ])
    }

    private static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }
}
