import Foundation
import HTTPTypes
import SluiceAdIntelModel
import SluiceCore
import SluiceServer
import SluiceStore
import Testing

@Suite("Tokens, roles and brand scope")
struct AccessControlTests {
    @Test("only /healthz, /readyz and the document are open; a missing, malformed, unknown or revoked token is 401")
    func authentication() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                #expect(try await api.call(.get, "/healthz", as: nil).status == .ok)
                #expect(try await api.call(.get, "/readyz", as: nil).json["status"] == .string("ready"))
                for path in ["/api/v1/jobs", "/api/v1/brands", "/metrics", "/api/v1/events"] {
                    let response = try await api.call(.get, path, as: nil)
                    #expect(response.status == .unauthorized && response.errorCode == "unauthorized", "\(path)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer realm=\"sluice\"")
                }
                #expect(try await api.call(.get, "/api/v1/openapi.json", as: nil).status == .ok)
                #expect(try await api.call(.get, "/api/v1/jobs", secret: "sluice_nope").status == .unauthorized)
                let long = try await api.call(.get, "/api/v1/jobs", secret: String(repeating: "x", count: 201))
                #expect(long.status == .unauthorized && long.errorCode == "unauthorized")
                let basic = try await api.client.execute(
                    uri: "/api/v1/jobs", method: .get, headers: [.authorization: "Basic YWRtaW46YWRtaW4="]
                ) { $0.status }
                #expect(basic == .unauthorized)
                let revoked = try await fixture.client.tokens().first { $0.name == "viewer" }!
                _ = try await fixture.client.revokeToken(id: revoked.id)
                #expect(try await api.call(.get, "/api/v1/jobs", as: "viewer").status == .unauthorized)
                #expect(try await api.call(.get, "/api/v1/jobs", as: "operator").status == .ok)
            }
        }
    }

    @Test("a viewer reads but changes nothing; an operator steers work but not tokens; an admin does everything")
    func roles() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let job: JSONObject = [
                    "brand_id": .string(fixture.brandA.id.lower), "job_type": .string("meta_sync"),
                    "parameters": ["ad_account_id": "act_1"],
                ]
                #expect(try await api.call(.post, "/api/v1/jobs", as: "viewer", json: job).status == .forbidden)
                let created = try await api.call(.post, "/api/v1/jobs", as: "operator", json: job)
                #expect(created.status == .created, "\(created.text)")
                let jobID = try #require(created.json["job"]?.objectValue?["id"]?.intValue)
                let runID = try #require(created.json["run_id"]?.intValue)
                for (method, path) in [
                    (HTTPRequest.Method.post, "/api/v1/jobs/\(jobID)/pause"), (.post, "/api/v1/runs/\(runID)/cancel"),
                    (.post, "/api/v1/runs/\(runID)/retry"), (.delete, "/api/v1/jobs/\(jobID)"),
                ] {
                    let response = try await api.call(method, path, as: "viewer")
                    #expect(response.status == .forbidden && response.errorCode == "forbidden", "\(path)")
                }
                #expect(try await api.call(.get, "/api/v1/runs/\(runID)", as: "viewer").status == .ok)
                #expect(try await api.call(.post, "/api/v1/runs/\(runID)/cancel", as: "operator").status == .ok)
                #expect(
                    try await api.call(.post, "/api/v1/brands", as: "viewer", json: ["name": "X"]).status == .forbidden)
                #expect(
                    try await api.call(.post, "/api/v1/brands", as: "operator", json: ["name": "X"]).status == .created)
                let refusals = try await api.call(.get, "/api/v1/audit?limit=100").items.filter {
                    $0["actor"] == "viewer" && $0["outcome"] == "forbidden"
                }
                #expect(
                    refusals.map { $0["action"]?.stringValue } == [
                        "brand.create", "job.delete", "run.retry", "run.cancel", "job.pause", "job.create",
                    ])
                let pause = refusals.first { $0["action"] == "job.pause" }
                #expect(pause?["target"] == .string("/api/v1/jobs/\(jobID)/pause"))
                for path in ["/api/v1/tokens", "/api/v1/audit"] {
                    #expect(try await api.call(.get, path, as: "operator").status == .forbidden)
                    #expect(try await api.call(.get, path, as: "admin").status == .ok)
                }
                let token = try await api.call(
                    .post, "/api/v1/tokens", as: "operator", json: ["name": "ci", "role": "viewer"])
                #expect(token.status == .forbidden)
            }
        }
    }

    @Test("a brand-scoped token sees and touches only its brand; other brands' objects answer 404")
    func brandScope() async throws {
        try await ServerFixture.with { fixture in
            let (brandA, brandB) = (fixture.brandA.id, fixture.brandB.id)
            let own = try await fixture.client.enqueue(
                JobRequest(brandID: brandA, jobType: "meta_sync", parameters: ["ad_account_id": "act_1"]))
            let other = try await fixture.client.enqueue(
                JobRequest(brandID: brandB, jobType: "meta_sync", parameters: ["ad_account_id": "act_2"]))
            let rival = try await fixture.adIntel.createCompetitor(CompetitorRequest(brandID: brandB, name: "Rival"))
            try await fixture.withRouter { api in
                let brands = try await api.call(.get, "/api/v1/brands", as: "scoped_viewer")
                #expect(brands.items.map { $0["id"] } == [.string(brandA.lower)])
                let runs = try await api.call(.get, "/api/v1/runs", as: "scoped_viewer")
                #expect(runs.items.map { $0["id"]?.intValue } == [own.run?.id])
                #expect(try await api.call(.get, "/api/v1/jobs", as: "viewer").items.count == 2)
                for path in [
                    "/api/v1/brands/\(brandB.lower)", "/api/v1/jobs/\(other.job.id)", "/api/v1/runs/\(other.run!.id)",
                    "/api/v1/runs/\(other.run!.id)/logs", "/api/v1/competitors/\(rival.id.lower)",
                    "/api/v1/runs?brand_id=\(brandB.lower)", "/api/v1/freshness?brand_id=\(brandB.lower)",
                    "/api/v1/brands/\(brandB.lower)/competitors",
                ] {
                    let response = try await api.call(.get, path, as: "scoped_viewer")
                    #expect(response.status == .notFound && response.errorCode == "not_found", "\(path)")
                }
                #expect(
                    try await api.call(.post, "/api/v1/runs/\(other.run!.id)/cancel", as: "scoped_operator")
                        .status == .notFound)
                let foreignJob: JSONObject = [
                    "brand_id": .string(brandB.lower), "job_type": "meta_sync", "parameters": ["ad_account_id": "a"],
                ]
                #expect(
                    try await api.call(.post, "/api/v1/jobs", as: "scoped_operator", json: foreignJob).status
                        == .notFound)
                #expect(
                    try await api.call(.post, "/api/v1/runs/\(own.run!.id)/cancel", as: "scoped_operator").status == .ok
                )
                #expect(
                    try await api.call(.post, "/api/v1/brands", as: "scoped_operator", json: ["name": "X"]).status
                        == .forbidden)
                #expect(try await api.call(.get, "/api/v1/workers", as: "scoped_viewer").status == .forbidden)
                #expect(try await api.call(.get, "/metrics", as: "scoped_viewer").status == .forbidden)
                let deleteOwn = try await api.call(.delete, "/api/v1/brands/\(brandA.lower)", as: "scoped_operator")
                #expect(deleteOwn.status == .forbidden)
                #expect(try await fixture.client.run(id: other.run!.id).state == .queued)
            }
        }
    }

    @Test("a token is shown once, stored as a hash, works at once, and stops working when revoked; all audited")
    func tokenLifecycleIsAudited() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let created = try await api.call(
                    .post, "/api/v1/tokens",
                    json: [
                        "name": "brand A dashboards", "role": "viewer", "brand_id": .string(fixture.brandA.id.lower),
                    ])
                #expect(created.status == .created, "\(created.text)")
                let secret = try #require(created.json["secret"]?.stringValue)
                #expect(secret.hasPrefix("sluice_") && secret.count > 40)
                // The store knows the token by the secret's hash; nothing it returns carries the secret.
                let byHash = try await fixture.client.authenticate(secretHash: AccessTokens.hash(secret))
                #expect(byHash?.name == "brand A dashboards")
                let id = try #require(created.json["id"]?.stringValue)
                let listed = try await api.call(.get, "/api/v1/tokens")
                #expect(listed.items.count == 6 && !listed.text.contains(secret) && !listed.text.contains("secret"))
                #expect(try await api.call(.get, "/api/v1/brands", secret: secret).items.count == 1)
                #expect(try await api.call(.delete, "/api/v1/tokens/\(id)").json["revoked_at"]?.stringValue != nil)
                #expect(try await api.call(.get, "/api/v1/brands", secret: secret).status == .unauthorized)
                let scopedAdmin = try await api.call(
                    .post, "/api/v1/tokens",
                    json: ["name": "x", "role": "admin", "brand_id": .string(fixture.brandA.id.lower)])
                #expect(scopedAdmin.status == .unprocessableContent && scopedAdmin.errorField == "brand_id")
                let audit = try await api.call(.get, "/api/v1/audit?limit=10")
                let actions = audit.items.map { "\($0["action"]!.stringValue!) \($0["outcome"]!.stringValue!)" }
                #expect(actions == ["token.create invalid_argument", "token.revoke ok", "token.create ok"])
                #expect(audit.items.allSatisfy { $0["actor"] == .string("admin") })
            }
        }
    }
}
