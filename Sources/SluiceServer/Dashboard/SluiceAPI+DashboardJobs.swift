import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The Pipeline Manager's actions: queue a job from its form, pause, resume, run now or edit a recurring job,
    /// and retry or cancel a selection of runs.
    func registerDashboardJobRoutes(_ pages: RouteTable) {
        pages.get("/jobs/new") { request, context in
            let caller = try context.caller()
            try caller.require(.operator)
            let name = try RequestQuery(request).string("job_type", maxLength: 64) ?? ""
            let type = try client.registry.require(name)
            return try await queuePage(context, type: type, submitted: nil, errors: [:])
        }
        pages.post("/jobs/new", audit: "job.enqueue") { request, context, trail in
            let form = try await context.checkedForm(request)
            let caller = try context.caller()
            try caller.require(.operator)
            let type = try client.registry.require(form.fields["job_type"] ?? "")
            var (jobRequest, jobForm) = QueueFormView.request(type: type, fields: form.fields, identity: caller)
            if let jobRequest {
                trail.note(target: "job_type/\(type.name)", brandID: jobRequest.brandID)
                do {
                    let inserted = try await client.enqueue(jobRequest)
                    trail.note(target: "job/\(inserted.job.id)", brandID: jobRequest.brandID)
                    if inserted.deduplicated {
                        return HTMLResponse.redirect(to: "/?flash=duplicate")
                    }
                    if inserted.job.schedule.isRecurring || inserted.run == nil {
                        return HTMLResponse.redirect(to: "/?flash=scheduled#schedules")
                    }
                    return HTMLResponse.redirect(to: "/runs/\(inserted.run?.id ?? 0)")
                } catch let error as SluiceError where jobForm.record(error) {
                } catch let error as APIError where error.field == "brand_id" {
                    jobForm.errors["brand_id"] = error.message
                }
            }
            return try await queuePage(
                context, type: type, submitted: form.fields, errors: jobForm.errors, status: .unprocessableContent)
        }
        pages.get("/jobs/{id}/edit") { _, context in
            let job = try await editableJob(context)
            let type = try client.registry.require(job.jobType)
            return try await queuePage(context, type: type, submitted: nil, errors: [:], editing: job)
        }
        pages.post("/jobs/{id}/edit", audit: "job.edit") { request, context, trail in
            let form = try await context.checkedForm(request)
            let job = try await editableJob(context, trail: trail)
            let type = try client.registry.require(job.jobType)
            var fields = form.fields
            fields["schedule"] = "cron"
            fields["brand_id"] = job.brandID.lowercased
            var (jobRequest, jobForm) = QueueFormView.request(
                type: type, fields: fields, identity: try context.caller())
            if let jobRequest, case .cron(let cron, let zone) = jobRequest.schedule {
                do {
                    _ = try await client.updateRecurringJob(
                        id: job.id, parameters: jobRequest.parameters, cron: cron, timeZone: zone)
                    return HTMLResponse.redirect(to: "/?flash=edited#schedules")
                } catch let error as SluiceError where jobForm.record(error) {}
            }
            return try await queuePage(
                context, type: type, submitted: fields, errors: jobForm.errors, editing: job,
                status: .unprocessableContent)
        }
        let actions: [(String, String, @Sendable (SluiceClient, Int64) async throws -> Void)] = [
            ("pause", "job.pause", { _ = try await $0.pauseJob(id: $1) }),
            ("resume", "job.resume", { _ = try await $0.resumeJob(id: $1) }),
            ("run-now", "job.run_now", { _ = try await $0.runJobNow(id: $1) }),
        ]
        for (verb, audit, action) in actions {
            pages.post("/jobs/{id}/\(verb)", audit: audit) { request, context, trail in
                _ = try await context.checkedForm(request)
                let job = try await visibleJob(context, needs: .operator, trail: trail)
                try await action(client, job.id)
                return HTMLResponse.redirect(to: "/?flash=\(verb)#schedules")
            }
        }
        pages.post("/runs/bulk", audit: "run.bulk") { request, context, trail in
            try await bulkRunAction(request, context, trail)
        }
    }

    /// Retries or cancels each selected run the caller may see; runs in a state that does not allow it are skipped
    /// and counted, so one finished run in a selection does not stop the others.
    private func bulkRunAction(
        _ request: Request, _ context: APIRequestContext, _ trail: AuditTrail
    ) async throws -> Response {
        let form = try await context.checkedForm(request)
        let caller = try context.caller()
        try caller.require(.operator)
        let action = form.fields["action"] ?? ""
        guard action == "retry" || action == "cancel" else {
            throw APIError.invalid("action", "must be retry or cancel")
        }
        trail.note(target: trail.target, brandID: caller.brandID, action: "run.bulk_\(action)")
        let ids = (form.values["run"] ?? []).compactMap { Int64($0) }.prefix(PipelineView.runsPerPage * 4)
        var done: [Int64] = []
        var skipped = 0
        for id in ids {
            do {
                let run = try await client.run(id: id)
                try caller.checkBrand(run.brandID, "run \(id)")
                _ = action == "retry" ? try await client.retryRun(id: id) : try await client.cancelRun(id: id)
                done.append(id)
            } catch let error as SluiceError where [.conflict, .notFound].contains(error.code) {
                skipped += 1
            } catch let error as APIError where error.status == .notFound {
                skipped += 1
            }
        }
        trail.note(target: "runs/" + done.map(String.init).joined(separator: ",").prefix(180), brandID: caller.brandID)
        return HTMLResponse.redirect(to: "/?flash=\(action)-\(done.count)-\(skipped)#runs")
    }

    /// A recurring job the caller may edit: operator, visible, active or paused.
    private func editableJob(_ context: APIRequestContext, trail: AuditTrail? = nil) async throws -> Job {
        let job = try await visibleJob(context, needs: .operator, trail: trail)
        guard job.schedule.isRecurring, job.status.holdsUniqueness else {
            throw APIError(.conflict, code: "conflict", "only an active or paused recurring job can be edited")
        }
        return job
    }

    private func queuePage(
        _ context: APIRequestContext, type: JobType, submitted: [String: String]?, errors: [String: String],
        editing job: Job? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await QueueFormView.load(
            client: client, identity: try context.caller(), type: type, submitted: submitted, errors: errors,
            editing: job)
        let title = job.map { "Edit job #\($0.id)" } ?? "Queue \(type.label)"
        return try DashboardPage.render("queue", title: title, view.context, context, status: status)
    }
}
