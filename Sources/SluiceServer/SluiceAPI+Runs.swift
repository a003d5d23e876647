import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Runs: list (with filters and optional log summaries), get, retry, cancel, logs.
    func registerRunRoutes(_ routes: RouteTable) {
        routes.get("/runs") { request, context in
            let query = RequestQuery(request)
            let withSummary = try query.oneOf("with_log_summary", Flag.self) == .true
            let limit = try query.limit()
            let page = try await client.runs(
                RunQuery(
                    brandID: try context.caller().listBrand(try query.uuid("brand_id")),
                    jobID: try query.int("job_id", in: 1...Int64.max),
                    jobType: try query.string("job_type", maxLength: 64), states: try Self.states(query),
                    parameters: try Self.parameterFilters(query), limit: limit, cursor: try query.cursor()))
            let summaries = withSummary ? try await client.logSummaries(runIDs: page.items.map(\.id)) : [:]
            let runs = page.map { SummarizedRun(run: $0, summary: withSummary ? summaries[$0.id] ?? .empty : nil) }
            return JSONResponse(APIRepresentation.runs(runs)).response()
        }
        routes.get("/runs/{id}") { _, context in
            let run = try await visibleRun(context)
            let summary = try await client.logSummary(runID: run.id)
            return JSONResponse(APIRepresentation.run(run, summary: summary)).response()
        }
        routes.post("/runs/{id}/retry", audit: "run.retry") { _, context, trail in
            let run = try await visibleRun(context, needs: .operator, trail: trail)
            return JSONResponse(APIRepresentation.run(try await client.retryRun(id: run.id))).response()
        }
        routes.post("/runs/{id}/cancel", audit: "run.cancel") { _, context, trail in
            let run = try await visibleRun(context, needs: .operator, trail: trail)
            return JSONResponse(APIRepresentation.run(try await client.cancelRun(id: run.id))).response()
        }
        routes.get("/runs/{id}/logs") { request, context in
            let run = try await visibleRun(context)
            let query = RequestQuery(request)
            let after = try query.int("after", in: 0...Int64.max)
            let lines = try await client.logs(runID: run.id, after: after, limit: try query.limit(default: 500))
            return JSONResponse(APIRepresentation.logPage(LogPage(lines: lines, lastID: lines.last?.id ?? after)))
                .response()
        }
    }

    /// The run of the path's `id`, if the caller may see it (404 otherwise) and has `role`.
    func visibleRun(
        _ context: APIRequestContext, needs role: AccessRole = .viewer, trail: AuditTrail? = nil
    ) async throws -> Run {
        let caller = try context.caller()
        try caller.require(role)
        let id = try context.int64("id", "run")
        let run = try await client.run(id: id)
        try caller.checkBrand(run.brandID, "run \(id)")
        trail?.note(target: "run/\(id)", brandID: run.brandID)
        return run
    }

    /// `state=queued,running` (any of the run states).
    private static func states(_ query: RequestQuery) throws -> [RunState] {
        guard let text = try query.string("state", maxLength: 200) else { return [] }
        return try text.split(separator: ",", omittingEmptySubsequences: false).map { name in
            guard let state = RunState(rawValue: String(name)) else {
                let options = RunState.allCases.map(\.rawValue).joined(separator: ", ")
                throw APIError.invalid("state", "must be a comma-separated list of \(options)")
            }
            return state
        }
    }
}

/// A boolean query parameter.
enum Flag: String, CaseIterable {
    case `true`
    case `false`
}
