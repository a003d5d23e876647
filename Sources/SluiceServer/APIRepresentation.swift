import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

/// The JSON forms of Sluice's values in the API: snake_case names, RFC 3339 times, ids as numbers (jobs, runs)
/// or lowercase UUID strings (brands, competitors, tokens). The OpenAPI document's schemas describe exactly these,
/// and the `sluice` CLI's `--json` output is the same JSON.
public enum APIRepresentation {
    /// An RFC 3339 time with fractional seconds, or null.
    public static func time(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    /// A lowercase UUID string, or null.
    public static func id(_ uuid: UUID?) -> JSONValue { uuid.map { .string($0.uuidString.lowercased()) } ?? .null }

    /// The value, or null.
    public static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }

    /// The value, or null.
    public static func optional(_ number: Int64?) -> JSONValue { number.map(JSONValue.int) ?? .null }

    /// A keyset page: `items` and `next_cursor`.
    public static func page<Item>(_ page: Page<Item>, _ item: (Item) -> JSONObject) -> JSONObject {
        ["items": .array(page.items.map { .object(item($0)) }), "next_cursor": optional(page.nextCursor)]
    }

    /// A list without paging: `items`.
    public static func list<Item>(_ items: [Item], _ item: (Item) -> JSONObject) -> JSONObject {
        ["items": .array(items.map { .object(item($0)) })]
    }

    /// A job type with its schema and defaults.
    public static func jobType(_ type: JobType) -> JSONObject {
        [
            "name": .string(type.name), "label": .string(type.label), "emoji": .string(type.emoji),
            "dataset": optional(type.dataset), "queue": .string(type.queue), "priority": .int(Int64(type.priority)),
            "timeout_seconds": .double(type.timeout.seconds),
            "max_attempts": .int(Int64(type.retryPolicy.maxAttempts)),
            "concurrency_limit": type.concurrencyLimit.map { .int(Int64($0)) } ?? .null,
            "default_parameters": .object(type.defaultParameters),
            "parameters": .array(type.schema.fields.map { .object(parameterField($0)) }),
        ]
    }

    /// One field of a parameter schema.
    public static func parameterField(_ field: ParameterField) -> JSONObject {
        var object: JSONObject = [
            "name": .string(field.name), "type": .string(field.kind.name), "required": .bool(field.required),
            "summary": .string(field.summary), "default": field.defaultValue ?? .null,
            "minimum": optional(field.minimum), "maximum": optional(field.maximum),
        ]
        if case .oneOf(let options) = field.kind { object["options"] = .array(options.map(JSONValue.string)) }
        return object
    }

    /// A job with its schedule.
    public static func job(_ job: Job) -> JSONObject {
        var object: JSONObject = [
            "id": .int(job.id), "brand_id": id(job.brandID), "job_type": .string(job.jobType),
            "parameters": .object(job.parameters), "status": .string(job.status.rawValue),
            "queue": .string(job.queue), "priority": .int(Int64(job.priority)), "unique_key": optional(job.uniqueKey),
            "next_fire_at": time(job.nextFireAt), "created_at": time(job.createdAt),
            "updated_at": time(job.updatedAt),
        ]
        switch job.schedule {
        case .once(let at):
            object["schedule"] = .object(["kind": .string("once"), "run_at": time(at)])
        case .recurring(let cron, let timeZone):
            object["schedule"] = .object([
                "kind": .string("recurring"), "cron": .string(cron.description),
                "timezone": .string(timeZone.ianaName),
            ])
        }
        return object
    }

    /// A run, with its log summary when given.
    public static func run(_ run: Run, summary: LogSummary? = nil) -> JSONObject {
        var object: JSONObject = [
            "id": .int(run.id), "job_id": .int(run.jobID), "brand_id": id(run.brandID),
            "job_type": .string(run.jobType), "queue": .string(run.queue), "parameters": .object(run.parameters),
            "state": .string(run.state.rawValue), "attempt": .int(Int64(run.attempt)),
            "max_attempts": .int(Int64(run.maxAttempts)), "scheduled_at": time(run.scheduledAt),
            "created_at": time(run.createdAt), "started_at": time(run.startedAt), "finished_at": time(run.finishedAt),
            "worker_id": optional(run.workerID), "cancel_requested": .bool(run.cancelRequested),
            "progress": run.progress.map(JSONValue.double) ?? .null,
            "progress_message": optional(run.progressMessage), "error": optional(run.error),
            "result": run.result.map(JSONValue.object) ?? .null, "rows_written": optional(run.rowsWritten),
        ]
        if let summary { object["log_summary"] = .string(summary.text) }
        return object
    }

