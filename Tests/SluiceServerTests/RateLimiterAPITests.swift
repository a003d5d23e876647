import Foundation
import SluiceCore
import SluiceStore
import Testing

@Suite("Rate limiters through the API")
struct RateLimiterAPITests {
    @Test(
        "an unscoped operator sets a limiter's rate and burst, audited; bad values, unknown limiters and scoped tokens are refused"
    )
    func setsRateAndBurst() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.client.configureRateLimiter(
                RateLimiterSettings(name: "meta_ad_render", ratePerSecond: 0.5, burst: 5))
            try await fixture.withRouter { api in
                let path = "/api/v1/rate-limiters/meta_ad_render"
                let set = try await api.call(.post, path, as: "operator", json: ["rate_per_second": 0.25, "burst": 2])
                #expect(set.status == .ok, "\(set.text)")
                #expect(set.json["rate_per_second"] == .double(0.25) && set.json["burst"] == .int(2))
                // A lower burst caps the tokens already in the bucket.
                #expect((set.json["tokens"].flatMap { if case .double(let t) = $0 { t } else { nil } } ?? 9) <= 2)
                let listed = try await api.call(.get, "/api/v1/rate-limiters", as: "viewer").items
                #expect(listed.first { $0["name"] == "meta_ad_render" }?["burst"] == .int(2))

                for (body, field) in [
                    (["rate_per_second": 0, "burst": 2] as JSONObject, "rate_per_second"),
                    (["rate_per_second": 1, "burst": 0], "burst"),
                    (["rate_per_second": "fast", "burst": 2], "rate_per_second"),
                    (["rate_per_second": 1], "burst"),
                    (["rate_per_second": 1e9, "burst": 2], "rate_per_second"),
                ] {
                    let refused = try await api.call(.post, path, as: "operator", json: body)
                    #expect(refused.status == .unprocessableContent, "\(body): \(refused.text)")
                    #expect(refused.text.contains(field), "\(body): \(refused.text)")
                }
                let unknown = try await api.call(
                    .post, "/api/v1/rate-limiters/no_such_limiter", as: "operator",
                    json: ["rate_per_second": 1, "burst": 1])
                #expect(unknown.status == .notFound, "\(unknown.text)")
                let scoped = try await api.call(
                    .post, path, as: "scoped_operator", json: ["rate_per_second": 1, "burst": 1])
                #expect(scoped.status == .forbidden)
                let state = try #require(
                    try await fixture.client.rateLimiters().first { $0.settings.name == "meta_ad_render" })
                #expect(state.settings.ratePerSecond == 0.25 && state.settings.burst == 2, "refusals change nothing")
                let audit = try await api.call(.get, "/api/v1/audit?limit=100").items
                #expect(
                    audit.contains {
                        $0["action"] == "rate_limiter.update" && $0["target"] == "rate_limiter/meta_ad_render"
                            && $0["outcome"] == "ok"
                    }, "\(audit)")
            }
        }
    }
}
