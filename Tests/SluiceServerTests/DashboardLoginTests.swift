import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import SluiceAdIntelModel
import SluiceCore
import SluiceServer
import SluiceStore
import Testing

@Suite("Dashboard: login, session and the Pipeline Manager page")
struct DashboardLoginTests {
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

    @Test("log in with a token, see the Pipeline Manager, log out with the form's CSRF token; the cookie then fails")
    func loginFlow() async throws {
        try await ServerFixture.with { fixture in
            _ = try await fixture.client.createBrand(name: "<script>alert(1)</script>")
            try await fixture.withRouter { api in
                #expect(try await page(api, "/", cookie: nil).headers[.location] == "/login")
                let (form, field, loginCookie) = try await api.loginPage()
                #expect(form.status == .ok && form.text.contains("name=\"token\""))
                let login = form.headers[values: .setCookie].first { $0.hasPrefix("sluice_login=") }
                #expect(login?.contains("Path=/login; Max-Age=1800; HttpOnly; SameSite=Strict") == true)
                #expect(field != nil && field == loginCookie && field?.count == 43)
                let refused = try await api.submitLogin(secret: "sluice_wrong", field: field, cookie: loginCookie)
                #expect(refused.status == .unauthorized && refused.text.contains("unknown or revoked"))
                #expect(APICaller.cookie("sluice_session", in: refused) == nil)
                let secret = try #require(fixture.tokens["viewer"])
                let accepted = try await api.submitLogin(secret: secret, field: field, cookie: loginCookie)
                #expect(accepted.status == .seeOther && accepted.headers[.location] == "/")
                let cookie = try #require(APICaller.cookie("sluice_session", in: accepted))
                #expect(cookie != secret && cookie.count == 43 && !cookie.hasPrefix(AccessTokens.prefix))
                let set = accepted.headers[values: .setCookie]
                #expect(set.contains { $0.hasPrefix("sluice_session=") && $0.contains("HttpOnly; SameSite=Strict") })
                #expect(set.contains { $0.hasPrefix("sluice_login=;") && $0.contains("Max-Age=0") })
                let manager = try await page(api, "/", cookie: cookie)
                #expect(manager.status == .ok && manager.text.contains("Pipeline Manager"))
                #expect(manager.text.contains("Competitor Scrape") && manager.text.contains("competitor_ads"))
                #expect(manager.text.contains("&lt;script&gt;") && !manager.text.contains("<script>alert"))
                #expect(manager.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(try await page(api, "/login", cookie: cookie).headers[.location] == "/")
                #expect(try await post(api, "/logout", form: "csrf=nope", cookie: cookie).status == .forbidden)
                let csrf = try #require(Self.csrf(in: manager.text))
                let out = try await post(api, "/logout", form: "csrf=\(csrf)", cookie: cookie)
                #expect(out.status == .seeOther && out.headers[.setCookie]?.contains("Max-Age=0") == true)
                // The session is gone on the server: replaying the old cookie is sent to the login page.
                #expect(try await page(api, "/", cookie: cookie).headers[.location] == "/login")
                #expect(try await page(api, "/login", cookie: cookie).status == .ok)
                #expect(try await post(api, "/logout", form: "csrf=\(csrf)", cookie: cookie).status == .seeOther)
            }
        }
    }