    /// One log line of a run.
    public static func logLine(_ line: LogLine) -> JSONObject {
        [
            "id": .int(line.id), "run_id": .int(line.runID), "attempt": .int(Int64(line.attempt)),
            "at": time(line.at), "level": .string(line.level.rawValue), "message": .string(line.message),
        ]
    }

    /// A brand's dataset freshness.
    public static func freshness(_ freshness: DatasetFreshness) -> JSONObject {
        let record = freshness.record
        return [
            "dataset": .string(freshness.dataset.name), "label": .string(freshness.dataset.label),
            "brand_id": id(freshness.brandID), "state": .string(freshness.state.rawValue),
            "produced_by": .string(freshness.dataset.producedBy), "policy": .object(freshness.policy.json),
            "auto_refresh": .bool(freshness.autoRefresh), "last_attempt_at": time(record?.lastAttemptAt),
            "last_success_at": time(record?.lastSuccessAt), "last_failure_at": time(record?.lastFailureAt),
            "last_error": optional(record?.lastError), "rows_written": optional(record?.rowsWritten),
            "last_run_id": optional(record?.lastRunID),
        ]
    }

    /// One finished refresh of a brand's dataset.
    public static func history(_ entry: DatasetHistoryEntry) -> JSONObject {
        [
            "id": .int(entry.id), "dataset": .string(entry.dataset), "brand_id": id(entry.brandID),
            "run_id": .int(entry.runID), "outcome": .string(entry.outcome.rawValue),
            "rows_written": optional(entry.rowsWritten), "error": optional(entry.error),
            "finished_at": time(entry.finishedAt),
        ]
    }

    /// A brand.
    public static func brand(_ brand: Brand) -> JSONObject {
        ["id": id(brand.id), "name": .string(brand.name), "created_at": time(brand.createdAt)]
    }

    /// A competitor.
    public static func competitor(_ competitor: Competitor) -> JSONObject {
        [
            "id": id(competitor.id), "brand_id": id(competitor.brandID), "name": .string(competitor.name),
            "page_id": optional(competitor.pageID), "ad_library_url": optional(competitor.adLibraryURL),
            "created_at": time(competitor.createdAt),
        ]
    }

    /// A scraped competitor ad.
    public static func competitorAd(_ stored: CompetitorAd) -> JSONObject {
        let ad = stored.ad
        return [
            "id": .int(stored.id), "brand_id": id(stored.brandID), "competitor_id": id(stored.competitorID),
            "archive_id": .string(ad.archiveID), "page_id": optional(ad.pageID), "page_name": optional(ad.pageName),
            "is_active": .bool(ad.isActive), "started_at": time(ad.startedAt), "ended_at": time(ad.endedAt),
            "platforms": .array(ad.platforms.map(JSONValue.string)), "display_format": optional(ad.displayFormat),
            "bodies": .array(ad.bodies.map(JSONValue.string)), "titles": .array(ad.titles.map(JSONValue.string)),
            "link_url": optional(ad.linkURL), "call_to_action": optional(ad.callToAction),
            "library_url": .string(ad.libraryURL), "first_seen_at": time(stored.firstSeenAt),
            "last_seen_at": time(stored.lastSeenAt),
        ]
    }

    /// A shared rate limiter and its bucket.
    public static func rateLimiter(_ state: RateLimiterState) -> JSONObject {
        [
            "name": .string(state.settings.name), "rate_per_second": .double(state.settings.ratePerSecond),
            "burst": .int(Int64(state.settings.burst)), "tokens": .double(state.tokens),
        ]
    }

    /// A worker seen recently.
    public static func worker(_ record: WorkerRecord) -> JSONObject {
        let info = record.info
        return [
            "id": .string(info.id), "host": .string(info.host), "pid": .int(Int64(info.pid)),
            "queues": .array(info.queues.map(JSONValue.string)), "concurrency": .int(Int64(info.concurrency)),
            "running": .int(Int64(record.running)), "started_at": time(info.startedAt),
            "last_seen_at": time(record.lastSeenAt),
        ]
    }

    /// An API token, never its secret.
    public static func token(_ token: APIToken) -> JSONObject {
        [
            "id": id(token.id), "name": .string(token.name), "role": .string(token.role.rawValue),
            "brand_id": id(token.brandID), "created_at": time(token.createdAt),
            "last_used_at": time(token.lastUsedAt), "revoked_at": time(token.revokedAt),
        ]
    }

    /// An audit log entry.
    public static func audit(_ audit: AuditEntry) -> JSONObject {
        let entry = audit.entry
        return [
            "id": .int(audit.id), "at": time(entry.at), "actor": .string(entry.actor), "token_id": id(entry.tokenID),
            "action": .string(entry.action), "target": .string(entry.target), "brand_id": id(entry.brandID),
            "outcome": .string(entry.outcome),
        ]
    }
}
