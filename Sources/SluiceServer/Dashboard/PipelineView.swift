import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore

/// What the Pipeline Manager shows, as the caller may see it: job types with their unfinished runs, recurring
/// schedules, throughput and failure charts, dataset freshness, and a filterable page of runs.
struct PipelineView {
    /// The runs table's filters and page, from the query string.
    struct Filters {
        var brandID: UUID?
        var jobType: String?
        var state: RunState?
        var cursor: String?
    }

    /// How many runs one page of the table shows (each with its log summary).
    static let runsPerPage = 25

    let context: [String: Any]

    static func load(
        client: SluiceClient, identity: AccessIdentity, filters: Filters, outcomes: OutcomeCache
    ) async throws -> PipelineView {
        let brands = try await client.brands().filter { identity.brandID == nil || $0.id == identity.brandID }
        let names = Dictionary(uniqueKeysWithValues: brands.map { ($0.id, $0.name) })
        let mayAct = identity.role >= .operator
        let freshness = try await freshness(client: client, identity: identity, names: names)
        let schedules = try await schedules(client: client, identity: identity, names: names, mayAct: mayAct)
        var page: [String: Any] = [
            "jobTypes": try await jobTypes(client: client, identity: identity, mayQueue: mayAct && !brands.isEmpty),
            "freshness": freshness, "hasFreshness": !freshness.isEmpty, "schedules": schedules,
            "hasSchedules": !schedules.isEmpty,
            "charts": try await charts(client: client, identity: identity, outcomes: outcomes),
            "hasBrands": !brands.isEmpty, "mayAct": mayAct,
        ]
        let runBrand = identity.brandID ?? filters.brandID
        let runs = try await client.runs(
            RunQuery(
                brandID: runBrand, jobType: filters.jobType, states: filters.state.map { [$0] } ?? [],
                limit: runsPerPage, cursor: filters.cursor))
        var rows: [[String: Any]] = []
        let summaries = try await client.logSummaries(runIDs: runs.items.map(\.id))
        for run in runs.items {
            var row = DashboardFormat.runRow(run, summary: summaries[run.id] ?? .empty)
            row["brand"] = names[run.brandID] ?? "—"
            rows.append(row)
        }
        page["runs"] = rows
        page["hasRuns"] = !rows.isEmpty
        page["filter"] = [
            "brands": brands.map { ["id": $0.id.lowercased, "name": $0.name, "selected": $0.id == filters.brandID] },
            "types": client.registry.all.map {
                ["name": $0.name, "label": $0.label, "selected": $0.name == filters.jobType]
            },
            "states": RunState.allCases.map { ["name": $0.rawValue, "selected": $0 == filters.state] },
            "brandID": filters.brandID?.lowercased ?? "", "jobType": filters.jobType ?? "",
            "state": filters.state?.rawValue ?? "",
        ]
        page["liveBrand"] = runBrand?.lowercased
        page["nextRuns"] = runs.nextCursor.map { cursor in
            var items = [URLQueryItem(name: "cursor", value: cursor)]
            if let brand = filters.brandID { items.append(URLQueryItem(name: "brand_id", value: brand.lowercased)) }
            if let type = filters.jobType { items.append(URLQueryItem(name: "job_type", value: type)) }
            if let state = filters.state { items.append(URLQueryItem(name: "state", value: state.rawValue)) }
            var components = URLComponents()
            components.path = "/"
            components.queryItems = items
            return components.string ?? "/"
        }
        page["isFirstPage"] = filters.cursor == nil
        return PipelineView(context: page)
    }

    private static func jobTypes(
        client: SluiceClient, identity: AccessIdentity, mayQueue: Bool
    ) async throws -> [[String: Any]] {
        var counts: [String: [RunState: Int]] = [:]
        if identity.brandID == nil {
            for count in try await client.activeRunCounts() {
                counts[count.jobType, default: [:]][count.state, default: 0] += count.count
            }
        }
        return client.registry.all.map { type in
            let byState = counts[type.name] ?? [:]
            return [
                "emoji": type.emoji, "label": type.label, "name": type.name, "dataset": type.dataset ?? "—",
                "defaults": JSONValue.object(type.defaultParameters).jsonText, "mayQueue": mayQueue,
                "queued": byState[.queued] ?? 0, "running": byState[.running] ?? 0,
                "retrying": byState[.retrying] ?? 0, "showCounts": identity.brandID == nil,
            ]
        }
    }

