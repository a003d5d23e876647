import Foundation
import HTTPTypes
import SluiceAdIntelModel
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTestSupport
import Testing

@Suite("Dashboard: queue form, schedules, runs table and bulk actions")
struct DashboardPipelineTests {
    let pages = DashboardLoginTests()

    static func encoded(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
    }

    @Test(
        "the queue form shows the defaults, refuses bad input by field, and queues now or on a schedule",
        arguments: TestBackend.allCases)
    func queueForm(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("operator")
                let form = try await pages.page(api, "/jobs/new?job_type=competitor_scrape", cookie: cookie)
                #expect(form.status == .ok && form.text.contains(#"name="p.max_ads" type="number" value="500""#))
                let csrf = try #require(DashboardLoginTests.csrf(in: form.text))
                let rival = try await fixture.rival(of: fixture.brandA)
                let base: [(String, String)] = [
                    ("csrf", csrf), ("job_type", "competitor_scrape"), ("brand_id", fixture.brandA.id.lower),
                    ("p.competitor_id", rival.lower), ("p.ad_library_url", ServerFixture.rivalURL),
                ]
                let bad = try await pages.post(
                    api, "/jobs/new", form: Self.encoded(base + [("p.max_ads", "0"), ("schedule", "now")]),
                    cookie: cookie)
                #expect(bad.status == .unprocessableContent)
                #expect(
                    bad.text.contains(#"<span class="field-error" id="field-max_ads-error">value must be at least 1"#)
                )
                let notNumber = try await pages.post(
                    api, "/jobs/new", form: Self.encoded(base + [("p.max_ads", "many")]), cookie: cookie)
                #expect(notNumber.text.contains("must be a whole number") && notNumber.text.contains(#"value="many""#))
                let badCron = try await pages.post(
                    api, "/jobs/new",
                    form: Self.encoded(
                        base + [("schedule", "cron"), ("cron", "61 * * * *"), ("timezone", "Mars/Base")]),
                    cookie: cookie)
                #expect(badCron.status == .unprocessableContent && badCron.text.contains("known IANA time zone"))
                #expect(try await fixture.client.jobs(JobQuery()).items.isEmpty)
                let queued = try await pages.post(
                    api, "/jobs/new", form: Self.encoded(base + [("p.max_ads", "20"), ("schedule", "now")]),
                    cookie: cookie)
                #expect(queued.status == .seeOther)
                let run = try #require(try await fixture.client.runs(RunQuery()).items.first)
                #expect(queued.headers[.location] == "/runs/\(run.id)" && run.parameters["max_ads"] == .int(20))
                let viewer = try await pages.page(
                    api, "/jobs/new?job_type=competitor_scrape", cookie: try await api.session("viewer"))
                #expect(viewer.status == .forbidden)
                let scopedCookie = try await api.session("scoped_operator")
                let scopedCSRF = DashboardLoginTests.csrf(
                    in: try await pages.page(api, "/", cookie: scopedCookie).text)
                let scoped = try await pages.post(
                    api, "/jobs/new",
                    form: Self.encoded(
                        [
                            ("csrf", scopedCSRF ?? ""), ("job_type", "meta_sync"),
                            ("brand_id", fixture.brandB.id.lower), ("p.ad_account_id", "act_1"),
                        ]),
                    cookie: scopedCookie)
                #expect(scoped.status == .unprocessableContent && scoped.text.contains("choose one of your brands"))
            }
        }
    }

    @Test(
        "recurring schedules: cron in words, pause, resume, run now and edit from the Pipeline Manager",
        arguments: TestBackend.allCases)
    func schedules(_ backend: TestBackend) async throws {
        try await ServerFixture.with(backend) { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("operator")
                let job = try await fixture.client.enqueue(
                    JobRequest(
                        brandID: fixture.brandA.id, jobType: "meta_sync", parameters: ["ad_account_id": "act_1"],
                        schedule: .cron("0 6 * * *", timeZone: "Europe/Berlin"))
                ).job
                let manager = try await pages.page(api, "/", cookie: cookie)
                #expect(manager.text.contains("every day at 06:00 Europe/Berlin"))
                let csrf = try #require(DashboardLoginTests.csrf(in: manager.text))
                let paused = try await pages.post(api, "/jobs/\(job.id)/pause", form: "csrf=\(csrf)", cookie: cookie)
                #expect(paused.status == .seeOther && paused.headers[.location] == "/?flash=pause#schedules")
                #expect(try await fixture.client.job(id: job.id).status == .paused)
                let shown = try await pages.page(api, "/?flash=pause", cookie: cookie)
                #expect(shown.text.contains("Job paused") && shown.text.contains(">Resume</button>"))
                _ = try await pages.post(api, "/jobs/\(job.id)/resume", form: "csrf=\(csrf)", cookie: cookie)
                #expect(try await fixture.client.job(id: job.id).status == .active)
                let before = try await fixture.client.runs(RunQuery(jobID: job.id)).items.count
                _ = try await pages.post(api, "/jobs/\(job.id)/run-now", form: "csrf=\(csrf)", cookie: cookie)
                #expect(try await fixture.client.runs(RunQuery(jobID: job.id)).items.count == before + 1)
                let edit = try await pages.page(api, "/jobs/\(job.id)/edit", cookie: cookie)
                #expect(edit.text.contains(#"value="0 6 * * *""#) && edit.text.contains(#"value="Europe/Berlin""#))
                let refused = try await pages.post(
                    api, "/jobs/\(job.id)/edit",
                    form: Self.encoded([
                        ("csrf", csrf), ("brand_id", fixture.brandA.id.lower), ("p.ad_account_id", "act_1"),
                        ("cron", "not cron"), ("timezone", "UTC"),
                    ]), cookie: cookie)
                #expect(refused.status == .unprocessableContent)
                #expect(try await fixture.client.job(id: job.id).status == .active)
                let saved = try await pages.post(
                    api, "/jobs/\(job.id)/edit",
                    form: Self.encoded([
                        ("csrf", csrf), ("brand_id", fixture.brandA.id.lower), ("p.ad_account_id", "act_1"),
                        ("cron", "30 7 * * 1-5"), ("timezone", "UTC"),
                    ]), cookie: cookie)
                #expect(saved.status == .seeOther)
                let edited = try await fixture.client.job(id: job.id)
                #expect(edited.status == .active)
                guard case .recurring(let cron, let zone) = edited.schedule else {
                    Issue.record("the edited job is not recurring")
                    return
                }
                #expect(cron.expression == "30 7 * * 1-5" && zone.secondsFromGMT() == 0)
                let after = try await pages.page(api, "/", cookie: cookie)
                #expect(after.text.contains("every weekday at 07:30"))
                let audit = try await fixture.client.auditLog(AuditQuery(limit: 50)).items.map(\.entry.action)
                #expect(audit.contains("job.pause") && audit.contains("job.run_now") && audit.contains("job.edit"))
            }
        }
    }

    @Test("the runs table filters by state and type; bulk cancel acts on what it can and counts the rest")
    func runsTableAndBulk() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("operator")
                var ids: [Int64] = []
                for account in ["act_1", "act_2", "act_3"] {
                    let inserted = try await fixture.client.enqueue(
                        JobRequest(
                            brandID: fixture.brandA.id, jobType: "meta_sync",
                            parameters: ["ad_account_id": .string(account)]))
                    ids.append(try #require(inserted.run?.id))
                }
                _ = try await fixture.client.cancelRun(id: ids[2])
                let cancelled = try await pages.page(api, "/?state=cancelled", cookie: cookie)
                #expect(cancelled.text.contains(#"data-run-id="\#(ids[2])""#))
                #expect(!cancelled.text.contains(#"data-run-id="\#(ids[0])""#))
                let byType = try await pages.page(api, "/?job_type=competitor_scrape", cookie: cookie)
                #expect(!byType.text.contains(#"data-run-id="\#(ids[0])""#))
                let allFilters = try await pages.page(api, "/?brand_id=&job_type=&state=", cookie: cookie)
                #expect(allFilters.status == .ok && allFilters.text.contains(#"data-run-id="\#(ids[0])""#))
                let badState = try await pages.page(api, "/?state=bogus", cookie: cookie)
                #expect(badState.status == .unprocessableContent)
                let csrf = try #require(DashboardLoginTests.csrf(in: cancelled.text))
                let bulk = try await pages.post(
                    api, "/runs/bulk",
                    form: "csrf=\(csrf)&action=cancel&run[]=\(ids[0])&run[]=\(ids[1])&run[]=\(ids[2])&run[]=999999",
                    cookie: cookie)
                #expect(bulk.headers[.location] == "/?flash=cancel-2-2#runs")
                #expect(try await fixture.client.run(id: ids[0]).state == .cancelled)
                let flash = try await pages.page(api, "/?flash=cancel-2-2", cookie: cookie)
                #expect(flash.text.contains("Cancelled 2 runs; 2 skipped"))
                let retried = try await pages.post(
                    api, "/runs/bulk", form: "csrf=\(csrf)&action=retry&run=\(ids[0])", cookie: cookie)
                #expect(retried.headers[.location] == "/?flash=retry-1-0#runs")
                let viewer = try await pages.post(
                    api, "/runs/bulk", form: "csrf=\(csrf)&action=retry&run=\(ids[0])",
                    cookie: try await api.session("viewer")
                )
                #expect(viewer.status == .forbidden)
            }
        }
    }

    @Test("brands and competitors are renamed and edited, with errors by field")
    func editing() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("operator")
                let brand = fixture.brandA.id.lower
                let edit = try await pages.page(api, "/brands/\(brand)/edit", cookie: cookie)
                let csrf = try #require(DashboardLoginTests.csrf(in: edit.text))
                let blank = try await pages.post(
                    api, "/brands/\(brand)/edit", form: "csrf=\(csrf)&name=", cookie: cookie)
                #expect(blank.status == .unprocessableContent && blank.text.contains("edit-name-error"))
                _ = try await pages.post(
                    api, "/brands/\(brand)/edit", form: "csrf=\(csrf)&name=Beans+Unlimited", cookie: cookie)
                #expect(try await fixture.client.brand(id: fixture.brandA.id).name == "Beans Unlimited")
                let rival = try await fixture.rival(of: fixture.brandA)
                let badPage = try await pages.post(
                    api, "/competitors/\(rival.lower)/edit", form: "csrf=\(csrf)&name=Rival&page_id=12x", cookie: cookie
                )
                #expect(badPage.status == .unprocessableContent && badPage.text.contains("edit-page_id-error"))
                _ = try await pages.post(
                    api, "/competitors/\(rival.lower)/edit", form: "csrf=\(csrf)&name=Rival+Two&page_id=234567",
                    cookie: cookie)
                let changed = try await fixture.adIntel.competitor(id: rival)
                #expect(changed.name == "Rival Two" && changed.pageID == "234567" && changed.adLibraryURL == nil)
                let other = try await pages.page(
                    api, "/brands/\(fixture.brandB.id.lower)/edit", cookie: try await api.session("scoped_operator"))
                #expect(other.status == .notFound)
            }
        }
    }

    @Test("static files and media: content types, and nothing outside the asset store")
    func staticAndMedia() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let script = try await pages.page(api, "/static/dashboard.js", cookie: nil)
                #expect(script.status == .ok && script.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(script.text.contains("EventSource"))
                let style = try await pages.page(api, "/static/dashboard.css", cookie: nil)
                #expect(style.headers[.contentType] == "text/css; charset=utf-8")
                #expect(try await pages.page(api, "/static/missing.js", cookie: nil).status == .notFound)
                let cookie = try await api.session("viewer")
                for name in ["..%2F..%2Fetc%2Fpasswd", String(repeating: "a", count: 64) + ".exe", "abc.png"] {
                    #expect(try await pages.page(api, "/media/\(name)", cookie: cookie).status == .notFound)
                }
                #expect(try await pages.page(api, "/media/x.png", cookie: nil).status == .seeOther)
            }
        }
    }
}

