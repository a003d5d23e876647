import Foundation
import HTTPTypes
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTestSupport
import Testing

/// Input found by a hostile client: each must be a 4xx naming the field, never a 5xx or a silently changed value,
/// alike on both backends, and must write nothing.
@Suite("Hostile input")
struct HostileInputTests {
    @Test("a NUL character anywhere in input is 422 naming the field", arguments: TestBackend.allCases)
    func nul(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            let rival = try await fixture.rival(of: fixture.brandA)
            try await fixture.withRouter { api in
                var scrape = JobAndRunRouteTests.scrape(fixture.brandA.id, competitor: rival)
                scrape["parameters"] = .object([
                    "competitor_id": .string(rival.lower), "ad_library_url": .string(ServerFixture.rivalURL + "\u{0}"),
                ])
                let cases: [(HTTPRequest.Method, String, JSONObject?, String)] = [
                    (.post, "/api/v1/brands", ["name": "Evil\u{0}Brand"], "name"),
                    (
                        .post, "/api/v1/brands/\(fixture.brandA.id.lower)/competitors", ["name": "Rival\u{0}"],
                        "name"
                    ),
                    (.post, "/api/v1/tokens", ["name": "tok\u{0}en", "role": "viewer"], "name"),
                    (.post, "/api/v1/jobs", scrape, "parameters.ad_library_url"),
                    (.get, "/api/v1/runs?job_type=%00", nil, "job_type"),
                    (.get, "/api/v1/jobs?job_type=a%00b", nil, "job_type"),
                ]
                for (method, path, body, field) in cases {
                    let response = try await api.call(method, path, json: body)
                    #expect(response.status == .unprocessableContent, "\(path): \(response.text)")
                    #expect(response.errorField == field, "\(path): \(response.text)")
                }
                #expect(try await fixture.client.brands().count == 2)
                #expect(try await fixture.client.jobs(JobQuery()).items.isEmpty)
            }
        }
    }

    @Test("lengths count code points as the OpenAPI document's maxLength does, not grapheme clusters")
    func lengthInCodePoints() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                // 50 characters of 'e' plus five combining marks each: 300 code points, over the 200 allowed.
                let name = String(repeating: "e\u{0301}\u{0302}\u{0303}\u{0304}\u{0305}", count: 50)
                #expect(name.count == 50 && name.unicodeScalars.count == 300)
                let response = try await api.call(.post, "/api/v1/brands", json: ["name": .string(name)])
                #expect(response.status == .unprocessableContent && response.errorField == "name", "\(response.text)")
                // 301 code points (the limit is 300), most of them emoji modifiers that join the colon's Character.
                let longFilter = "fp:" + String(repeating: "\u{1F3FB}", count: 298)
                let encoded = try #require(longFilter.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                let filter = try await api.call(.get, "/api/v1/runs?parameter=\(encoded)")
                #expect(filter.status == .unprocessableContent && filter.errorField == "parameter", "\(filter.text)")
                #expect(try await fixture.client.brands().count == 2)
            }
        }
    }

    @Test(
        "invalid UTF-8 in a JSON body is 400, not repaired",
        arguments: [[0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80]])
    func invalidUTF8(_ sequence: [UInt8]) async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let body = Array(#"{"name": "Bad "#.utf8) + sequence + Array(#""}"#.utf8)
                let response = try await api.call(.post, "/api/v1/brands", bytes: body)
                #expect(response.status == .badRequest && response.errorCode == "malformed_json", "\(response.text)")
                #expect(try await fixture.client.brands().count == 2)
            }
        }
    }

    @Test("impossible times, cron steps and zones are refused; UTC is stored as UTC", arguments: TestBackend.allCases)
    func timesAndSchedules(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            try await fixture.withRouter { api in
                let brand = fixture.brandA.id.lower
                for runAt in ["2026-02-30T00:00:00Z", "10000-01-01T00:00:00Z", "2026-12-01T06:00:00+25:00"] {
                    let response = try await api.call(
                        .post, "/api/v1/jobs",
                        json: [
                            "brand_id": .string(brand), "job_type": "meta_sync",
                            "parameters": ["ad_account_id": "act_1"], "run_at": .string(runAt),
                        ])
                    #expect(response.status == .unprocessableContent && response.errorField == "run_at", "\(runAt)")
                }
                let overflow = try await api.call(
                    .post, "/api/v1/jobs",
                    json: [
                        "brand_id": .string(brand), "job_type": "meta_sync", "parameters": ["ad_account_id": "act_1"],
                        "cron": "*/99999999999999999999 * * * *",
                    ])
                #expect(overflow.status == .unprocessableContent && overflow.errorField == "cron", "\(overflow.text)")
                for zone in ["UTC+5", "GMT+14", "utc", ""] {
                    let response = try await api.call(
                        .post, "/api/v1/jobs",
                        json: [
                            "brand_id": .string(brand), "job_type": "meta_sync",
                            "parameters": ["ad_account_id": "act_1"], "cron": "0 6 * * *",
                            "timezone": .string(zone),
                        ])
                    #expect(
                        response.status == .unprocessableContent && response.errorField == "timezone",
                        "\(zone): \(response.text)")
                }
                #expect(try await fixture.client.jobs(JobQuery()).items.isEmpty)
                let utc = try await api.call(
                    .post, "/api/v1/jobs",
                    json: [
                        "brand_id": .string(brand), "job_type": "meta_sync", "parameters": ["ad_account_id": "act_1"],
                        "cron": "0 6 * * *",
                    ])
                #expect(utc.status == .created, "\(utc.text)")
                let schedule = utc.json["job"]?.objectValue?["schedule"]?.objectValue
                #expect(schedule?["timezone"] == .string("UTC"), "\(utc.text)")
            }
        }
    }

    @Test("a competitor's Ad Library URL is checked when the competitor is saved", arguments: TestBackend.allCases)
    func competitorURL(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            try await fixture.withRouter { api in
                let path = "/api/v1/brands/\(fixture.brandA.id.lower)/competitors"
                for url in [
                    "ftp://www.facebook.com/ads/library/", "http://169.254.169.254/latest/meta-data/",
                    "https://www.facebook.com/ads/library/?q=<script>alert(1)</script>",
                    "https://evil.example/ads/library",
                    "https://user:pw@www.facebook.com/ads/library/", "https://www.facebook.com/profile",
                ] {
                    let response = try await api.call(
                        .post, path, json: ["name": "Rival", "ad_library_url": .string(url)])
                    #expect(
                        response.status == .unprocessableContent && response.errorField == "ad_library_url",
                        "\(url): \(response.text)")
                }
                let good = try await api.call(
                    .post, path, json: ["name": "Rival", "ad_library_url": .string(ServerFixture.rivalURL)])
                #expect(good.status == .created, "\(good.text)")
            }
        }
    }
}
