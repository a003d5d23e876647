import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

/// The JSON forms of Sluice's values in the API: snake_case names, RFC 3339 times, ids as numbers (jobs, runs)
/// or lowercase UUID strings (brands, competitors, tokens).
///
/// Each form is an ``APIObject`` declared once: it writes the JSON, the OpenAPI document derives its component
/// schema from it, and the `sluice` CLI's `--json` output is the same JSON.
public enum APIRepresentation {
    /// A job type with its parameter schema and defaults.
    public static let jobType = APIObject<JobType>(
        "JobType",
        [
            APIMember("name", \.name), APIMember("label", \.label), APIMember("emoji", \.emoji),
            APIMember("dataset", \.dataset), APIMember("queue", \.queue), APIMember("priority", \.priority),
            APIMember("timeout_seconds") { $0.timeout.seconds },
            APIMember("max_attempts") { $0.retryPolicy.maxAttempts },
            APIMember("concurrency_limit", \.concurrencyLimit),
            APIMember("default_parameters", \.defaultParameters),
            .array("parameters", of: parameterField) { $0.schema.fields },
        ])

    /// One field of a job type's parameter schema.
    public static let parameterField = APIObject<ParameterField>(
        "ParameterField",
        [
            APIMember("name", \.name),
            APIMember(
                "type",
                schema: OpenAPISchema.enumeration(
                    [ParameterField.Kind.string, .int, .bool, .url, .uuid, .oneOf([])].map(\.name)),
                omittable: false
            ) { .string($0.kind.name) },
            APIMember("required", \.required), APIMember("summary", \.summary),
            APIMember("default") { $0.defaultValue ?? .null },
            APIMember("minimum", \.minimum), APIMember("maximum", \.maximum),
            .omittable("options") { field -> [String]? in
                guard case .oneOf(let options) = field.kind else { return nil }
                return options
            },
        ])

    /// A job with its schedule.
    public static let job = APIObject<Job>(
        "Job",
        [
            APIMember("id", \.id), APIMember("brand_id", \.brandID), APIMember("job_type", \.jobType),
            APIMember("parameters", \.parameters), APIMember("status", \.status), APIMember("queue", \.queue),
            APIMember("priority", \.priority), APIMember("unique_key", \.uniqueKey),
            APIMember("next_fire_at", \.nextFireAt), APIMember("created_at", \.createdAt),
            APIMember("updated_at", \.updatedAt), .object("schedule", schedule, \.schedule),
        ])

    /// A job's schedule: `once` at `run_at`, or `recurring` on `cron` in `timezone`.
    public static let schedule = APIObject<JobSchedule>(
        "Schedule",
        [
            APIMember("kind") { $0.isRecurring ? ScheduleKind.recurring : .once },
            .omittable("run_at") { schedule -> Date? in
                guard case .once(let at) = schedule else { return nil }
                return at
            },
            .omittable("cron") { schedule -> String? in
                guard case .recurring(let cron, _) = schedule else { return nil }
                return cron.description
            },
            .omittable("timezone") { schedule -> String? in
                guard case .recurring(_, let timeZone) = schedule else { return nil }
                return timeZone.ianaName
            },
        ])

    /// A run, with its log summary when one is given.
    public static let run = APIObject<SummarizedRun>(
        "Run",
        [
            APIMember("id", \.run.id), APIMember("job_id", \.run.jobID), APIMember("brand_id", \.run.brandID),
            APIMember("job_type", \.run.jobType), APIMember("queue", \.run.queue),
            APIMember("parameters", \.run.parameters), APIMember("state", \.run.state),
            APIMember("attempt", \.run.attempt), APIMember("max_attempts", \.run.maxAttempts),
            APIMember("scheduled_at", \.run.scheduledAt), APIMember("created_at", \.run.createdAt),
            APIMember("started_at", \.run.startedAt), APIMember("finished_at", \.run.finishedAt),
            APIMember("worker_id", \.run.workerID), APIMember("cancel_requested", \.run.cancelRequested),
            APIMember("progress", \.run.progress), APIMember("progress_message", \.run.progressMessage),
            APIMember("error", \.run.error), APIMember("result", \.run.result),
            APIMember("rows_written", \.run.rowsWritten), .omittable("log_summary", \.summary?.text),
        ])

    /// The answer to creating a job: the job, its first run's id (none for a recurring job), whether an existing
    /// job was returned for its unique key, and the finished run of a direct one.
    public static let jobCreation = APIObject<JobCreation>(
        "JobCreated",
        [
            .object("job", job, \.job), APIMember("run_id", \.runID), APIMember("deduplicated", \.deduplicated),
            .omittable("run", run, \.run),
        ])

    /// One log line of a run.
    public static let logLine = APIObject<LogLine>(
        "LogLine",
        [
            APIMember("id", \.id), APIMember("run_id", \.runID), APIMember("attempt", \.attempt),
            APIMember("at", \.at), APIMember("level", \.level), APIMember("message", \.message),
        ])

