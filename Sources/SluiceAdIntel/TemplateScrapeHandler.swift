import Foundation
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceStore

/// `template_scrape`: searches the Ad Library by keyword and keeps, as templates, the ads that ran long (30 days or
/// more) or were widely collated (5 or more ads sharing the creative): what competitors keep paying for.
public struct TemplateScrapeHandler: JobHandler {
    /// An ad that ran at least this long is a template.
    static let longRunning: TimeInterval = 30 * 86_400
    /// An ad whose creative this many ads share is a template.
    static let widelyCollated = 5

    let store: any AdIntelStore
    let adLibrary: AdLibraryClient
    let clock: any WallClock

    /// Creates the handler.
    public init(store: any AdIntelStore, adLibrary: AdLibraryClient, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.adLibrary = adLibrary
        self.clock = clock
    }

    public func run(_ context: RunContext) async throws -> JobOutcome {
        let terms = try context.parameters.string("search_terms")
        let country = try context.parameters.string("country").uppercased()
        guard country == "ALL" || (country.count == 2 && country.allSatisfy { $0.isASCII && $0.isLetter }) else {
            throw SluiceError.invalidParameter("country", "must be a two-letter country code or ALL")
        }
        let maximum = try context.parameters.int("max_results")
        let query = AdLibraryQuery(
            searchTerms: terms, searchType: .keywordUnordered, countries: [country], activeStatus: "ALL")
        let now = clock.now()
        var found = 0
        var templates: [AdTemplate] = []
        let fetched = try await adLibrary.fetchAds(
            query, maximum: maximum, pageSize: min(100, maximum),
            beforeRequest: { try await context.acquireToken("meta_ad_library") },
            onBackoff: { error, delay in
                context.log("Meta API: \(error.description); retrying in \(delay)", level: .warning)
            }
        ) { archived in
            let ads = archived.map(ScrapedAd.init)
            found += ads.count
            templates += ads.compactMap { ad in
                Self.reason(ad, now: now).map { AdTemplate(ad: ad, searchTerms: terms, reason: $0, savedAt: now) }
            }
            context.progress(Double(found) / Double(maximum), "searched \(found) ads, \(templates.count) templates")
            try context.checkCancellation()
        }
        let new = try await store.saveTemplates(brandID: context.run.brandID, templates)
        if let shortfall = fetched.shortfall {
            context.log("stopped short of \(maximum) ads: \(shortfall)", level: .warning)
        }
        let summary = "\(found) ads matched \"\(terms)\"; \(templates.count) kept as templates (\(new) new)"
        context.log(summary)
        context.progress(1, summary)
        var result: JSONObject = [
            "ads_found": .int(Int64(found)), "templates": .int(Int64(templates.count)), "new": .int(Int64(new)),
            "complete": .bool(fetched.shortfall == nil),
        ]
        if let shortfall = fetched.shortfall { result["incomplete_reason"] = .string(shortfall) }
        return JobOutcome(result: result, rowsWritten: Int64(templates.count))
    }

    /// Why `ad` is a template, or nil when it is not one.
    static func reason(_ ad: ScrapedAd, now: Date) -> String? {
        if let count = ad.collationCount, count >= widelyCollated { return "\(count) ads share the creative" }
        guard let start = ad.startedAt else { return nil }
        let ran = (ad.endedAt ?? now).timeIntervalSince(start)
        return ran >= longRunning ? "ran \(Int(ran / 86_400)) days" : nil
    }
}
