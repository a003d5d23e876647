import Foundation
import SluiceCore
import SluiceStore

/// The body of `POST /api/v1/brands`.
enum BrandBody {
    static let name = RequestMember.displayName("name")
    static let shape = RequestShape("BrandRequest", name)
}

/// The body of `POST /api/v1/brands/{brand_id}/competitors`.
enum CompetitorBody {
    static let name = RequestMember.displayName("name")
    static let pageID = RequestMember.optionalText("page_id", 1...30, pattern: "^[0-9]+$")
    static let adLibraryURL = RequestMember.optionalText("ad_library_url", 1...2000, pattern: adLibraryURLPattern)
    static let shape = RequestShape("CompetitorRequest", name, pageID, adLibraryURL)

    /// A web Meta Ad Library address as competitors store it (see `CompetitorRequest.validate(adLibraryURL:)`):
    /// http(s), facebook.com or a subdomain, the `/ads/library` path, and only characters a URL may carry
    /// unencoded (percent-escapes well formed).
    static let adLibraryURLPattern =
        #"^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9-]+\.)*[Ff][Aa][Cc][Ee][Bb][Oo][Oo][Kk]\.[Cc][Oo][Mm]/ads/library"#
        + #"([!$&'()*+,./0-9:;=?@A-Z\[\]_a-z~#-]|%[0-9A-Fa-f]{2})*$"#
}

/// The body of `POST /api/v1/jobs`: a ``JobRequest`` and whether to queue it or run it directly.
enum JobBody {
    /// How a created job runs.
    enum Mode: String, CaseIterable, Sendable {
        /// Queued for a worker (the default).
        case queued
        /// Run now by the server's own worker, answering when the run has finished (the legacy path).
        case direct
    }

    static let brandID = RequestMember.uuid("brand_id")
    static let jobType = RequestMember.text("job_type", 1...64, pattern: "^[a-z][a-z0-9_]*$")
    static let parameters = RequestMember.optionalObject("parameters")
    static let runAt = RequestMember.optionalTime("run_at")
    static let cron = RequestMember.optionalText("cron", 1...200, pattern: CronSyntax.documented)
    static let timeZone = RequestMember.optionalTimeZone("timezone")
    static let mode = RequestMember.optionalOneOf("mode", Mode.self)
    static let priority = RequestMember.optionalInteger("priority", in: JobRequest.priorities)
    static let uniqueKey = RequestMember.optionalText("unique_key", 1...200)

    static let shape = RequestShape(
        "JobRequest", brandID, jobType, parameters, runAt, cron, timeZone, mode, priority, uniqueKey,
        rules: [
            // One-time at run_at, or recurring on cron: not both.
            "not": .object([
                "required": ["run_at", "cron"],
                "properties": ["run_at": OpenAPISchema.time, "cron": OpenAPISchema.string],
            ]),
            // A time zone belongs to a cron.
            "if": .object(["required": ["timezone"], "properties": ["timezone": OpenAPISchema.string]]),
            "then": .object(["required": ["cron"], "properties": ["cron": OpenAPISchema.string]]),
            // Direct mode runs a one-time job now: no run_at, no cron.
            "allOf": [
                .object([
                    "if": .object(["required": ["mode"], "properties": ["mode": .object(["const": "direct"])]]),
                    "then": .object([
                        "properties": ["run_at": .object(["type": "null"]), "cron": .object(["type": "null"])]
                    ]),
                ])
            ],
        ])

    /// The job request in `body`.
    ///
    /// - Throws: ``APIError`` (422) naming the first member that is missing or malformed, or a schedule that
    ///   gives both `run_at` and `cron`, or a `timezone` without `cron`.
    static func jobRequest(_ body: RequestBody) throws -> JobRequest {
        JobRequest(
            brandID: try body[brandID], jobType: try body[jobType], parameters: try body[parameters] ?? [:],
            schedule: try schedule(body), priority: try body[priority], uniqueKey: try body[uniqueKey])
    }

    private static func schedule(_ body: RequestBody) throws -> ScheduleRequest {
        let (date, expression, zone) = (try body[runAt], try body[cron], try body[timeZone])
        switch (date, expression) {
        case (.some, .some): throw APIError.invalid("cron", "give either run_at or cron, not both")
        case (.some(let date), nil):
            guard zone == nil else { throw APIError.invalid("timezone", "is only for a recurring job (cron)") }
            return .at(date)
        case (nil, .some(let cron)): return .cron(cron, timeZone: zone ?? "UTC")
        case (nil, nil):
            guard zone == nil else { throw APIError.invalid("timezone", "is only for a recurring job (cron)") }
            return .now
        }
    }
}

/// The body of `POST /api/v1/tokens`.
enum TokenBody {
    static let name = RequestMember.text("name", 1...100, pattern: OpenAPISchema.nonBlank)
    static let role = RequestMember<AccessRole>.oneOf("role")
    static let brandID = RequestMember.optionalUUID("brand_id")

    static let shape = RequestShape(
        "TokenRequest", name, role, brandID,
        rules: [
            // An admin token sees every brand, so only operator and viewer tokens may be scoped to one.
            "if": .object(["required": ["role"], "properties": ["role": .object(["const": "admin"])]]),
            "then": .object(["properties": ["brand_id": .object(["type": "null"])]]),
        ])
}

/// The body that sets a rate limiter's rate and burst.
enum RateLimiterBody {
    static let ratePerSecond = RequestMember.positiveNumber("rate_per_second", maximum: 1_000_000)
    static let burst = RequestMember.integer("burst", in: 1...1_000_000)

    static let shape = RequestShape("RateLimiterRequest", ratePerSecond, burst)
}