    private static func freshness(
        client: SluiceClient, identity: AccessIdentity, names: [UUID: String]
    ) async throws -> [[String: Any]] {
        // A brand-scoped caller's freshness is read for its brand only, not computed for every brand and dropped.
        let entries: [DatasetFreshness]
        if let scope = identity.brandID {
            entries = try await client.freshness(brandID: scope)
        } else {
            entries = try await client.freshness()
        }
        var rows: [[String: Any]] = []
        for entry in entries where names[entry.brandID] != nil {
            let history = try await client.datasetHistory(
                DatasetHistoryQuery(brandID: entry.brandID, dataset: entry.dataset.name, limit: 20))
            rows.append([
                "brand": names[entry.brandID] ?? "", "dataset": entry.dataset.label, "state": entry.state.rawValue,
                "age": entry.record?.lastSuccessAt.map { DashboardFormat.age(of: $0) } ?? "never refreshed",
                "lastSuccess": entry.record?.lastSuccessAt.map(DashboardFormat.time) ?? "",
                "rows": entry.record?.rowsWritten.map(String.init) ?? "—",
                "sparkline": DashboardCharts.sparkline(history),
            ])
        }
        return rows
    }

    private static func schedules(
        client: SluiceClient, identity: AccessIdentity, names: [UUID: String], mayAct: Bool
    ) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for status in [JobStatus.active, .paused] {
            let jobs = try await client.jobs(
                JobQuery(brandID: identity.brandID, status: status, recurring: true, limit: 50))
            for job in jobs.items where names[job.brandID] != nil {
                guard case .recurring(let cron, let timeZone) = job.schedule else { continue }
                let last = try await client.runs(
                    RunQuery(jobID: job.id, states: [.succeeded, .failed, .cancelled, .timedOut], limit: 1)
                ).items.first
                var row: [String: Any] = [
                    "id": job.id, "type": job.jobType, "brand": names[job.brandID] ?? "",
                    "words": CronWords.describe(cron.expression, timeZone: timeZone.ianaName),
                    "cron": cron.expression, "paused": job.status == .paused, "mayAct": mayAct,
                    "next": job.status == .paused
                        ? "paused" : job.nextFireAt.map { DashboardFormat.age(of: $0) } ?? "—",
                    "nextAt": job.nextFireAt.map(DashboardFormat.time) ?? "",
                ]
                row["last"] = last.map { ["id": $0.id, "state": $0.state.rawValue] }
                rows.append(row)
            }
        }
        return rows.sorted { ($0["id"] as? Int64 ?? 0) > ($1["id"] as? Int64 ?? 0) }
    }

    /// The hour chart (5-minute bars) and the day chart (hourly bars), both from one reading of the last day's
    /// outcomes in 5-minute buckets.
    private static func charts(
        client: SluiceClient, identity: AccessIdentity, outcomes: OutcomeCache
    ) async throws
        -> [[String: Any]]
    {
        let now = Date()
        let spans: [(String, TimeInterval, Int, Int)] = [
            ("Last hour", 3600, 300, 12), ("Last day", 86_400, 3600, 24),
        ]
        let dayStart = now.addingTimeInterval(-86_400 + 3600)
        let counted = try await outcomes.buckets(
            since: Date(timeIntervalSince1970: (dayStart.timeIntervalSince1970 / 3600).rounded(.down) * 3600),
            brandID: identity.brandID, now: now, client: client)
        return spans.map { title, span, bucketSeconds, buckets in
            DashboardCharts.outcomes(
                counted, title: title, since: now.addingTimeInterval(-span + Double(bucketSeconds)),
                bucketSeconds: bucketSeconds, buckets: buckets)
        }
    }
}
