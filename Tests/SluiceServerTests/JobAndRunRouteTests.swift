import Foundation
import HTTPTypes
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("Job and run routes")
struct JobAndRunRouteTests {
    static func scrape(_ brand: UUID, competitor: UUID, maxAds: Int64 = 500) -> JSONObject {
        [
            "brand_id": .string(brand.lower), "job_type": "competitor_scrape",
            "parameters": .object([
                "competitor_id": .string(competitor.lower), "max_ads": .int(maxAds),
                "ad_library_url": .string(ServerFixture.rivalURL),
            ]),
        ]
    }

    @Test(
        "bad input gets a JSON error with the right status and field, and writes nothing",
        arguments: TestBackend.allCases)
    func errors(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            let rival = try await fixture.rival(of: fixture.brandA)
            try await fixture.withRouter { api in
                let brand = fixture.brandA.id
                var badParameter = Self.scrape(brand, competitor: rival)
                badParameter["parameters"] = ["competitor_id": .string(rival.lower), "ad_library_url": "nope"]
                var unknownMember = Self.scrape(brand, competitor: rival)
                unknownMember["when"] = "now"
                var badTime = Self.scrape(brand, competitor: rival)
                badTime["run_at"] = "tomorrow"
                var badCron = Self.scrape(brand, competitor: rival)
                badCron["cron"] = "61 * * * *"
                var badZone = Self.scrape(brand, competitor: rival)
                badZone["cron"] = "0 6 * * *"
                badZone["timezone"] = "Mars/Olympus"
                var badMode = Self.scrape(brand, competitor: rival)
                badMode["mode"] = "later"
                var direct = Self.scrape(brand, competitor: rival)
                direct["mode"] = "direct"
                let cases: [(String?, JSONObject?, HTTPResponse.Status, String, String?)] = [
                    ("{not json", nil, .badRequest, "malformed_json", nil),
                    ("[1, 2]", nil, .badRequest, "malformed_json", nil),
                    (nil, unknownMember, .unprocessableContent, "invalid_argument", "when"),
                    (nil, ["job_type": "meta_sync"], .unprocessableContent, "invalid_argument", "brand_id"),
                    (
                        nil, ["brand_id": "x", "job_type": "meta_sync"], .unprocessableContent, "invalid_argument",
                        "brand_id"
                    ),
                    (
                        nil, ["brand_id": .string(UUID().lower), "job_type": "meta_sync"], .notFound, "not_found",
                        "brand_id"
                    ),
                    (
                        nil, ["brand_id": .string(brand.lower), "job_type": "nope"], .unprocessableContent,
                        "unknown_job_type", "job_type"
                    ),
                    (nil, badParameter, .unprocessableContent, "invalid_parameters", "parameters.ad_library_url"),
                    (nil, badTime, .unprocessableContent, "invalid_argument", "run_at"),
                    (nil, badCron, .unprocessableContent, "invalid_cron", "cron"),
                    (nil, badZone, .unprocessableContent, "unknown_time_zone", "timezone"),
                    (nil, badMode, .unprocessableContent, "invalid_argument", "mode"),
                    (nil, direct, .conflict, "conflict", "mode"),
                    (String(repeating: " ", count: 70_000), nil, .contentTooLarge, "body_too_large", nil),
                ]
                for (raw, json, status, code, field) in cases {
                    let response = try await api.call(.post, "/api/v1/jobs", json: json, raw: raw)
                    #expect(response.status == status, "\(json ?? [:]) → \(response.text)")
                    #expect(response.errorCode == code && response.errorField == field, "\(response.text)")
                    #expect(response.json["error"]?.objectValue?["message"]?.stringValue?.isEmpty == false)
                }
                #expect(try await fixture.client.jobs(JobQuery()).items.isEmpty)
                let routeMiss = try await api.call(.get, "/api/v1/nothing-here")
                #expect(routeMiss.status == .notFound && routeMiss.errorCode == "not_found")
                for path in ["/api/v1/jobs/abc", "/api/v1/jobs/999999", "/api/v1/runs/0", "/api/v1/brands/nope"] {
                    #expect(try await api.call(.get, path).status == .notFound, "\(path)")
                }
                for query in [
                    "limit=0", "limit=1001", "limit=x", "cursor=zz", "state=done", "parameter=x",
                    "brand_id=1", "state=", "state=queued,,running", "parameter=", "parameter=Name:x",
                ] {
                    let response = try await api.call(.get, "/api/v1/runs?\(query)")
                    #expect(response.status == .unprocessableContent && response.errorField != nil, "\(query)")
                }
            }
        }
    }

    @Test(
        "create, deduplicate, page, filter, pause, resume, run now, cancel and delete jobs",
        arguments: TestBackend.allCases)
    func jobs(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            let competitor = try await fixture.rival(of: fixture.brandA)
            let others = [
                try await fixture.rival(of: fixture.brandB), try await fixture.rival(of: fixture.brandB),
                try await fixture.rival(of: fixture.brandB),
            ]
            try await fixture.withRouter { api in
                let first = try await api.call(
                    .post, "/api/v1/jobs", json: Self.scrape(fixture.brandA.id, competitor: competitor))
                #expect(first.status == .created && first.json["deduplicated"] == .bool(false), "\(first.text)")
                let job = try #require(first.json["job"]?.objectValue)
                #expect(job["parameters"]?.objectValue?["competitor_id"] == .string(competitor.lower))
                #expect(job["schedule"]?.objectValue?["kind"] == .string("once"))
                let again = try await api.call(
                    .post, "/api/v1/jobs", json: Self.scrape(fixture.brandA.id, competitor: competitor))
                #expect(again.status == .ok && again.json["deduplicated"] == .bool(true))
                #expect(again.json["job"]?.objectValue?["id"] == job["id"])
                for other in others {
                    let created = try await api.call(
                        .post, "/api/v1/jobs", json: Self.scrape(fixture.brandB.id, competitor: other))
                    #expect(created.status == .created)
                }
                let recurring = try await api.call(
                    .post, "/api/v1/jobs",
                    json: [
                        "brand_id": .string(fixture.brandA.id.lower), "job_type": "meta_sync",
                        "parameters": ["ad_account_id": "act_9"], "cron": "0 6 * * *", "timezone": "Europe/Berlin",
                    ])
                #expect(recurring.status == .created, "\(recurring.text)")
                let recurringJob = try #require(recurring.json["job"]?.objectValue)
                #expect(recurringJob["schedule"]?.objectValue?["timezone"] == .string("Europe/Berlin"))
                #expect(recurringJob["next_fire_at"]?.stringValue != nil)
                let recurringID = try #require(recurringJob["id"]?.intValue)

                let page1 = try await api.call(.get, "/api/v1/jobs?limit=2")
                let cursor = try #require(page1.json["next_cursor"]?.stringValue)
                let page2 = try await api.call(.get, "/api/v1/jobs?limit=2&cursor=\(cursor)")
                let page3 = try await api.call(
                    .get, "/api/v1/jobs?limit=2&cursor=\(try #require(page2.json["next_cursor"]?.stringValue))")
                #expect(page1.items.count + page2.items.count + page3.items.count == 5)
                #expect(page3.json["next_cursor"] == .null)
                let ids = (page1.items + page2.items + page3.items).compactMap { $0["id"]?.intValue }
                #expect(ids == ids.sorted(by: >))
                #expect(try await api.call(.get, "/api/v1/jobs?brand_id=\(fixture.brandB.id.lower)").items.count == 3)
                #expect(try await api.call(.get, "/api/v1/jobs?job_type=meta_sync").items.count == 1)
                #expect(try await api.call(.get, "/api/v1/jobs?competitor_id=\(competitor.lower)").items.count == 1)
                #expect(try await api.call(.get, "/api/v1/jobs?parameter=max_ads:500").items.count == 4)
                // A colon followed by a combining emoji modifier is still the separator (it is one Character).
                #expect(try await api.call(.get, "/api/v1/jobs?parameter=fp:%F0%9F%8F%BB").items.isEmpty)

                let paused = try await api.call(.post, "/api/v1/jobs/\(recurringID)/pause")
                #expect(paused.json["status"] == .string("paused"))
                #expect(
                    try await api.call(.post, "/api/v1/jobs/\(recurringID)/resume").json["status"] == .string("active"))
                let now = try await api.call(.post, "/api/v1/jobs/\(recurringID)/run-now")
                #expect(now.status == .created && now.json["state"] == .string("queued"))
                #expect(
                    try await api.call(.post, "/api/v1/jobs/\(recurringID)/cancel").json["status"]
                        == .string("cancelled"))
                #expect(try await api.call(.delete, "/api/v1/jobs/\(recurringID)").status == .noContent)
                #expect(try await api.call(.get, "/api/v1/jobs/\(recurringID)").status == .notFound)
                #expect(
                    try await api.call(.get, "/api/v1/jobs/\(job["id"]!.intValue!)").json["job_type"]
                        == .string("competitor_scrape"))
            }
        }
    }

    @Test("runs: list by competitor with log summaries, get, logs after an id, cancel, retry; all audited")
    func runs() async throws {
        try await ServerFixture.with { fixture in
            let competitor = try await fixture.rival(of: fixture.brandA)
            let another = try await fixture.rival(of: fixture.brandA)
            try await fixture.withRouter { api in
                let created = try await api.call(
                    .post, "/api/v1/jobs", as: "operator", json: Self.scrape(fixture.brandA.id, competitor: competitor))
                let runID = try #require(created.json["run_id"]?.intValue)
                _ = try await api.call(.post, "/api/v1/jobs", json: Self.scrape(fixture.brandA.id, competitor: another))
                let claimed = try #require(
                    try await fixture.store.claimRun(id: runID, workerID: "w1", leaseDuration: .seconds(30)))
                let lease = try #require(claimed.lease)
                try await fixture.store.appendLogs(
                    lease,
                    [
                        NewLogLine(at: Date(), "fetched page 1 of ads"),
                        NewLogLine(at: Date(), level: .warning, "throttled; waiting"),
                        NewLogLine(at: Date(), "fetched page 2 of ads"),
                    ])
                let listed = try await api.call(
                    .get, "/api/v1/runs?competitor_id=\(competitor.lower)&limit=5&with_log_summary=true")
                #expect(listed.items.count == 1 && listed.items[0]["state"] == .string("running"))
                #expect(listed.items[0]["log_summary"] == .string("3 lines, 1 warning: fetched page 2 of ads"))
                #expect(try await api.call(.get, "/api/v1/runs?state=running").items.count == 1)
                #expect(try await api.call(.get, "/api/v1/runs?state=queued,running").items.count == 2)
                let logs = try await api.call(.get, "/api/v1/runs/\(runID)/logs?limit=2")
                #expect(
                    logs.items.map { $0["message"]?.stringValue } == ["fetched page 1 of ads", "throttled; waiting"])
                let after = try #require(logs.json["last_id"]?.intValue)
                let tail = try await api.call(.get, "/api/v1/runs/\(runID)/logs?after=\(after)")
                #expect(tail.items.map { $0["level"] } == [.string("info")] && tail.json["last_id"] != .int(after))
                let cancelled = try await api.call(.post, "/api/v1/runs/\(runID)/cancel", as: "operator")
                #expect(cancelled.json["cancel_requested"] == .bool(true))
                _ = try await fixture.store.finishCancelledRun(lease)
                let retryable = try await api.call(.post, "/api/v1/runs/\(runID)/retry", as: "operator")
                #expect(retryable.status == .ok && retryable.json["state"] == .string("queued"), "\(retryable.text)")
                let audit = try await api.call(.get, "/api/v1/audit")
                let actions = audit.items.map { "\($0["actor"]!.stringValue!) \($0["action"]!.stringValue!)" }
                #expect(
                    actions == [
                        "operator run.retry", "operator run.cancel", "admin job.enqueue", "operator job.enqueue",
                    ])
                #expect(audit.items[0]["target"] == .string("run/\(runID)"))
            }
        }
    }
}
