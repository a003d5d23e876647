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
}
