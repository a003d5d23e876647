import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

extension APIRepresentation {
    /// Every job type.
    public static let jobTypes = APIObject.list("JobTypeList", of: jobType)
    /// A page of jobs.
    public static let jobs = APIObject.page("JobPage", of: job)
    /// A page of runs.
    public static let runs = APIObject.page("RunPage", of: run)
    /// A run's log lines after a given id, and the id to read on from.
    public static let logPage = APIObject<LogPage>(
        "LogPage", [.array("items", of: logLine, \.lines), APIMember("last_id", \.lastID)])
    /// Every dataset of the catalog.
    public static let datasets = APIObject.list("DatasetList", of: dataset)
    /// Freshness of datasets.
    public static let freshnessList = APIObject.list("FreshnessList", of: freshness)
    /// A page of a dataset's refresh history, newest first, and the id to read older entries before.
    public static let historyPage = APIObject<HistoryPage>(
        "HistoryPage", [.array("items", of: history, \.entries), APIMember("next_before", \.nextBefore)])
    /// Every brand.
    public static let brands = APIObject.list("BrandList", of: brand)
    /// A brand's competitors.
    public static let competitors = APIObject.list("CompetitorList", of: competitor)
    /// A page of scraped competitor ads.
    public static let competitorAds = APIObject.page("CompetitorAdPage", of: competitorAd)
    /// Every shared rate limiter.
    public static let rateLimiters = APIObject.list("RateLimiterList", of: rateLimiter)
    /// Every worker seen recently.
    public static let workers = APIObject.list("WorkerList", of: worker)
    /// Every API token.
    public static let tokens = APIObject.list("TokenList", of: token)
    /// A page of the audit log.
    public static let auditLog = APIObject.page("AuditPage", of: audit)

    /// A liveness or readiness answer.
    static let status = APIObject<String>("Status", [APIMember("status") { $0 }])
    /// An error answer's detail: a code, a message and the member or parameter at fault.
    static let errorDetail = APIObject<APIError>(
        "ErrorDetail", [APIMember("code", \.code), APIMember("message", \.message), APIMember("field", \.field)])
    /// An error answer: `{"error": {"code", "message", "field"}}`.
    static let error = APIObject<APIError>("Error", [.object("error", errorDetail) { $0 }])

    /// Every object the API answers with, for the OpenAPI document's component schemas.
    static let components: [any APIComponent] = [
        jobType, parameterField, job, schedule, run, jobCreation, logLine, dataset, freshness, history, brand,
        competitor, competitorAd, rateLimiter, worker, token, audit, jobTypes, jobs, runs, logPage, datasets,
        freshnessList, historyPage, brands, competitors, competitorAds, rateLimiters, workers, tokens, auditLog,
        status, errorDetail, error,
    ]
}

/// A component of the OpenAPI document: its name and schema.
protocol APIComponent: Sendable {
    var component: String { get }
    var schema: JSONValue { get }
}

extension APIObject: APIComponent {}

extension APIObject {
    /// `{"items": [...], "next_cursor": ...}`: one keyset page of items.
    ///
    /// - Parameters:
    ///   - component: The page's component name, such as `JobPage`.
    ///   - item: The shape of each item.
    /// - Returns: The page's shape.
    public static func page<Item>(_ component: String, of item: APIObject<Item>) -> APIObject<Page<Item>>
    where Root == Page<Item> {
        APIObject(component, [.array("items", of: item, \.items), APIMember("next_cursor", \.nextCursor)])
    }
}

extension APIObject where Root == SummarizedRun {
    /// The JSON object of `run`, with `summary` as its `log_summary` when given.
    public func callAsFunction(_ run: Run, summary: LogSummary? = nil) -> JSONObject {
        self(SummarizedRun(run: run, summary: summary))
    }
}

extension APIObject where Root == IssuedToken {
    /// The JSON object of `token`, without a secret.
    public func callAsFunction(_ token: APIToken) -> JSONObject { self(IssuedToken(token: token, secret: nil)) }
}

/// Whether a job runs once or on a cron schedule.
enum ScheduleKind: String, CaseIterable, APIEnumeration {
    case once
    case recurring
}

/// A run and, where it is asked for, the summary of its log.
public struct SummarizedRun: Sendable {
    /// The run.
    public let run: Run
    /// Its log summary, or nil to leave `log_summary` out.
    public let summary: LogSummary?

    /// A run and its log summary (nil to leave `log_summary` out).
    public init(run: Run, summary: LogSummary?) {
        self.run = run
        self.summary = summary
    }
}

/// A job just created (or found by its unique key) and its first run.
public struct JobCreation: Sendable {
    /// The job.
    public let job: Job
    /// Its first run's id; nil for a recurring job.
    public let runID: Int64?
    /// Whether an existing job was returned for the request's unique key.
    public let deduplicated: Bool
    /// The finished run of a job run directly; nil when the job was queued.
    public let run: SummarizedRun?

    /// A job, its first run's id and whether it was deduplicated, and the finished run of a direct job.
    public init(job: Job, runID: Int64?, deduplicated: Bool, run: SummarizedRun? = nil) {
        self.job = job
        self.runID = runID
        self.deduplicated = deduplicated
        self.run = run
    }
}

/// A worker and the ids of the runs it holds.
public struct WorkerActivity: Sendable {
    /// The worker.
    public let record: WorkerRecord
    /// The runs it is running, by id, ascending.
    public let runningRunIDs: [Int64]
}

/// An API token and, only in the answer that created it, its secret.
public struct IssuedToken: Sendable {
    /// The token.
    public let token: APIToken
    /// The secret, shown once; nil everywhere else.
    public let secret: String?

    /// A token and its secret.
    public init(token: APIToken, secret: String?) {
        self.token = token
        self.secret = secret
    }
}

/// A run's log lines after a given id, and the id to read on from.
public struct LogPage: Sendable {
    /// The lines.
    public let lines: [LogLine]
    /// The last line's id (or the id asked to read after, when no line followed it).
    public let lastID: Int64?
}

/// A page of a dataset's refresh history.
public struct HistoryPage: Sendable {
    /// The entries, newest first.
    public let entries: [DatasetHistoryEntry]
    /// The id to read older entries before; nil on the last page.
    public let nextBefore: Int64?

    /// Entries, newest first, and the id to read older ones before.
    public init(entries: [DatasetHistoryEntry], nextBefore: Int64?) {
        self.entries = entries
        self.nextBefore = nextBefore
    }
}