@Suite("Dashboard: Competitor Research")
struct DashboardResearchTests {
    let pages = DashboardLoginTests()

    @Test("pickers, empty states, the scrape form's defaults and field errors, one scrape per competitor at a time")
    func research() async throws {
        try await ServerFixture.with { fixture in
            try await fixture.withRouter { api in
                let cookie = try await api.session("operator")
                let empty = try await pages.page(
                    api, "/competitors?brand_id=\(fixture.brandB.id.lower)", cookie: cookie)
                #expect(empty.text.contains("Other Brand has no competitor yet"))
                let rival = try await fixture.rival(of: fixture.brandA)
                let page = try await pages.page(api, "/competitors?competitor_id=\(rival.lower)", cookie: cookie)
                #expect(page.text.contains(#"name="max_ads" type="number" inputmode="numeric" value="500""#))
                #expect(page.text.contains("No scrape yet") && page.text.contains("No ads scraped yet"))
                #expect(!page.text.contains("Run scrape directly (legacy)"))
                let csrf = try #require(DashboardLoginTests.csrf(in: page.text))
                let bad = try await pages.post(
                    api, "/competitors/\(rival.lower)/scrape", form: "csrf=\(csrf)&ad_library_url=nope&max_ads=0",
                    cookie: cookie)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.text.contains(#"id="scrape-max-error">value must be at least 1"#))
                #expect(bad.text.contains(#"id="scrape-url-error""#) && bad.text.contains(#"value="nope""#))
                // A browser sends a number input holding no number as empty: that must not become the 500 default.
                for maxAds in ["", "abc"] {
                    let blank = try await pages.post(
                        api, "/competitors/\(rival.lower)/scrape",
                        form: "csrf=\(csrf)&ad_library_url=x&max_ads=\(maxAds)", cookie: cookie)
                    #expect(blank.status == .unprocessableContent, "max_ads=\(maxAds)")
                    #expect(blank.text.contains(#"id="scrape-max-error""#), "max_ads=\(maxAds)")
                }
                #expect(try await fixture.client.runs(RunQuery()).items.isEmpty)
                let form =
                    "csrf=\(csrf)&ad_library_url=\(ServerFixture.rivalURL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")&max_ads=50"
                let queued = try await pages.post(api, "/competitors/\(rival.lower)/scrape", form: form, cookie: cookie)
                let run = try #require(try await fixture.client.runs(RunQuery()).items.first)
                #expect(queued.headers[.location]?.hasSuffix("&queued=\(run.id)") == true)
                let shown = try await pages.page(api, queued.headers[.location] ?? "", cookie: cookie)
                #expect(
                    shown.text.contains("Competitor scrape queued!")
                        && shown.text.contains(#"data-run-id="\#(run.id)""#))
                let again = try await pages.post(api, "/competitors/\(rival.lower)/scrape", form: form, cookie: cookie)
                #expect(again.headers[.location]?.hasSuffix("&already=\(run.id)") == true)
                let direct = try await pages.post(
                    api, "/competitors/\(rival.lower)/scrape", form: form + "&direct=on", cookie: cookie)
                #expect(direct.status == .conflict)
                let other = try await fixture.rival(of: fixture.brandB)
                let scopedCookie = try await api.session("scoped_operator")
                let scopedCSRF = try #require(
                    DashboardLoginTests.csrf(in: try await pages.page(api, "/competitors", cookie: scopedCookie).text))
                let scoped = try await pages.post(
                    api, "/competitors/\(other.lower)/scrape",
                    form: form.replacingOccurrences(of: "csrf=\(csrf)", with: "csrf=\(scopedCSRF)"),
                    cookie: scopedCookie)
                #expect(scoped.status == .notFound)
                let hiddenPage = try await pages.page(
                    api, "/competitors?brand_id=\(fixture.brandB.id.lower)", cookie: scopedCookie)
                #expect(!hiddenPage.text.contains("Other Brand"))
                let viewer = try await pages.page(
                    api, "/competitors?competitor_id=\(rival.lower)", cookie: try await api.session("viewer"))
                #expect(viewer.status == .ok && !viewer.text.contains("scrape-submit"))
            }
        }
    }
}
