import Foundation
import HTTPTypes
import NIOCore
import SluiceCore
import SluiceServer
import SluiceStore
import Testing

@Suite("Dashboard: login, session and the Pipeline Manager page")
struct DashboardLoginTests {
    static func cookieValue(_ response: APIResponse) -> String? {
        guard let header = response.headers[.setCookie], header.hasPrefix("sluice_session=") else { return nil }
        return String(header.dropFirst("sluice_session=".count).prefix { $0 != ";" })
    }

    func page(_ api: APICaller, _ path: String, cookie: String?) async throws -> APIResponse {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = "sluice_session=\(cookie)" }
        return try await api.client.execute(uri: path, method: .get, headers: headers) { response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    func post(_ api: APICaller, _ path: String, form: String, cookie: String? = nil) async throws -> APIResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = "sluice_session=\(cookie)" }
        return try await api.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: form))
        {
            response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    @Test("log in with a token, see the Pipeline Manager, log out with the form's CSRF token")
    func loginFlow() async throws {
        try await ServerFixture.with { fixture in
            _ = try await fixture.client.createBrand(name: "<script>alert(1)</script>")
            try await fixture.withRouter { api in
                #expect(try await page(api, "/", cookie: nil).headers[.location] == "/login")
                let form = try await page(api, "/login", cookie: nil)
                #expect(form.status == .ok && form.text.contains("name=\"token\""))
                let refused = try await post(api, "/login", form: "token=sluice_wrong")
                #expect(refused.status == .unauthorized && refused.text.contains("unknown or revoked"))
                #expect(Self.cookieValue(refused) == nil)
                let secret = try #require(fixture.tokens["viewer"])
                let accepted = try await post(
                    api, "/login", form: "token=\(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
                )
                #expect(accepted.status == .seeOther && accepted.headers[.location] == "/")
                let cookie = try #require(Self.cookieValue(accepted))
                #expect(accepted.headers[.setCookie]?.contains("HttpOnly; SameSite=Strict") == true)
                let manager = try await page(api, "/", cookie: cookie)
                #expect(manager.status == .ok && manager.text.contains("Pipeline Manager"))
                #expect(manager.text.contains("Competitor Scrape") && manager.text.contains("competitor_ads"))
                #expect(manager.text.contains("&lt;script&gt;") && !manager.text.contains("<script>alert"))
                #expect(manager.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(try await post(api, "/logout", form: "csrf=nope", cookie: cookie).status == .forbidden)
                let csrf = try #require(
                    manager.text.range(of: #"name="csrf" value="([0-9a-f]{32})""#, options: .regularExpression).map {
                        String(manager.text[$0].dropFirst(#"name="csrf" value=""#.count).dropLast())
                    })
                let out = try await post(api, "/logout", form: "csrf=\(csrf)", cookie: cookie)
                #expect(out.status == .seeOther && out.headers[.setCookie]?.contains("Max-Age=0") == true)
            }
        }
    }

    @Test("a revoked token ends its dashboard session at once")
    func revokedTokenEndsSession() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let secret = try #require(fixture.tokens["operator"])
                #expect(try await page(api, "/", cookie: secret).status == .ok)
                let token = try #require(try await fixture.client.tokens().first { $0.name == "operator" })
                _ = try await fixture.client.revokeToken(id: token.id)
                #expect(try await page(api, "/", cookie: secret).headers[.location] == "/login")
            }
        }
    }

    @Test("the run detail page shows a running run and its log; an operator cancels it with the page's form")
    func runDetailCancel() async throws {
        try await ServerFixture.with { fixture in
            let inserted = try await fixture.client.enqueue(
                JobRequest(brandID: fixture.brandA.id, jobType: "meta_sync", parameters: ["ad_account_id": "act_1"]))
            let run = try #require(
                try await fixture.store.claimRun(id: inserted.run!.id, workerID: "w1", leaseDuration: .seconds(30)))
            try await fixture.store.appendLogs(
                try #require(run.lease), [NewLogLine(at: Date(), "pulled <b>7</b> days")])
            try await fixture.withRouter { api in
                let viewer = try await page(api, "/runs/\(run.id)", cookie: fixture.tokens["viewer"])
                #expect(viewer.status == .ok && viewer.text.contains("state-running"))
                #expect(viewer.text.contains("pulled &lt;b&gt;7&lt;/b&gt; days"))
                #expect(!viewer.text.contains("Cancel run"))
                let scoped = try await page(api, "/runs/\(run.id)", cookie: fixture.tokens["scoped_viewer"])
                #expect(scoped.status == .ok)
                let operatorPage = try await page(api, "/runs/\(run.id)", cookie: fixture.tokens["operator"])
                #expect(operatorPage.text.contains("Cancel run"))
                let csrf = try #require(Self.csrf(in: operatorPage.text))
                let cookie = fixture.tokens["operator"]
                #expect(
                    try await post(api, "/runs/\(run.id)/cancel", form: "csrf=bad", cookie: cookie).status == .forbidden
                )
                let cancelled = try await post(api, "/runs/\(run.id)/cancel", form: "csrf=\(csrf)", cookie: cookie)
                #expect(cancelled.status == .seeOther && cancelled.headers[.location] == "/runs/\(run.id)")
                #expect(try await fixture.client.run(id: run.id).cancelRequested)
                let after = try await page(api, "/runs/\(run.id)", cookie: cookie)
                #expect(after.text.contains("Cancellation requested") && !after.text.contains("Cancel run"))
                let audit = try await fixture.client.auditLog(AuditQuery(limit: 5)).items.map(\.entry)
                #expect(audit.first?.action == "run.cancel" && audit.first?.actor == "operator")
                #expect(audit.map(\.outcome).prefix(2) == ["ok", "forbidden"])
            }
        }
    }

    static func csrf(in html: String) -> String? {
        html.range(of: #"name="csrf" value="([0-9a-f]{32})""#, options: .regularExpression).map {
            String(html[$0].dropFirst(#"name="csrf" value=""#.count).dropLast())
        }
    }
}
