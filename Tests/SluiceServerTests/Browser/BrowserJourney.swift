import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceFakes
import Testing

/// The operator's walk through the dashboard that ``DashboardBrowserTests`` drives, one step per method, with a
/// screenshot of each page.
struct BrowserJourney {
    let browser: WebDriver
    let base: String
    let fake: FakeMetaServer
    let shots: URL

    static let rivalURL =
        "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US"
        + "&media_type=all&search_type=page&view_all_page_id=123456"

    func run(token: String) async throws {
        try await logIn(token)
        let competitors = try await createBrandAndCompetitors()
        let rival = try #require(competitors["Rival Roasters"])
        try await scrapeQueued(rival: rival, other: try #require(competitors["Bean Bros"]))
        try await scrapeDirectly(rival: rival)
        try await queueWithBadParameter(competitorID: rival)
        try await cancelRunningRun(rival: rival)
        try await browser.go(base + "/")
        try await browser.waitForText("#runs", contains: "Runs")
        try await shot("12-pipeline-manager")
    }

    private func shot(_ name: String) async throws {
        try await browser.screenshot(shots.appendingPathComponent("\(name).png"))
    }

    private func logIn(_ token: String) async throws {
        try await browser.go(base + "/")
        try await browser.waitUntil("the login page") { try await browser.currentURL.hasSuffix("/login") }
        try await shot("01-login")
        try await browser.type("#token", token)
        try await browser.click(#"form[action="/login"] button[type="submit"]"#)
        try await browser.waitForText("h1", contains: "Pipeline Manager")
        try await shot("02-pipeline-manager-empty")
    }

    /// Returns the competitors' ids by name.
    private func createBrandAndCompetitors() async throws -> [String: String] {
        try await browser.go(base + "/brands")
        try await browser.type("#brand-name", "Acme Coffee")
        try await shot("03-brands")
        try await browser.click(#"form[action="/brands"] button[type="submit"]"#)
        try await browser.waitForText("h1", contains: "Acme Coffee")
        for (name, page) in [("Rival Roasters", "123456"), ("Bean Bros", "234567")] {
            try await browser.type("#c-name", name)
            try await browser.type("#c-page", page)
            try await browser.type("#c-url", Self.rivalURL.replacingOccurrences(of: "123456", with: page))
            try await browser.click(#"form[action$="/competitors"] button[type="submit"]"#)
            try await browser.waitForText("section table", contains: name)
        }
        try await shot("04-brand-with-competitors")
        let links = try await browser.execute(
            """
            return [...document.querySelectorAll('a[href^="/competitors/"][href$="/edit"]')]
              .map(link => [link.closest('tr').cells[0].textContent, link.getAttribute('href').split('/')[2]]);
            """)
        var ids: [String: String] = [:]
        for pair in links.arrayValue ?? [] {
            guard let items = pair.arrayValue, let name = items.first?.stringValue, let id = items.last?.stringValue
            else { continue }
            ids[name] = id
        }
        return ids
    }

    /// Two scrapes queued from Competitor Research while the worker (concurrency 1) is held busy by the first (the
    /// fake's Ad Library waits until the test lets it go), so the second is seen queued, then running, then
    /// succeeded, live; its ads then appear, and later their images.
    private func scrapeQueued(rival: String, other: String) async throws {
        fake.holdAdsArchive(true)
        try await browser.go(base + "/competitors?competitor_id=\(other)")
        try await browser.waitForText("h2#scrape", contains: "Scrape Ads from Ad Library")
        #expect(try await browser.execute("return document.getElementById('scrape-max').value;").stringValue == "500")
        try await shot("05-competitor-research-empty")
        try await browser.type("#scrape-max", "20")
        try await browser.click("#scrape-submit")
        try await browser.waitForText("#flash", contains: "Competitor scrape queued!")
        try await browser.click("#scrape-submit")
        try await browser.waitForText("#flash", contains: "already queued or running")
        // The worker runs one run at a time and is held on Bean Bros, so Rival Roasters' scrape waits in the queue.
        try await browser.go(base + "/competitors?competitor_id=\(rival)")
        try await browser.type("#scrape-max", "30")
        try await browser.click("#scrape-submit")
        try await browser.waitForText("#flash", contains: "Competitor scrape queued!")
        let second = try await browser.text("#flash a").replacingOccurrences(of: "#", with: "")
        try await browser.execute(
            """
            const id = arguments[0]; window.sluiceStates = [];
            const record = () => {
              const badge = document.querySelector(`tr[data-run-id="${id}"] [data-field="state"]`);
              const states = window.sluiceStates;
              if (badge && states[states.length - 1] !== badge.textContent) states.push(badge.textContent);
            };
            record();
            new MutationObserver(record).observe(document.body, {subtree: true, childList: true, characterData: true});
            """, [.string(second)])
        try await shot("06-competitor-research-queued")
        // Each page of Rival Roasters' ads takes 3 s, so the run is seen running before it succeeds.
        fake.delayAdsArchive(by: .seconds(3))
        fake.holdAdsArchive(false)
        var states: [String] = []
        try await browser.waitUntil("run \(second) to finish", timeout: .seconds(180)) {
            states = (try await browser.execute("return window.sluiceStates;").arrayValue ?? []).compactMap(
                \.stringValue)
            return states.contains { ["succeeded", "failed", "cancelled", "timed_out"].contains($0) }
        }
        #expect(states == ["queued", "running", "succeeded"])
        try await browser.waitUntil("ads in the grid") { !(try await browser.elements("#ads .ad")).isEmpty }
        fake.delayAdsArchive(by: .zero)
        try await browser.waitUntil("a downloaded creative", timeout: .seconds(180), every: .seconds(1)) {
            try await browser.go(base + "/competitors?competitor_id=\(rival)")
            return !(try await browser.elements("#ads .ad img")).isEmpty
        }
        // Creatives load lazily: bring the first into view, then wait for its pixels.
        try await browser.execute("document.querySelector('#ads .ad img').scrollIntoView();")
        try await browser.waitUntil("a creative image to load") {
            try await browser.execute(
                "const img = document.querySelector('#ads .ad img'); return img.complete && img.naturalWidth > 0;"
            ) == .bool(true)
        }
        try await browser.execute("window.scrollTo(0, 0);")
        try await shot("07-competitor-research-ads")
    }

    private func scrapeDirectly(rival: String) async throws {
        try await browser.go(base + "/competitors?competitor_id=\(rival)")
        try await browser.click("#scrape-direct")
        try await browser.type("#scrape-max", "10")
        try await browser.click("#scrape-submit")
        try await browser.waitForText("#flash", contains: "ran directly")
        #expect(try await browser.text("#flash").contains("succeeded"))
        try await shot("08-competitor-research-direct")
    }

    private func queueWithBadParameter(competitorID: String) async throws {
        try await browser.go(base + "/")
        try await browser.click("#queue-competitor_scrape")
        try await browser.waitForText("h1", contains: "Queue")
        try await browser.type("#field-competitor_id", competitorID)
        try await browser.type("#field-ad_library_url", Self.rivalURL)
        try await browser.type("#field-max_ads", "0")
        try await browser.click("#queue-submit")
        try await browser.waitForText("#field-max_ads-error", contains: "at least 1")
        #expect(try await browser.elements(".field-error").count == 1)
        #expect(try await browser.text("#form-errors").contains("correct the fields"))
        try await shot("09-queue-form-field-error")
    }

    /// A scrape whose Ad Library pages answer slowly (30 s each) stays running; Cancel on its page stops it at once
    /// (the worker cancels the handler's task, which cancels its request) and it ends as cancelled.
    private func cancelRunningRun(rival: String) async throws {
        fake.delayAdsArchive(by: .seconds(30))
        try await browser.go(base + "/competitors?competitor_id=\(rival)")
        try await browser.click("#scrape-submit")
        try await browser.waitForText("#flash", contains: "Competitor scrape queued!")
        try await browser.click("#flash a")
        try await browser.waitForText("#run-state", contains: "running", timeout: .seconds(180))
        try await browser.click(#"form[action$="/cancel"] button"#)
        // The worker may stop the run before the page after the form is drawn: either shows the request took.
        try await browser.waitUntil("the cancellation to be acknowledged") {
            let main = try await browser.text("main")
            return main.contains("Cancellation requested") || main.contains("cancelled")
        }
        try await shot("10-run-cancel-requested")
        try await browser.waitForText("#run-state", contains: "cancelled", timeout: .seconds(120))
        fake.delayAdsArchive(by: .zero)
        try await shot("11-run-cancelled")
    }
}
