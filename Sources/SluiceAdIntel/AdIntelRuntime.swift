import Foundation
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceStore

/// Where the ad-intelligence handlers reach their outside APIs, and where downloaded creatives go.
public struct AdIntelSettings: Sendable {
    /// The Meta Graph API (Ad Library, insights) base URL, version and access token.
    public var meta: MetaGraphSettings
    /// The directory of the content-addressed asset store. Default `./assets`.
    public var assetDirectory: URL
    /// Which addresses asset downloads may reach. Default: public addresses only.
    public var egress: EgressPolicy

    public init(
        meta: MetaGraphSettings, assetDirectory: URL = URL(fileURLWithPath: "assets"),
        egress: EgressPolicy = .publicOnly
    ) {
        self.meta = meta
        self.assetDirectory = assetDirectory
        self.egress = egress
    }
}

extension AdIntelCatalog {
    /// The enqueue-time checks of the job types, by name, reading the domain's records from `store`.
    public static func admissions(store: any AdIntelStore) -> [String: any JobAdmission] {
        ["competitor_scrape": CompetitorScrapeAdmission(store: store)]
    }

    /// A handler for every ad-intelligence job type, each reading and writing the domain's records in `store`.
    ///
    /// - Throws: when the asset directory cannot be created.
    public static func handlers(store: any AdIntelStore, settings: AdIntelSettings) throws -> HandlerRegistry {
        let adLibrary = AdLibraryClient(settings: settings.meta)
        var handlers = HandlerRegistry()
        handlers.register("competitor_scrape", CompetitorScrapeHandler(store: store, adLibrary: adLibrary))
        handlers.register(
            "asset_download",
            AssetDownloadHandler(
                store: store,
                downloader: AssetDownloader(
                    store: try AssetStore(root: settings.assetDirectory), egress: settings.egress),
                snapshots: AdSnapshotClient(settings: settings.meta)))
        handlers.register("meta_sync", MetaSyncHandler(store: store, insights: InsightsClient(settings: settings.meta)))
        handlers.register("template_scrape", TemplateScrapeHandler(store: store, adLibrary: adLibrary))
        return handlers
    }

    /// Creates the shared rate limiters that do not exist yet with their defaults; limiters an operator already
    /// configured keep their settings.
    public static func installRateLimiters(in client: SluiceClient) async throws {
        let existing = Set(try await client.rateLimiters().map(\.settings.name))
        for limiter in rateLimiters where !existing.contains(limiter.name) {
            try await client.configureRateLimiter(limiter)
        }
    }
}