    @Test("the session cookie is no API bearer token, and a token secret is no session cookie")
    func sessionIsNotBearer() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("admin")
                let asBearer = try await api.call(.get, "/api/v1/runs", as: nil, secret: cookie)
                #expect(asBearer.status == .unauthorized)
                #expect(try await api.call(.get, "/api/v1/runs", as: "admin").status == .ok)
                let secret = try #require(fixture.tokens["admin"])
                #expect(try await page(api, "/", cookie: secret).headers[.location] == "/login")
            }
        }
    }

    @Test("revoking a token ends every dashboard session of it at once, and no other")
    func revokedTokenEndsSession() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let first = try await api.session("operator")
                let second = try await api.session("operator")
                let other = try await api.session("viewer")
                #expect(first != second)
                #expect(try await page(api, "/", cookie: first).status == .ok)
                let token = try #require(try await fixture.client.tokens().first { $0.name == "operator" })
                _ = try await fixture.client.revokeToken(id: token.id)
                #expect(try await page(api, "/", cookie: first).headers[.location] == "/login")
                #expect(try await page(api, "/", cookie: second).headers[.location] == "/login")
                #expect(try await page(api, "/", cookie: other).status == .ok)
            }
        }
    }

    @Test("an expired session is refused")
    func expiredSession() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let token = try #require(try await fixture.client.tokens().first { $0.name == "operator" })
                let now = Date()
                let (expired, live) = (String(repeating: "e", count: 43), String(repeating: "l", count: 43))
                for (id, end) in [(expired, now.addingTimeInterval(-60)), (live, now.addingTimeInterval(600))] {
                    _ = try await fixture.store.createSession(
                        NewDashboardSession(
                            idHash: AccessTokens.hash(id), tokenID: token.id, createdAt: now.addingTimeInterval(-3600),
                            expiresAt: end))
                }
                #expect(try await page(api, "/", cookie: expired).headers[.location] == "/login")
                #expect(try await page(api, "/", cookie: live).status == .ok)
            }
        }
    }

    @Test("a login without the form's pre-session CSRF token and cookie, or from another origin, is refused")
    func loginCSRF() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let secret = try #require(fixture.tokens["admin"])
                let (_, field, cookie) = try await api.loginPage()
                let other = try #require(try await api.loginPage().field)
                let attempts: [(String?, String?, HTTPFields)] = [
                    (nil, nil, [:]), (field, nil, [:]), (nil, cookie, [:]), (other, cookie, [:]),
                    (String(repeating: "a", count: 43), String(repeating: "a", count: 43) + "b", [:]),
                    (field, cookie, [.origin: "https://evil.example"]), (field, cookie, [.origin: "null"]),
                    (field, cookie, [.origin: "http://sluice.example:8081", .init("Host")!: "sluice.example:8080"]),
                ]
                for (field, cookie, extra) in attempts {
                    let refused = try await api.submitLogin(secret: secret, field: field, cookie: cookie, extra: extra)
                    #expect(refused.status == .forbidden, "\(String(describing: field)) \(extra)")
                    #expect(APICaller.cookie("sluice_session", in: refused) == nil)
                    #expect(APICaller.cookie("sluice_login", in: refused) != nil)
                    #expect(APICaller.loginField(in: refused.text) != nil)
                }
                let ownOrigin: HTTPFields = [
                    .origin: "http://Sluice.example:8080", .init("Host")!: "sluice.example:8080",
                ]
                let accepted = try await api.submitLogin(secret: secret, field: field, cookie: cookie, extra: ownOrigin)
                #expect(accepted.status == .seeOther && APICaller.cookie("sluice_session", in: accepted) != nil)
            }
        }
    }

    @Test("on a real socket, a login posted from the server's own origin is accepted and another origin's refused")
    func loginOriginOnSocket() async throws {
        // Redirects are not followed: the answer to the login itself is what counts.
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            try await ServerFixture.with { fixture in
                try await LiveServer.run(fixture) { server in
                    let secret = try #require(fixture.tokens["viewer"])
                    for (origin, status) in [(server.base, 303), ("http://localhost:1", 403)] {
                        let code = try await Self.logIn(http, base: server.base, secret: secret, origin: origin)
                        #expect(code == status, "\(origin)")
                    }
                }
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    /// Opens the login page at `base` and posts its form with `secret` and an `Origin` header, as a browser does;
    /// returns the post's status code.
    static func logIn(_ http: HTTPClient, base: String, secret: String, origin: String) async throws -> Int {
        let form = try await http.execute(HTTPClientRequest(url: base + "/login"), timeout: .seconds(30))
        let html = String(buffer: try await form.body.collect(upTo: 1 << 20))
        let cookie = try #require(form.headers["Set-Cookie"].first { $0.hasPrefix("sluice_login=") })
        var login = HTTPClientRequest(url: base + "/login")
        login.method = .POST
        login.headers.add(name: "Origin", value: origin)
        login.headers.add(name: "Cookie", value: String(cookie.prefix { $0 != ";" }))
        login.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let body =
            "login_csrf=\(try #require(APICaller.loginField(in: html)))&token="
            + (secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        login.body = .bytes(ByteBuffer(string: body))
        let response = try await http.execute(login, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
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
                let viewer = try await page(api, "/runs/\(run.id)", cookie: try await api.session("viewer"))
                #expect(viewer.status == .ok && viewer.text.contains("state-running"))
                #expect(viewer.text.contains("pulled &lt;b&gt;7&lt;/b&gt; days"))
                #expect(!viewer.text.contains("Cancel run"))
                let scoped = try await page(api, "/runs/\(run.id)", cookie: try await api.session("scoped_viewer"))
                #expect(scoped.status == .ok)
                let cookie = try await api.session("operator")
                let operatorPage = try await page(api, "/runs/\(run.id)", cookie: cookie)
                #expect(operatorPage.text.contains("Cancel run"))
                let csrf = try #require(Self.csrf(in: operatorPage.text))
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