    /// A dataset of the catalog and its freshness policy.
    public static let dataset = APIObject<Dataset>(
        "Dataset",
        [
            APIMember("name", \.name), APIMember("label", \.label), APIMember("produced_by", \.producedBy),
            APIMember("policy", \.policy.json), APIMember("auto_refresh", \.autoRefresh),
        ])

    /// A brand's dataset freshness.
    public static let freshness = APIObject<DatasetFreshness>(
        "Freshness",
        [
            APIMember("dataset", \.dataset.name), APIMember("label", \.dataset.label),
            APIMember("brand_id", \.brandID), APIMember("state", \.state),
            APIMember("produced_by", \.dataset.producedBy), APIMember("policy", \.policy.json),
            APIMember("auto_refresh", \.autoRefresh), APIMember("last_attempt_at", \.record?.lastAttemptAt),
            APIMember("last_success_at", \.record?.lastSuccessAt),
            APIMember("last_failure_at", \.record?.lastFailureAt), APIMember("last_error", \.record?.lastError),
            APIMember("rows_written", \.record?.rowsWritten), APIMember("last_run_id", \.record?.lastRunID),
        ])

    /// One finished refresh of a brand's dataset.
    public static let history = APIObject<DatasetHistoryEntry>(
        "HistoryEntry",
        [
            APIMember("id", \.id), APIMember("dataset", \.dataset), APIMember("brand_id", \.brandID),
            APIMember("run_id", \.runID), APIMember("outcome", \.outcome), APIMember("rows_written", \.rowsWritten),
            APIMember("error", \.error), APIMember("finished_at", \.finishedAt),
        ])

    /// A brand.
    public static let brand = APIObject<Brand>(
        "Brand", [APIMember("id", \.id), APIMember("name", \.name), APIMember("created_at", \.createdAt)])

    /// A competitor.
    public static let competitor = APIObject<Competitor>(
        "Competitor",
        [
            APIMember("id", \.id), APIMember("brand_id", \.brandID), APIMember("name", \.name),
            APIMember("page_id", \.pageID), APIMember("ad_library_url", \.adLibraryURL),
            APIMember("created_at", \.createdAt),
        ])

    /// A scraped competitor ad.
    public static let competitorAd = APIObject<CompetitorAd>(
        "CompetitorAd",
        [
            APIMember("id", \.id), APIMember("brand_id", \.brandID), APIMember("competitor_id", \.competitorID),
            APIMember("archive_id", \.ad.archiveID), APIMember("page_id", \.ad.pageID),
            APIMember("page_name", \.ad.pageName), APIMember("is_active", \.ad.isActive),
            APIMember("started_at", \.ad.startedAt), APIMember("ended_at", \.ad.endedAt),
            APIMember("platforms", \.ad.platforms), APIMember("display_format", \.ad.displayFormat),
            APIMember("bodies", \.ad.bodies), APIMember("titles", \.ad.titles), APIMember("link_url", \.ad.linkURL),
            APIMember("call_to_action", \.ad.callToAction), APIMember("library_url", \.ad.libraryURL),
            APIMember("first_seen_at", \.firstSeenAt), APIMember("last_seen_at", \.lastSeenAt),
        ])

    /// A shared rate limiter and its bucket.
    public static let rateLimiter = APIObject<RateLimiterState>(
        "RateLimiter",
        [
            APIMember("name", \.settings.name), APIMember("rate_per_second", \.settings.ratePerSecond),
            APIMember("burst", \.settings.burst), APIMember("tokens", \.tokens),
        ])

    /// A worker seen recently, with the runs it holds.
    public static let worker = APIObject<WorkerActivity>(
        "Worker",
        [
            APIMember("id", \.record.info.id), APIMember("host", \.record.info.host),
            APIMember("pid", \.record.info.pid), APIMember("queues", \.record.info.queues),
            APIMember("concurrency", \.record.info.concurrency), APIMember("running", \.record.running),
            APIMember("running_run_ids", \.runningRunIDs), APIMember("started_at", \.record.info.startedAt),
            APIMember("last_seen_at", \.record.lastSeenAt),
        ])

    /// An API token, with its secret only in the answer that issued it.
    public static let token = APIObject<IssuedToken>(
        "Token",
        [
            APIMember("id", \.token.id), APIMember("name", \.token.name), APIMember("role", \.token.role),
            APIMember("brand_id", \.token.brandID), APIMember("created_at", \.token.createdAt),
            APIMember("last_used_at", \.token.lastUsedAt), APIMember("revoked_at", \.token.revokedAt),
            .omittable("secret", \.secret),
        ])

    /// An audit log entry.
    public static let audit = APIObject<AuditEntry>(
        "AuditEntry",
        [
            APIMember("id", \.id), APIMember("at", \.entry.at), APIMember("actor", \.entry.actor),
            APIMember("token_id", \.entry.tokenID), APIMember("action", \.entry.action),
            APIMember("target", \.entry.target), APIMember("brand_id", \.entry.brandID),
            APIMember("outcome", \.entry.outcome),
        ])
}
