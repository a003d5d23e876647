import Foundation
import Hummingbird
import SluiceAdIntelModel
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// Competitor Research: pickers, the competitor's ads, and the "Scrape Ads from Ad Library" form, queued by
    /// default or run directly (legacy) when asked.
    func registerDashboardResearchRoutes(_ pages: RouteTable) {
        pages.get("/competitors") { request, context in
            let query = RequestQuery(request, ignoringEmpty: true)
            var selection = CompetitorResearchView.Selection()
            selection.brandID = try query.uuid("brand_id")
            selection.competitorID = try query.uuid("competitor_id")
            selection.adsCursor = try query.cursor()
            selection.queuedRunID = try query.int("queued", in: 1...Int64.max)
            selection.activeRunID = try query.int("already", in: 1...Int64.max)
            selection.finishedRunID = try query.int("finished", in: 1...Int64.max)
            return try await researchPage(context, selection)
        }
        pages.post("/competitors/{competitor_id}/scrape", audit: "job.enqueue") { request, context, trail in
            let form = try await context.checkedForm(request)
            let competitor = try await visibleCompetitor(context, needs: .operator, trail: trail)
            let direct = form.fields["direct"] == "on"
            if direct { trail.note(target: trail.target, brandID: competitor.brandID, action: "job.run_direct") }
            let type = try client.registry.require(CompetitorResearchView.scrapeType)
            var jobForm = JobForm(type: type, fields: form.fields, required: ["max_ads"])
            jobForm.parameters["competitor_id"] = .string(competitor.id.lowercased)
            var selection = CompetitorResearchView.Selection()
            selection.brandID = competitor.brandID
            selection.competitorID = competitor.id
            let back =
                "/competitors?brand_id=\(competitor.brandID.lowercased)&competitor_id=\(competitor.id.lowercased)"
            do {
                if jobForm.errors.isEmpty {
                    let request = JobRequest(
                        brandID: competitor.brandID, jobType: type.name, parameters: jobForm.parameters)
                    if direct {
                        guard let worker = configuration.directWorker else {
                            throw APIError(
                                .conflict, code: "conflict",
                                "this server runs no worker, so it cannot run jobs directly")
                        }
                        let run = try await client.runDirectly(request, with: worker)
                        trail.note(target: "job/\(run.jobID)", brandID: competitor.brandID)
                        return HTMLResponse.redirect(to: back + "&finished=\(run.id)")
                    }
                    let inserted = try await client.enqueue(request)
                    trail.note(target: "job/\(inserted.job.id)", brandID: competitor.brandID)
                    let flag = inserted.deduplicated ? "already" : "queued"
                    return HTMLResponse.redirect(to: back + (inserted.run.map { "&\(flag)=\($0.id)" } ?? ""))
                }
            } catch let error as SluiceError where jobForm.record(error) {}
            selection.submitted = form.fields
            selection.errors = jobForm.errors
            trail.note(target: trail.target, brandID: competitor.brandID)
            return try await researchPage(context, selection, status: .unprocessableContent)
        }
        pages.get("/media/{file}") { _, context in
            let name = context.parameters.get("file") ?? ""
            // A brand-scoped caller sees only creatives of its own brand's ads, as if the others did not exist.
            if let brandID = try context.caller().brandID {
                guard let contentHash = MediaFiles.contentHash(named: name),
                    try await adIntel.hasAsset(contentHash: contentHash, brandID: brandID)
                else { throw APIError.notFound("media \(name.prefix(80))") }
            }
            return try MediaFiles.response(named: name, root: configuration.assetDirectory)
        }
    }

    private func researchPage(
        _ context: APIRequestContext, _ selection: CompetitorResearchView.Selection,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let view = try await CompetitorResearchView.load(
            client: client, adIntel: adIntel, identity: try context.caller(), selection: selection,
            canRunDirectly: configuration.directWorker != nil)
        return try DashboardPage.render("research", title: "Competitor Research", view.context, context, status: status)
    }
}
