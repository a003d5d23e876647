import SluiceAdIntelModel
import SluiceCore

extension OpenAPIDocument {
    typealias S = OpenAPISchema

    /// The component schemas: exactly the shapes ``APIRepresentation`` writes.
    static let schemas: JSONObject = [
        "Error": S.object([
            "error": S.object(["code": S.string, "message": S.string, "field": S.nullableString])
        ]),
        "ParameterField": S.object(
            [
                "name": S.string, "type": S.enumeration(["string", "int", "bool", "url", "uuid", "enum"]),
                "required": S.boolean, "summary": S.string, "default": .object([:]), "minimum": S.nullableInteger,
                "maximum": S.nullableInteger, "options": S.array(S.string),
            ], optional: ["options", "default"]),
        "JobType": S.object([
            "name": S.string, "label": S.string, "emoji": S.string, "dataset": S.nullableString, "queue": S.string,
            "priority": S.integer, "timeout_seconds": S.number, "max_attempts": S.integer,
            "concurrency_limit": S.nullableInteger, "default_parameters": S.anyObject,
            "parameters": S.array(S.ref("ParameterField")),
        ]),
        "Schedule": S.object(
            [
                "kind": S.enumeration(["once", "recurring"]), "run_at": S.time, "cron": S.string, "timezone": S.string,
            ], optional: ["run_at", "cron", "timezone"]),
        "Job": S.object([
            "id": S.integer, "brand_id": S.uuid, "job_type": S.string, "parameters": S.anyObject,
            "status": S.enumeration(JobStatus.allCases.map(\.rawValue)), "queue": S.string, "priority": S.integer,
            "unique_key": S.nullableString, "next_fire_at": S.nullableTime, "created_at": S.time,
            "updated_at": S.time, "schedule": S.ref("Schedule"),
        ]),
        "JobCreated": S.object(
            ["job": S.ref("Job"), "run_id": S.nullableInteger, "deduplicated": S.boolean, "run": S.ref("Run")],
            optional: ["run"]),
        "Run": S.object(
            [
                "id": S.integer, "job_id": S.integer, "brand_id": S.uuid, "job_type": S.string, "queue": S.string,
                "parameters": S.anyObject, "state": S.enumeration(RunState.allCases.map(\.rawValue)),
                "attempt": S.integer, "max_attempts": S.integer, "scheduled_at": S.time, "created_at": S.time,
                "started_at": S.nullableTime, "finished_at": S.nullableTime, "worker_id": S.nullableString,
                "cancel_requested": S.boolean, "progress": S.type("number", nullable: true),
                "progress_message": S.nullableString, "error": S.nullableString, "result": S.nullableObject,
                "rows_written": S.nullableInteger, "log_summary": S.string,
            ], optional: ["log_summary"]),
        "LogLine": S.object([
            "id": S.integer, "run_id": S.integer, "attempt": S.integer, "at": S.time,
            "level": S.enumeration(["debug", "info", "warning", "error"]), "message": S.string,
        ]),
        "LogPage": S.object(["items": S.array(S.ref("LogLine")), "last_id": S.nullableInteger]),
        "Dataset": S.object([
            "name": S.string, "label": S.string, "produced_by": S.string, "policy": S.anyObject,
            "auto_refresh": S.boolean,
        ]),
        "Freshness": S.object([
            "dataset": S.string, "label": S.string, "brand_id": S.uuid,
            "state": S.enumeration(FreshnessState.allCases.map(\.rawValue)), "produced_by": S.string,
            "policy": S.anyObject, "auto_refresh": S.boolean, "last_attempt_at": S.nullableTime,
            "last_success_at": S.nullableTime, "last_failure_at": S.nullableTime, "last_error": S.nullableString,
            "rows_written": S.nullableInteger, "last_run_id": S.nullableInteger,
        ]),
        "HistoryEntry": S.object([
            "id": S.integer, "dataset": S.string, "brand_id": S.uuid, "run_id": S.integer,
            "outcome": S.enumeration(["succeeded", "failed"]), "rows_written": S.nullableInteger,
            "error": S.nullableString, "finished_at": S.time,
        ]),
        "HistoryPage": S.object(["items": S.array(S.ref("HistoryEntry")), "next_before": S.nullableInteger]),
        "Brand": S.object(["id": S.uuid, "name": S.string, "created_at": S.time]),
        "Competitor": S.object([
            "id": S.uuid, "brand_id": S.uuid, "name": S.string, "page_id": S.nullableString,
            "ad_library_url": S.nullableString, "created_at": S.time,
        ]),
        "CompetitorAd": S.object([
            "id": S.integer, "brand_id": S.uuid, "competitor_id": S.uuid, "archive_id": S.string,
            "page_id": S.nullableString, "page_name": S.nullableString, "is_active": S.boolean,
            "started_at": S.nullableTime, "ended_at": S.nullableTime, "platforms": S.array(S.string),
            "display_format": S.nullableString, "bodies": S.array(S.string), "titles": S.array(S.string),
            "link_url": S.nullableString, "call_to_action": S.nullableString, "library_url": S.string,
            "first_seen_at": S.time, "last_seen_at": S.time,
        ]),
        "RateLimiter": S.object([
            "name": S.string, "rate_per_second": S.number, "burst": S.integer, "tokens": S.number,
        ]),
        "Worker": S.object([
            "id": S.string, "host": S.string, "pid": S.integer, "queues": S.array(S.string),
            "concurrency": S.integer, "running": S.integer, "running_run_ids": S.array(S.integer),
            "started_at": S.time, "last_seen_at": S.time,
        ]),
        "Token": S.object(
            [
                "id": S.uuid, "name": S.string, "role": S.enumeration(["admin", "operator", "viewer"]),
                "brand_id": S.nullableUUID, "created_at": S.time, "last_used_at": S.nullableTime,
                "revoked_at": S.nullableTime, "secret": S.string,
            ], optional: ["secret"]),
        "AuditEntry": S.object([
            "id": S.integer, "at": S.time, "actor": S.string, "token_id": S.nullableUUID, "action": S.string,
            "target": S.string, "brand_id": S.nullableUUID, "outcome": S.string,
        ]),
        "Status": S.object(["status": S.string]),
        "JobTypeList": S.list(of: "JobType"), "JobPage": S.list(of: "Job", paged: true),
        "RunPage": S.list(of: "Run", paged: true), "DatasetList": S.list(of: "Dataset"),
        "FreshnessList": S.list(of: "Freshness"), "BrandList": S.list(of: "Brand"),
        "CompetitorList": S.list(of: "Competitor"), "CompetitorAdPage": S.list(of: "CompetitorAd", paged: true),
        "RateLimiterList": S.list(of: "RateLimiter"), "WorkerList": S.list(of: "Worker"),
        "TokenList": S.list(of: "Token"), "AuditPage": S.list(of: "AuditEntry", paged: true),
        "JobRequest": requestBody(
            [
                "brand_id": S.uuid, "job_type": S.text(1, 64, pattern: "^[a-z][a-z0-9_]*$"),
                "parameters": S.orNull(S.anyObject), "run_at": S.orNull(S.time),
                "cron": S.orNull(S.text(1, 200, pattern: S.nonBlank)),
                "timezone": S.orNull(S.text(1, 64, pattern: #"^[^\s\x00]+$"#)),
                "mode": S.orNull(S.enumeration(["queued", "direct"])),
                "priority": S.orNull(.object(["type": "integer", "minimum": -1000, "maximum": 1000])),
                "unique_key": S.orNull(S.text(1, 200)),
            ], required: ["brand_id", "job_type"],
            rules: [
                // One-time at run_at, or recurring on cron: not both.
                "not": .object([
                    "required": ["run_at", "cron"],
                    "properties": ["run_at": S.time, "cron": S.string],
                ]),
                // A time zone belongs to a cron.
                "if": .object(["required": ["timezone"], "properties": ["timezone": S.string]]),
                "then": .object(["required": ["cron"], "properties": ["cron": S.string]]),
                // Direct mode runs a one-time job now: no run_at, no cron.
                "allOf": [
                    .object([
                        "if": .object([
                            "required": ["mode"], "properties": ["mode": .object(["const": "direct"])],
                        ]),
                        "then": .object([
                            "properties": [
                                "run_at": .object(["type": "null"]), "cron": .object(["type": "null"]),
                            ]
                        ]),
                    ])
                ],
            ]),
        "BrandRequest": requestBody(["name": S.name], required: ["name"]),
        "CompetitorRequest": requestBody(
            [
                "name": S.name, "page_id": S.orNull(S.text(1, 30, pattern: "^[0-9]+$")),
                "ad_library_url": S.orNull(S.text(1, 2000, pattern: adLibraryURLPattern)),
            ],
            required: ["name"]),
        // An admin token sees every brand, so only operator and viewer tokens may be scoped to one.
        "TokenRequest": .object([
            "oneOf": [
                requestBody(
                    [
                        "name": S.text(1, 100, pattern: S.nonBlank), "role": S.enumeration(["admin"]),
                        "brand_id": .object(["type": "null"]),
                    ], required: ["name", "role"]),
                requestBody(
                    [
                        "name": S.text(1, 100, pattern: S.nonBlank), "role": S.enumeration(["operator", "viewer"]),
                        "brand_id": S.orNull(S.uuid),
                    ], required: ["name", "role"]),
            ]
        ]),
    ]

    /// A web Meta Ad Library address as competitors store it (see `CompetitorRequest.validate(adLibraryURL:)`):
    /// http(s), facebook.com or a subdomain, the `/ads/library` path, and only characters a URL may carry
    /// unencoded (percent-escapes well formed).
    static let adLibraryURLPattern =
        #"^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9-]+\.)*[Ff][Aa][Cc][Ee][Bb][Oo][Oo][Kk]\.[Cc][Oo][Mm]/ads/library"#
        + #"([!$&'()*+,./0-9:;=?@A-Z\[\]_a-z~#-]|%[0-9A-Fa-f]{2})*$"#

    private static func requestBody(
        _ properties: [String: JSONValue], required: [String], rules: JSONObject = [:]
    ) -> JSONValue {
        .object(
            rules.merging([
                "type": .string("object"), "required": .array(required.map(JSONValue.string)),
                "additionalProperties": .bool(false), "properties": .object(properties),
            ]) { $1 })
    }
}
