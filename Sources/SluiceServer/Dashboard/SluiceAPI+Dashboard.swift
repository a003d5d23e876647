import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The dashboard: login and logout, and the pages behind the session cookie.
    func registerDashboardRoutes(_ router: Router<APIRequestContext>) {
        registerDashboardLoginRoutes(router)
        router.get("/static/{file}") { _, context in
            guard let file = DashboardTemplates.staticFiles[context.parameters.get("file") ?? ""] else {
                throw APIError.notFound("static file")
            }
            return HTMLResponse.file(file.bytes, contentType: file.contentType)
        }
        let pages = RouteTable(
            group: router.group().add(middleware: DashboardAuthentication(client: client)), prefix: "",
            auditor: record)
        pages.get("/") { request, context in
            let query = RequestQuery(request, ignoringEmpty: true)
            let filters = PipelineView.Filters(
                brandID: try query.uuid("brand_id"), jobType: try query.string("job_type", maxLength: 64),
                state: try query.oneOf("state", RunState.self), cursor: try query.cursor())
            let view = try await PipelineView.load(
                client: client, identity: try context.caller(), filters: filters, outcomes: outcomes)
            var page = view.context
            page["flash"] = DashboardFlash.message(try query.string("flash", maxLength: 40))
            return try DashboardPage.render("pipeline", title: "Pipeline Manager", page, context)
        }
        pages.get("/runs/{id}") { _, context in
            let run = try await visibleRun(context)
            let view = try await RunDetailView.load(client: client, run: run, identity: try context.caller())
            return try DashboardPage.render("run", title: "Run #\(run.id)", view.context, context)
        }
        let actions: [(String, @Sendable (SluiceClient, Int64) async throws -> Run)] = [
            ("cancel", { try await $0.cancelRun(id: $1) }), ("retry", { try await $0.retryRun(id: $1) }),
        ]
        registerDashboardBrandRoutes(pages)
        registerDashboardOperationRoutes(pages)
        registerDashboardResearchRoutes(pages)
        registerDashboardJobRoutes(pages)
        registerDashboardEditRoutes(pages)
        registerEventRoutes(pages, path: "/live/events")
        for (verb, action) in actions {
            pages.post("/runs/{id}/\(verb)", audit: "run.\(verb)") { request, context, trail in
                _ = try await context.checkedForm(request)
                let run = try await visibleRun(context, needs: .operator, trail: trail)
                _ = try await action(client, run.id)
                return HTMLResponse.redirect(to: "/runs/\(run.id)")
            }
        }
    }
}

/// Rendering a dashboard page inside the layout.
enum DashboardPage {
    /// A page for the logged-in caller of `request`.
    static func render(
        _ template: String, title: String, _ context: [String: Any], _ request: APIRequestContext,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var context = context
        if let identity = request.identity, let sessionID = request.sessionID {
            context["identity"] = [
                "name": identity.name, "role": identity.role.rawValue,
                "csrf": DashboardSession.csrfToken(for: sessionID),
                "operator": identity.role >= .operator,
            ]
        }
        return try render(template, title: title, context, status: status)
    }

    /// A page without a session (the login page).
    static func render(
        _ template: String, title: String, _ context: [String: Any], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var context = context
        context["title"] = title
        guard let html = DashboardTemplates.library.render(context, withTemplate: template) else {
            throw APIError(.internalServerError, code: "internal", "the page template \(template) is missing")
        }
        return HTMLResponse.page(html, status: status)
    }
}
