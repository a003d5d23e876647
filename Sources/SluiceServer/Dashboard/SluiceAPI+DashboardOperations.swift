import Foundation
import Hummingbird
import SluiceCore
import SluiceEngine
import SluiceStore

extension SluiceAPI {
    /// The rate limits page: every shared limiter with its bucket, and (for unscoped operators) a form per limiter
    /// that sets its rate and burst.
    func registerDashboardOperationRoutes(_ pages: RouteTable) {
        registerDashboardLimiterPauseRoutes(pages)
        pages.get("/rate-limiters") { _, context in
            try await rateLimitersPage(context, error: nil)
        }
        pages.post("/rate-limiters/{name}", audit: "rate_limiter.update") { request, context, trail in
            let form = try await context.checkedForm(request)
            let name = try changedLimiterName(context, trail)
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

    /// The pause and resume buttons of the rate limits page.
    func registerDashboardLimiterPauseRoutes(_ pages: RouteTable) {
        for (verb, paused) in [("pause", true), ("resume", false)] {
            pages.post("/rate-limiters/{name}/\(verb)", audit: "rate_limiter.\(verb)") { request, context, trail in
                _ = try await context.checkedForm(request)
                _ = try await client.setRateLimiterPaused(try changedLimiterName(context, trail), paused: paused)
                return HTMLResponse.redirect(to: "/rate-limiters")
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
                    "paused": limiter.paused, "waiting": String(limiter.waitingRuns),
                ]
            },
            "hasLimiters": !limiters.isEmpty, "canEdit": caller.role >= .operator && caller.brandID == nil,
        ]
        page["error"] = error
        return try DashboardPage.render("rate_limiters", title: "Rate limits", page, context, status: status)
    }
}
