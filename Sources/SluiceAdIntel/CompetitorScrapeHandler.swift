import Foundation
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceStore

/// Where `competitor_scrape` gets ads: the official Ad Library API (commercial ads only when they reached the EU) or
/// an Apify-shaped scraper feed (any country, with creative URLs). Configuration chooses.
public enum CompetitorAdSource: Sendable {
    /// The Meta Ad Library API.
    case adLibraryAPI(AdLibraryClient)
    /// The scraper feed.
    case scraperFeed(ScraperFeedClient)
}

/// `competitor_scrape`: fetches up to `max_ads` of a competitor's ads from its configured source, saves them page by
/// page (idempotently: a re-scrape updates, never duplicates), and chains `asset_download` for the ads seen for the
/// first time. Every API request takes a token of the shared `meta_ad_library` rate limiter first.
public struct CompetitorScrapeHandler: JobHandler {
    let store: any AdIntelStore
    let source: CompetitorAdSource

    /// Creates the handler for `source`.
    public init(store: any AdIntelStore, source: CompetitorAdSource) {
        self.store = store
        self.source = source
    }

    /// Creates the handler for the Ad Library API.
    public init(store: any AdIntelStore, adLibrary: AdLibraryClient) {
        self.init(store: store, source: .adLibraryAPI(adLibrary))
    }

    public func run(_ context: RunContext) async throws -> JobOutcome {
        let competitorID = try context.parameters.uuid("competitor_id")
        let maxAds = try context.parameters.int("max_ads")
        let url = try context.parameters.string("ad_library_url")
        let competitor = try await CompetitorScrapeAdmission.competitor(
            competitorID, of: context.run.brandID, in: store)
        let query = try CompetitorScrapeAdmission.query(url)
        let ignored = AdLibraryQuery.ignoredParameters(in: url)
        if !ignored.isEmpty {
            context.log(
                "ignored Ad Library URL parameters without an API equivalent: \(ignored.joined(separator: ", "))")
        }
        context.log("scraping up to \(maxAds) ads of \(competitor.name)")
        var found = 0
        var fresh: [String] = []
        var updated = 0
        var redownloads: [String] = []
        let downloads = try context.parameters.bool("download_assets")
        func save(_ ads: [ScrapedAd]) async throws {
            let saved = try await store.saveAds(competitorID: competitorID, ads)
            found += ads.count
            fresh += saved.newArchiveIDs
            updated += saved.updated
            // A known ad whose creatives failed or expired gets another download with the fresh URLs just saved.
            if downloads {
                let new = Set(saved.newArchiveIDs)
                for ad in ads where !new.contains(ad.archiveID) {
                    let records = try await store.adAssets(brandID: context.run.brandID, archiveID: ad.archiveID)
                    if CreativeCoverage(records).needsDownload(of: ad.assets) { redownloads.append(ad.archiveID) }
                }
            }
            context.progress(Double(found) / Double(maxAds), "saved \(found) of up to \(maxAds) ads")
            try context.checkCancellation()
        }
        var shortfall: String?
        switch source {
        case .adLibraryAPI(let adLibrary):
            let summary = try await adLibrary.fetchAds(
                query, maximum: maxAds, pageSize: min(100, maxAds),
                beforeRequest: { try await context.acquireToken("meta_ad_library") },
                onBackoff: { error, delay in
                    context.log("Meta API: \(error.description); retrying in \(delay)", level: .warning)
                }, onPage: { try await save($0.map(ScrapedAd.init)) })
            if summary.repeatedAds > 0 {
                context.log("skipped \(summary.repeatedAds) ads repeated across pages (counted once)")
            }
            shortfall = summary.shortfall
        case .scraperFeed(let feed):
            _ = try await feed.fetchAds(
                adLibraryURL: url, maximum: maxAds, onStatus: { context.log($0) },
                onPage: { try await save($0.map(ScrapedAd.init)) })
        }
        if downloads {
            if !redownloads.isEmpty {
                context.log("\(redownloads.count) known ads have creatives still to download; downloading them again")
            }
            // In the order the dashboard lists the ads (the last saved first), which is the order the downloads
            // are claimed in: the creatives a user looks at first arrive first.
            for archiveID in fresh.reversed() + redownloads.reversed() {
                try context.enqueue(
                    JobRequest(
                        brandID: context.run.brandID, jobType: AdIntelCatalog.assetDownload.name,
                        parameters: ["archive_id": .string(archiveID)]))
            }
        }
        let summary = "found \(found) ads: \(fresh.count) new, \(updated) updated"
        if let shortfall {
            context.log("stopped short of \(maxAds) ads: \(shortfall)", level: .warning)
        }
        context.log(summary)
        context.progress(1, shortfall == nil ? summary : "\(summary); stopped short of \(maxAds): incomplete")
        var result: JSONObject = [
            "ads_found": .int(Int64(found)), "ads_new": .int(Int64(fresh.count)),
            "ads_updated": .int(Int64(updated)), "complete": .bool(shortfall == nil),
        ]
        if let shortfall { result["incomplete_reason"] = .string(shortfall) }
        return JobOutcome(result: result, rowsWritten: Int64(fresh.count + updated))
    }
}

/// `competitor_scrape`'s enqueue-time checks: the competitor exists and belongs to the job's brand, and the URL is an
/// Ad Library search URL.
public struct CompetitorScrapeAdmission: JobAdmission {
    let store: any AdIntelStore

    /// Creates the check, reading competitors from `store`.
    public init(store: any AdIntelStore) {
        self.store = store
    }

    public func admit(_ job: ValidatedJob) async throws {
        guard case .string(let idText) = job.parameters["competitor_id"], let id = UUID(uuidString: idText),
            case .string(let url) = job.parameters["ad_library_url"]
        else { return }  // the schema guarantees both
        _ = try await Self.competitor(id, of: job.brandID, in: store)
        _ = try Self.query(url)
    }

    /// The competitor, if it exists and belongs to `brandID`.
    /// - Throws: ``SluiceError/Code/notFound`` naming `parameters.competitor_id`.
    static func competitor(_ id: UUID, of brandID: UUID, in store: any AdIntelStore) async throws -> Competitor {
        // A well-formed reference to nothing: not found (404 over the API), like a path naming a missing object.
        let missing = SluiceError(.notFound, "the brand has no such competitor", field: "parameters.competitor_id")
        let competitor: Competitor
        do {
            competitor = try await store.competitor(id: id)
        } catch let error as SluiceError where error.code == .notFound {
            throw missing
        }
        // Another brand's competitor is reported as missing: brands do not learn of each other's records.
        guard competitor.brandID == brandID else { throw missing }
        return competitor
    }

    /// The API query of an Ad Library URL.
    ///
    /// - Throws: ``SluiceError/Code/invalidParameters`` naming
    /// `parameters.ad_library_url`.
    static func query(_ url: String) throws(SluiceError) -> AdLibraryQuery {
        do {
            return try AdLibraryQuery(webURL: url)
        } catch {
            throw SluiceError.invalidParameter("ad_library_url", error.description)
        }
    }
}
