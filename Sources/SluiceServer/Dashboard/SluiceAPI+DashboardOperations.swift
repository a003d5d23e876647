import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The rate limits page: every shared limiter with its bucket, and (for unscoped operators) a form per limiter
    /// that sets its rate and burst.
    func registerDashboardOperationRoutes(_ pages: RouteTable) {
        pages.get("/rate-limiters") { _, context in
            try await rateLimitersPage(context, error: nil)
        }
        pages.post("/rate-limiters/{name}", audit: "rate_limiter.update") { request, context, trail in
            let form = try await context.checkedForm(request)
            let caller = try context.caller()
            try caller.require(.operator)
            try caller.requireUnscoped()
            let name = context.parameters.get("name") ?? ""
            trail.note(target: "rate_limiter/\(name.prefix(64))", brandID: nil)
            guard let perHour = form.optional("per_hour").flatMap(Double.init), perHour.isFinite,
                let burst = form.optional("burst").flatMap(Int.init)
            else {
                return try await rateLimitersPage(
                    context, error: "\(name): the rate per hour must be a number and the burst a whole number.",
                    status: .unprocessableContent)
            }
            do {
                _ = try await client.updateRateLimiter(
                    RateLimiterSettings(name: name, ratePerSecond: perHour / 3600, burst: burst))
                return HTMLResponse.redirect(to: "/rate-limiters")
            } catch let error as SluiceError where error.code == .invalidArgument {
                let field = (error.field ?? "value").replacingOccurrences(of: "_", with: " ")
                return try await rateLimitersPage(
                    context, error: "\(name): \(field) \(error.message).", status: .unprocessableContent)
            }
        }
    }

    private func rateLimitersPage(
        _ context: APIRequestContext, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let caller = try context.caller()
        let limiters = try await client.rateLimiters()
        var page: [String: Any] = [
            "limiters": limiters.map { limiter in
                [
                    "name": limiter.settings.name,
                    "perHour": (limiter.settings.ratePerSecond * 3600).formatted(
                        .number.precision(.significantDigits(1...6)).grouping(.never)),
                    "interval": (1 / limiter.settings.ratePerSecond).formatted(
                        .number.precision(.significantDigits(1...3))),
                    "burst": String(limiter.settings.burst),
                    "tokens": limiter.tokens.formatted(.number.precision(.fractionLength(1))),
                ]
            },
            "hasLimiters": !limiters.isEmpty, "canEdit": caller.role >= .operator && caller.brandID == nil,
        ]
        page["error"] = error
        return try DashboardPage.render("rate_limiters", title: "Rate limits", page, context, status: status)
    }
}
