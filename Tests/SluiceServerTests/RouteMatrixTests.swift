import Foundation
import HTTPTypes
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceServer

/// Every route, called by every role: the least role it needs answers success, the role below it 403, and no
/// token 401. The table must name every registered route, so a new route cannot go untested.
@Suite("Every route and every role")
struct RouteMatrixTests {
    struct Entry: Sendable {
        let method: HTTPRequest.Method
        let path: String
        let role: AccessRole?
        let body: JSONObject?
        let success: HTTPResponse.Status
    }

    struct Objects: Sendable {
        let brand: String
        let spareBrand: String
        let competitor: String
        let spareCompetitor: String
        let job: Int64
        let run: Int64
        let token: String
    }

    static func entries(_ o: Objects) -> [(key: String, entries: [Entry])] {
        func entry(
            _ method: HTTPRequest.Method, _ path: String, _ role: AccessRole?, _ body: JSONObject? = nil,
            _ success: HTTPResponse.Status = .ok
        ) -> Entry { Entry(method: method, path: path, role: role, body: body, success: success) }
        let job = "/api/v1/jobs/\(o.job)"
        let run = "/api/v1/runs/\(o.run)"
        return [
            ("get /healthz", [entry(.get, "/healthz", nil)]),
            ("get /readyz", [entry(.get, "/readyz", nil)]),
            ("get /api/v1/openapi.json", [entry(.get, "/api/v1/openapi.json", nil)]),
            ("get /metrics", [entry(.get, "/metrics", .viewer)]),
            ("get /api/v1/job-types", [entry(.get, "/api/v1/job-types", .viewer)]),
            ("get /api/v1/job-types/{name}", [entry(.get, "/api/v1/job-types/meta_sync", .viewer)]),
            ("get /api/v1/datasets", [entry(.get, "/api/v1/datasets", .viewer)]),
            ("get /api/v1/freshness", [entry(.get, "/api/v1/freshness?brand_id=\(o.brand)", .viewer)]),
            (
                "get /api/v1/brands/{brand_id}/datasets/{dataset}/history",
                [entry(.get, "/api/v1/brands/\(o.brand)/datasets/competitor_ads/history", .viewer)]
            ),
            ("get /api/v1/jobs", [entry(.get, "/api/v1/jobs?limit=5", .viewer)]),
            (
                "post /api/v1/jobs",
                [
                    entry(
                        .post, "/api/v1/jobs", .operator,
                        [
                            "brand_id": .string(o.brand), "job_type": "meta_sync",
                            "parameters": ["ad_account_id": "act_matrix"],
                        ], .created)
                ]
            ),
            ("get /api/v1/jobs/{id}", [entry(.get, job, .viewer)]),
            ("post /api/v1/jobs/{id}/pause", [entry(.post, job + "/pause", .operator)]),
            ("post /api/v1/jobs/{id}/resume", [entry(.post, job + "/resume", .operator)]),
            ("post /api/v1/jobs/{id}/run-now", [entry(.post, job + "/run-now", .operator, nil, .created)]),
            ("get /api/v1/runs", [entry(.get, "/api/v1/runs?with_log_summary=true&limit=5", .viewer)]),
            ("get /api/v1/runs/{id}", [entry(.get, run, .viewer)]),
            ("get /api/v1/runs/{id}/logs", [entry(.get, run + "/logs?after=0", .viewer)]),
            ("post /api/v1/runs/{id}/cancel", [entry(.post, run + "/cancel", .operator)]),
            ("post /api/v1/runs/{id}/retry", [entry(.post, run + "/retry", .operator)]),
            ("post /api/v1/jobs/{id}/cancel", [entry(.post, job + "/cancel", .operator)]),
            ("delete /api/v1/jobs/{id}", [entry(.delete, job, .operator, nil, .noContent)]),
            ("get /api/v1/events", []),  // an endless stream: covered by the live tests
            ("get /api/v1/brands", [entry(.get, "/api/v1/brands", .viewer)]),
            ("post /api/v1/brands", [entry(.post, "/api/v1/brands", .operator, ["name": "Matrix"], .created)]),
            ("get /api/v1/brands/{brand_id}", [entry(.get, "/api/v1/brands/\(o.brand)", .viewer)]),
            (
                "get /api/v1/brands/{brand_id}/competitors",
                [entry(.get, "/api/v1/brands/\(o.brand)/competitors", .viewer)]
            ),
            (
                "post /api/v1/brands/{brand_id}/competitors",
                [entry(.post, "/api/v1/brands/\(o.brand)/competitors", .operator, ["name": "Matrix rival"], .created)]
            ),
            ("get /api/v1/competitors/{competitor_id}", [entry(.get, "/api/v1/competitors/\(o.competitor)", .viewer)]),
            (
                "get /api/v1/competitors/{competitor_id}/ads",
                [entry(.get, "/api/v1/competitors/\(o.competitor)/ads?limit=3", .viewer)]
            ),
            (
                "delete /api/v1/competitors/{competitor_id}",
                [entry(.delete, "/api/v1/competitors/\(o.spareCompetitor)", .operator, nil, .noContent)]
            ),
            (
                "delete /api/v1/brands/{brand_id}",
                [entry(.delete, "/api/v1/brands/\(o.spareBrand)", .operator, nil, .noContent)]
            ),
            ("get /api/v1/rate-limiters", [entry(.get, "/api/v1/rate-limiters", .viewer)]),
            (
                "post /api/v1/rate-limiters/{name}",
                [entry(.post, "/api/v1/rate-limiters/meta_ad_render", .operator, ["rate_per_second": 1, "burst": 3])]
            ),
            ("get /api/v1/workers", [entry(.get, "/api/v1/workers", .viewer)]),
            ("get /api/v1/tokens", [entry(.get, "/api/v1/tokens", .admin)]),
            (
                "post /api/v1/tokens",
                [entry(.post, "/api/v1/tokens", .admin, ["name": "ci", "role": "viewer"], .created)]
            ),
            ("delete /api/v1/tokens/{token_id}", [entry(.delete, "/api/v1/tokens/\(o.token)", .admin)]),
            ("get /api/v1/audit", [entry(.get, "/api/v1/audit", .admin)]),
        ]
    }

