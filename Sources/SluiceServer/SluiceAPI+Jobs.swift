import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Jobs: create (queued or direct), list, get, pause, resume, cancel, run now, delete.
    func registerJobRoutes(_ routes: RouteTable) {
        routes.post("/jobs", audit: "job.create") { request, context, trail in
            try await createJob(request, context, trail)
        }
        routes.get("/jobs") { request, context in
            let query = RequestQuery(request)
            let page = try await client.jobs(
                JobQuery(
                    brandID: try context.caller().listBrand(try query.uuid("brand_id")),
                    jobType: try query.string("job_type", maxLength: 64),
                    status: try query.oneOf("status", JobStatus.self), parameters: try Self.parameterFilters(query),
                    limit: try query.limit(), cursor: try query.cursor()))
            return JSONResponse(APIRepresentation.jobs(page)).response()
        }
        routes.get("/jobs/{id}") { _, context in
            JSONResponse(APIRepresentation.job(try await visibleJob(context))).response()
        }
        let actions: [(String, @Sendable (SluiceClient, Int64) async throws -> Job)] = [
            ("pause", { try await $0.pauseJob(id: $1) }), ("resume", { try await $0.resumeJob(id: $1) }),
            ("cancel", { try await $0.cancelJob(id: $1) }),
        ]
        for (verb, action) in actions {
            routes.post("/jobs/{id}/\(verb)", audit: "job.\(verb)") { _, context, trail in
                let job = try await visibleJob(context, needs: .operator, trail: trail)
                return JSONResponse(APIRepresentation.job(try await action(client, job.id))).response()
            }
        }
        routes.post("/jobs/{id}/run-now", audit: "job.run_now") { _, context, trail in
            let job = try await visibleJob(context, needs: .operator, trail: trail)
            let run = try await client.runJobNow(id: job.id)
            return JSONResponse(status: .created, APIRepresentation.run(run)).response()
        }
        routes.delete("/jobs/{id}", audit: "job.delete") { _, context, trail in
            let job = try await visibleJob(context, needs: .operator, trail: trail)
            try await client.deleteJob(id: job.id)
            return Response(status: .noContent)
        }
    }

    /// The job of the path's `id`, if the caller may see it (404 otherwise) and has `role`.
    func visibleJob(
        _ context: APIRequestContext, needs role: AccessRole = .viewer, trail: AuditTrail? = nil
    ) async throws -> Job {
        let caller = try context.caller()
        try caller.require(role)
        let id = try context.int64("id", "job")
        let job = try await client.job(id: id)
        try caller.checkBrand(job.brandID, "job \(id)")
        trail?.note(target: "job/\(id)", brandID: job.brandID)
        return job
    }

    private func createJob(
        _ request: Request, _ context: APIRequestContext, _ trail: AuditTrail
    ) async throws
        -> Response
    {
        let caller = try context.caller()
        try caller.require(.operator)
        let body = try await JobBody.shape.read(request, limit: configuration.maxBodyBytes)
        let brandID = try body[JobBody.brandID]
        try caller.checkBrand(brandID, "brand \(brandID.lowercased)")
        let jobRequest = try JobBody.jobRequest(body)
        let mode = try body[JobBody.mode] ?? .queued
        trail.note(
            target: "job_type/\(jobRequest.jobType.prefix(64))", brandID: brandID,
            action: mode == .direct ? "job.run_direct" : "job.enqueue")
        switch mode {
        case .queued:
            let inserted = try await client.enqueue(jobRequest)
            trail.note(target: "job/\(inserted.job.id)", brandID: brandID)
            let answer = JobCreation(job: inserted.job, runID: inserted.run?.id, deduplicated: inserted.deduplicated)
            return JSONResponse(status: inserted.deduplicated ? .ok : .created, APIRepresentation.jobCreation(answer))
                .response()
        case .direct:
            guard let worker = configuration.directWorker else {
                throw APIError(
                    .conflict, code: "conflict", "this server runs no worker, so it cannot run jobs directly",
                    field: "mode")
            }
            let run = try await client.runDirectly(jobRequest, with: worker)
            trail.note(target: "job/\(run.jobID)", brandID: brandID)
            let job = try await client.job(id: run.jobID)
            let summary = try await client.logSummary(runID: run.id)
            let answer = JobCreation(
                job: job, runID: run.id, deduplicated: false, run: SummarizedRun(run: run, summary: summary))
            return JSONResponse(status: .created, APIRepresentation.jobCreation(answer)).response()
        }
    }

    /// `competitor_id=…` and `parameter=name:value` (a value that reads as an integer or boolean matches one): a
    /// job or run must match both when both are given.
    static func parameterFilters(_ query: RequestQuery) throws -> [ParameterFilter] {
        var filters: [ParameterFilter] = []
        if let competitor = try query.uuid("competitor_id") {
            filters.append(ParameterFilter("competitor_id", equals: .string(competitor.uuidString.lowercased())))
        }
        if let filter = try parameterFilter(query) { filters.append(filter) }
        return filters
    }

    /// `parameter=name:value`.
    private static func parameterFilter(_ query: RequestQuery) throws -> ParameterFilter? {
        guard let text = try query.string("parameter", maxLength: 300) else { return nil }
        // Split on the first colon scalar: a colon followed by a combining mark (an emoji skin tone, say) is
        // one Character with it, which `firstIndex(of: ":")` would not find.
        let scalars = text.unicodeScalars
        guard let colon = scalars.firstIndex(of: ":") else {
            throw APIError.invalid("parameter", "must be name:value")
        }
        let name = String(scalars[..<colon])
        var raw = String(scalars[scalars.index(after: colon)...])
        // UUID parameters are stored lowercase, so a UUID matches whatever case it is given in.
        if UUID(uuidString: raw) != nil { raw = raw.lowercased() }
        let value: JSONValue =
            Int64(raw).map(JSONValue.int) ?? (raw == "true" || raw == "false" ? .bool(raw == "true") : .string(raw))
        let filter = ParameterFilter(name, equals: value)
        do {
            try filter.validate()
        } catch {
            throw APIError.invalid("parameter", error.message)
        }
        return filter
    }
}
