import SluiceAdIntelModel
import SluiceCore

extension OpenAPIDocument {
    static let jobID = path("id", positiveID)
    static let runID = path("id", positiveID)
    static let brandID = path("brand_id", S.uuid)
    static let competitorID = path("competitor_id", S.uuid)

    /// One or more run states, comma-separated.
    static let runStates: JSONValue = {
        let state = "(" + RunState.allCases.map(\.rawValue).joined(separator: "|") + ")"
        return OpenAPISchema.text(1, 200, pattern: "^\(state)(,\(state))*$")
    }()

    static let apiPaths: JSONObject = [
        "/api/v1/job-types": .object(["get": operation("List job types", tag: "catalog", returns: "JobTypeList")]),
        "/api/v1/job-types/{name}": .object([
            "get": operation(
                "Get a job type", tag: "catalog", parameters: [path("name", S.string)], returns: "JobType",
                errors: [404])
        ]),
        "/api/v1/datasets": .object(["get": operation("List datasets", tag: "catalog", returns: "DatasetList")]),
        "/api/v1/freshness": .object([
            "get": operation(
                "Dataset freshness", tag: "catalog", parameters: [brandFilter], returns: "FreshnessList",
                errors: [404])
        ]),
        "/api/v1/brands/{brand_id}/datasets/{dataset}/history": .object([
            "get": operation(
                "Dataset refresh history", tag: "catalog",
                parameters: [
                    brandID, path("dataset", S.string), query("before", positiveID, "entries older than this id"),
                    limit,
                ], returns: "HistoryPage", errors: [404])
        ]),
        "/api/v1/jobs": .object([
            "post": operation(
                "Create a job", tag: "jobs", body: "JobRequest", success: 201, returns: "JobCreated",
                also: [200: "JobCreated"], errors: [404, 409]),
            "get": operation(
                "List jobs", tag: "jobs",
                parameters: [
                    brandFilter, query("job_type", S.text(0, 64), "only this job type (empty: any)"),
                    query("status", S.enumeration(JobStatus.allCases.map(\.rawValue)), "only this status"),
                ] + parameterFilters + [limit, cursor], returns: "JobPage", errors: [404]),
        ]),
        "/api/v1/jobs/{id}": .object([
            "get": operation("Get a job", tag: "jobs", parameters: [jobID], returns: "Job", errors: [404]),
            "delete": operation(
                "Delete a job", tag: "jobs", parameters: [jobID], success: 204, returns: nil, errors: [404, 409]),
        ]),
        "/api/v1/jobs/{id}/pause": .object([
            "post": operation("Pause a job", tag: "jobs", parameters: [jobID], returns: "Job", errors: [404, 409])
        ]),
        "/api/v1/jobs/{id}/resume": .object([
            "post": operation("Resume a job", tag: "jobs", parameters: [jobID], returns: "Job", errors: [404, 409])
        ]),
        "/api/v1/jobs/{id}/cancel": .object([
            "post": operation("Cancel a job", tag: "jobs", parameters: [jobID], returns: "Job", errors: [404, 409])
        ]),
        "/api/v1/jobs/{id}/run-now": .object([
            "post": operation(
                "Run a job now", tag: "jobs", parameters: [jobID], success: 201, returns: "Run", errors: [404, 409])
        ]),
        "/api/v1/runs": .object([
            "get": operation(
                "List runs", tag: "runs",
                parameters: [
                    brandFilter, query("job_id", positiveID, "only this job's runs"),
                    query("job_type", S.text(0, 64), "only this job type (empty: any)"),
                    query("state", runStates, "comma-separated run states"),
                    query("with_log_summary", S.enumeration(["true", "false"]), "add log_summary to each run"),
                ] + parameterFilters + [limit, cursor], returns: "RunPage", errors: [404])
        ]),
        "/api/v1/runs/{id}": .object([
            "get": operation("Get a run", tag: "runs", parameters: [runID], returns: "Run", errors: [404])
        ]),
        "/api/v1/runs/{id}/retry": .object([
            "post": operation("Retry a run", tag: "runs", parameters: [runID], returns: "Run", errors: [404, 409])
        ]),
        "/api/v1/runs/{id}/cancel": .object([
            "post": operation("Cancel a run", tag: "runs", parameters: [runID], returns: "Run", errors: [404, 409])
        ]),
        "/api/v1/runs/{id}/logs": .object([
            "get": operation(
                "Run logs", tag: "runs",
                parameters: [
                    runID,
                    query(
                        "after",
                        .object([
                            "type": .string("integer"), "format": .string("int64"), "minimum": .int(0),
                            "maximum": .int(Int64.max),
                        ]), "lines after this id"),
                    limit,
                ],
                returns: "LogPage", errors: [404])
        ]),
        "/api/v1/events": .object([
            "get": .object([
                "summary": .string("Live events (Server-Sent Events)"), "tags": .array([.string("events")]),
                "operationId": .string("events"),
                "parameters": .array([
                    brandFilter, query("job_id", positiveID, "only this job"),
                    query("run_id", positiveID, "only this run"),
                ]),
                "responses": .object([
                    "200": .object([
                        "description": .string(
                            "an endless stream of run.state, run.progress, run.log and dataset.freshness events"),
                        "content": .object(["text/event-stream": .object(["schema": S.string])]),
                    ]),
                    "401": response("no valid bearer token", schema: "Error"),
                    "404": response("the brand is not visible to this token", schema: "Error"),
                    "422": response("a parameter is invalid", schema: "Error"),
                ]),
            ])
        ]),
        "/api/v1/brands": .object([
            "get": operation("List brands", tag: "brands", returns: "BrandList"),
            "post": operation(
                "Create a brand", tag: "brands", body: "BrandRequest", success: 201, returns: "Brand"),
        ]),
        "/api/v1/brands/{brand_id}": .object([
            "get": operation("Get a brand", tag: "brands", parameters: [brandID], returns: "Brand", errors: [404]),
            "delete": operation(
                "Delete a brand", tag: "brands", parameters: [brandID], success: 204, returns: nil, errors: [404]),
        ]),
        "/api/v1/brands/{brand_id}/competitors": .object([
            "get": operation(
                "List competitors", tag: "brands", parameters: [brandID], returns: "CompetitorList", errors: [404]),
            "post": operation(
                "Create a competitor", tag: "brands", parameters: [brandID], body: "CompetitorRequest", success: 201,
                returns: "Competitor", errors: [404]),
        ]),
        "/api/v1/competitors/{competitor_id}": .object([
            "get": operation(
                "Get a competitor", tag: "brands", parameters: [competitorID], returns: "Competitor", errors: [404]),
            "delete": operation(
                "Delete a competitor", tag: "brands", parameters: [competitorID], success: 204, returns: nil,
                errors: [404]),
        ]),
        "/api/v1/competitors/{competitor_id}/ads": .object([
            "get": operation(
                "List a competitor's ads", tag: "brands", parameters: [competitorID, limit, cursor],
                returns: "CompetitorAdPage", errors: [404])
        ]),
        "/api/v1/rate-limiters": .object([
            "get": operation("List rate limiters", tag: "operations", returns: "RateLimiterList")
        ]),
        "/api/v1/rate-limiters/{name}": .object([
            "post": operation(
                "Set a rate limiter's rate and burst", tag: "operations",
                parameters: [path("name", OpenAPISchema.text(1, 64))], body: "RateLimiterRequest",
                returns: "RateLimiter", errors: [404])
        ]),
        "/api/v1/workers": .object(["get": operation("List live workers", tag: "operations", returns: "WorkerList")]),
        "/api/v1/tokens": .object([
            "get": operation("List tokens", tag: "operations", returns: "TokenList"),
            "post": operation(
                "Create a token", tag: "operations", body: "TokenRequest", success: 201, returns: "Token",
                errors: [404, 409]),
        ]),
        "/api/v1/tokens/{token_id}": .object([
            "delete": operation(
                "Revoke a token", tag: "operations", parameters: [path("token_id", S.uuid)], returns: "Token",
                errors: [404, 409])
        ]),
        "/api/v1/audit": .object([
            "get": operation(
                "Read the audit log", tag: "operations", parameters: [brandFilter, limit, cursor],
                returns: "AuditPage")
        ]),
    ]
}
