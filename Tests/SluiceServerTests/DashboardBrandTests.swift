import Foundation
import HTTPTypes
import NIOCore
import SluiceAdIntelModel
import SluiceCore
import SluiceServer
import SluiceStore
import Testing

@Suite("Dashboard: brands and competitors")
struct DashboardBrandTests {
    let pages = DashboardLoginTests()

    @Test("create a brand and a competitor from the forms, see field errors, delete both after confirming")
    func brandLifecycle() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("operator")
                let list = try await pages.page(api, "/brands", cookie: cookie)
                #expect(list.status == .ok && list.text.contains("Create brand"))
                let csrf = try #require(DashboardLoginTests.csrf(in: list.text))
                let empty = try await pages.post(api, "/brands", form: "csrf=\(csrf)&name=+", cookie: cookie)
                #expect(empty.status == .unprocessableContent && empty.text.contains("Brand name:"))
                let created = try await pages.post(
                    api, "/brands", form: "csrf=\(csrf)&name=Acme+%26+Co", cookie: cookie)
                #expect(created.status == .seeOther)
                let brand = try #require(try await fixture.client.brands().first { $0.name == "Acme & Co" })
                #expect(created.headers[.location] == "/brands/\(brand.id.lower)")
                let badPage = try await pages.post(
                    api, "/brands/\(brand.id.lower)/competitors", form: "csrf=\(csrf)&name=Rival&page_id=abc",
                    cookie: cookie)
                #expect(badPage.status == .unprocessableContent && badPage.text.contains("Page Id:"))
                for badURL in [
                    "ftp://www.facebook.com/ads/library/?view_all_page_id=1",
                    "https://169.254.169.254/ads/library/?view_all_page_id=1",
                    "https://user:secret@www.facebook.com/ads/library/?view_all_page_id=1",
                ] {
                    let encoded = try #require(badURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
                    let refused = try await pages.post(
                        api, "/brands/\(brand.id.lower)/competitors",
                        form: "csrf=\(csrf)&name=Rival&ad_library_url=\(encoded)", cookie: cookie)
                    #expect(
                        refused.status == .unprocessableContent && refused.text.contains("Ad Library Url:"), "\(badURL)"
                    )
                }
                #expect(try await fixture.adIntel.competitors(brandID: brand.id).isEmpty)
                let added = try await pages.post(
                    api, "/brands/\(brand.id.lower)/competitors",
                    form: "csrf=\(csrf)&name=Rival+Roasters&page_id=123456&ad_library_url=", cookie: cookie)
                #expect(added.status == .seeOther)
                let rival = try #require(try await fixture.adIntel.competitors(brandID: brand.id).first)
                #expect(rival.name == "Rival Roasters" && rival.pageID == "123456" && rival.adLibraryURL == nil)
                let brandPage = try await pages.page(api, "/brands/\(brand.id.lower)", cookie: cookie)
                #expect(brandPage.text.contains("Rival Roasters") && brandPage.text.contains("Acme &amp; Co"))
                let confirm = try await pages.page(api, "/competitors/\(rival.id.lower)/delete", cookie: cookie)
                #expect(confirm.text.contains("Delete the competitor Rival Roasters"))
                #expect(try await fixture.adIntel.competitors(brandID: brand.id).count == 1)
                _ = try await pages.post(
                    api, "/competitors/\(rival.id.lower)/delete", form: "csrf=\(csrf)", cookie: cookie)
                #expect(try await fixture.adIntel.competitors(brandID: brand.id).isEmpty)
                let deleted = try await pages.post(
                    api, "/brands/\(brand.id.lower)/delete", form: "csrf=\(csrf)", cookie: cookie)
                #expect(deleted.status == .seeOther && deleted.headers[.location] == "/brands")
                #expect(try await fixture.client.brands().contains { $0.id == brand.id } == false)
            }
        }
    }

    @Test("a brand-scoped operator sees its brand only, adds competitors, but creates and deletes no brand")
    func scopedOperator() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("scoped_operator")
                let list = try await pages.page(api, "/brands", cookie: cookie)
                #expect(list.text.contains("Beans &amp; Co") && !list.text.contains("Other Brand"))
                #expect(!list.text.contains("Create brand"))
                let hidden = try await pages.page(api, "/brands/\(fixture.brandB.id.lower)", cookie: cookie)
                #expect(hidden.status == .notFound && hidden.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(hidden.text.contains("404 · Not Found") && hidden.text.contains("does not exist"))
                let own = try await pages.page(api, "/brands/\(fixture.brandA.id.lower)", cookie: cookie)
                #expect(own.text.contains("Add competitor") && !own.text.contains("Delete this brand"))
                let csrf = try #require(DashboardLoginTests.csrf(in: own.text))
                let refused = try await pages.post(
                    api, "/brands/\(fixture.brandA.id.lower)/delete", form: "csrf=\(csrf)", cookie: cookie)
                #expect(refused.status == .forbidden)
                #expect(try await fixture.client.brand(id: fixture.brandA.id).name == "Beans & Co")
            }
        }
    }
}
