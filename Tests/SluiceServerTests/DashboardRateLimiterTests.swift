import Foundation
import SluiceCore
import SluiceStore
import Testing

@Suite("Dashboard: rate limits")
struct DashboardRateLimiterTests {
    let pages = DashboardLoginTests()

    @Test("the rate limits page lists every limiter; an unscoped operator sets one from its form, with errors shown")
    func setsFromTheForm() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.client.configureRateLimiter(
                RateLimiterSettings(name: "meta_ad_render", ratePerSecond: 0.5, burst: 5))
            try await fixture.withRouter { api in
                let viewer = try await pages.page(api, "/rate-limiters", cookie: try await api.session("viewer"))
                #expect(viewer.status == .ok && viewer.text.contains("<code>meta_ad_render</code>"))
                #expect(viewer.text.contains("<td>1800</td>") && !viewer.text.contains("name=\"per_hour\""))
                let scoped = try await pages.page(
                    api, "/rate-limiters", cookie: try await api.session("scoped_operator"))
                #expect(scoped.status == .ok && !scoped.text.contains("name=\"per_hour\""))

                let cookie = try await api.session("operator")
                let list = try await pages.page(api, "/rate-limiters", cookie: cookie)
                #expect(list.text.contains("name=\"per_hour\"") && list.text.contains("Rate limits</a>"))
                let csrf = try #require(DashboardLoginTests.csrf(in: list.text))
                let path = "/rate-limiters/meta_ad_render"
                let words = try await pages.post(api, path, form: "csrf=\(csrf)&per_hour=fast&burst=2", cookie: cookie)
                #expect(words.status == .unprocessableContent && words.text.contains("must be a number"))
                let zero = try await pages.post(api, path, form: "csrf=\(csrf)&per_hour=900&burst=0", cookie: cookie)
                #expect(zero.status == .unprocessableContent && zero.text.contains("meta_ad_render: burst must be"))
                #expect(
                    try await pages.post(api, path, form: "csrf=bad&per_hour=900&burst=2", cookie: cookie).status
                        == .forbidden)
                let set = try await pages.post(api, path, form: "csrf=\(csrf)&per_hour=900&burst=2", cookie: cookie)
                #expect(set.status == .seeOther && set.headers[.location] == "/rate-limiters")
                let state = try #require(
                    try await fixture.client.rateLimiters().first { $0.settings.name == "meta_ad_render" })
                #expect(state.settings.ratePerSecond == 0.25 && state.settings.burst == 2)
                let unknown = try await pages.post(
                    api, "/rate-limiters/nope", form: "csrf=\(csrf)&per_hour=900&burst=2", cookie: cookie)
                #expect(unknown.status == .notFound)
            }
        }
    }
}