    @Test("each route answers its least role, refuses the role below (403) and no token (401)")
    func everyRouteEveryRole() async throws {
        try await ServerFixture.with { fixture in
            let client = fixture.client
            let rival = try await fixture.rival(of: fixture.brandA)
            let spareBrand = try await client.createBrand(name: "Spare")
            let spare = try await fixture.rival(of: fixture.brandA)
            let inserted = try await client.enqueue(
                JobRequest(
                    brandID: fixture.brandA.id, jobType: "meta_sync", parameters: ["ad_account_id": "act_7"],
                    schedule: .cron("0 6 * * *", timeZone: "Europe/Berlin")))
            let queued = try await client.runJobNow(id: inserted.job.id)
            let token = try await client.createToken(
                NewAPIToken(name: "to revoke", role: .viewer, secretHash: AccessTokens.generate().hash))
            try await client.configureRateLimiter(
                RateLimiterSettings(name: "meta_ad_render", ratePerSecond: 0.5, burst: 5))
            let objects = Objects(
                brand: fixture.brandA.id.lower, spareBrand: spareBrand.id.lower, competitor: rival.lower,
                spareCompetitor: spare.lower, job: inserted.job.id, run: queued.id, token: token.id.lower)
            let table = Self.entries(objects)
            let registered = Set(fixture.api.router().routes.map(\.description))
            #expect(Set(table.map(\.key)) == registered, "the table names exactly the registered routes")
            try await fixture.withRouter { api in
                for (key, entries) in table {
                    for entry in entries {
                        if let role = entry.role {
                            #expect(
                                try await api.call(entry.method, entry.path, as: nil).status == .unauthorized, "\(key)")
                            if let below = AccessRole.allCases.last(where: { $0 < role }) {
                                let refused = try await api.call(
                                    entry.method, entry.path, as: below.rawValue, json: entry.body)
                                #expect(refused.status == .forbidden, "\(key) as \(below): \(refused.text)")
                            }
                        }
                        let answered = try await api.call(
                            entry.method, entry.path, as: entry.role?.rawValue, json: entry.body)
                        #expect(answered.status == entry.success, "\(key): \(answered.text)")
                    }
                }
            }
        }
    }
}
