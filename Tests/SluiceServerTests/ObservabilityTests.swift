import Foundation
import HTTPTypes
import SluiceCore
import SluiceServer
import SluiceStore
import Testing

@Suite("Metrics, request ids, methods and times")
struct ObservabilityTests {
    @Test("/metrics reports unfinished runs by job type and state, queue depth and dataset age per brand")
    func metrics() async throws {
        try await ServerFixture.with { fixture in
            let rival = try await fixture.rival(of: fixture.brandA)
            _ = try await fixture.client.enqueue(
                JobRequest(brandID: fixture.brandA.id, jobType: "meta_sync", parameters: ["ad_account_id": "act_1"]))
            _ = try await fixture.client.enqueue(
                JobRequest(
                    brandID: fixture.brandA.id, jobType: "competitor_scrape",
                    parameters: [
                        "competitor_id": .string(rival.lower), "ad_library_url": .string(ServerFixture.rivalURL),
                    ]))
            let running = try #require(
                try await fixture.store.claimRuns(
                    ClaimRequest(workerID: "w", jobTypes: ["meta_sync"], limit: 1)
                ).first)
            _ = try await fixture.store.completeRun(try #require(running.lease), RunCompletion(rowsWritten: 3))
            try await fixture.withRouter { api in
                let response = try await api.call(.get, "/metrics", as: "viewer")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                let lines = Set(response.text.split(separator: "\n").map(String.init))
                #expect(lines.contains(#"sluice_runs{job_type="competitor_scrape",state="queued"} 1.0"#))
                #expect(lines.contains(#"sluice_queue_depth{queue="default"} 1.0"#))
                #expect(
                    lines.contains {
                        $0.hasPrefix(
                            #"sluice_dataset_age_seconds{dataset="meta_ads_performance",brand_id="\#(fixture.brandA.id.lower)"}"#
                        )
                    })
                // A gauge whose runs all finished drops to zero instead of lingering at its last value.
                let queued = try await fixture.client.runs(RunQuery(states: [.queued])).items
                for run in queued { _ = try await fixture.client.cancelRun(id: run.id) }
                let after = try await api.call(.get, "/metrics", as: "viewer").text
                #expect(after.contains(#"sluice_runs{job_type="competitor_scrape",state="queued"} 0.0"#))
            }
        }
    }

    @Test("every response carries a request id; a known path with another method answers 405 with Allow")
    func requestIDsAndMethods() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let response = try await api.call(.patch, "/api/v1/jobs")
                #expect(response.status == .methodNotAllowed && response.errorCode == "method_not_allowed")
                #expect(response.headers[.allow] == "GET, POST")
                #expect(try await api.call(.put, "/api/v1/runs/7/logs").headers[.allow] == "GET")
                let requestID = HTTPField.Name("X-Request-Id")!
                #expect(response.headers[requestID]?.isEmpty == false)
                let ok = try await api.client.execute(uri: "/healthz", method: .get, headers: [requestID: "trace-42"]) {
                    $0.headers[requestID]
                }
                #expect(ok == "trace-42")
                let odd = try await api.client.execute(
                    uri: "/healthz", method: .get, headers: [requestID: "not ok; drop table"]
                ) { $0.headers[requestID] }
                #expect(odd != nil && odd != "not ok; drop table")
                #expect(try await api.call(.patch, "/api/v1/nowhere").status == .notFound)
            }
        }
    }

    @Test("times are RFC 3339 in UTC with milliseconds")
    func times() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let brand = try await api.call(.get, "/api/v1/brands/\(fixture.brandA.id.lower)")
                let created = try #require(brand.json["created_at"]?.stringValue)
                #expect(created.hasSuffix("Z") && created.count == 24, "\(created)")
                #expect(
                    ISO8601DateFormatter().date(
                        from: created.replacingOccurrences(of: #"\.\d{3}"#, with: "", options: .regularExpression))
                        != nil)
            }
        }
    }
}
