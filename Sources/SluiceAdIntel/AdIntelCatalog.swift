import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

/// The ad-intelligence job types and the datasets they refresh.
public enum AdIntelCatalog {
    /// Scrapes a competitor's ads from the Meta Ad Library.
    public static let competitorScrape = JobType(
        name: "competitor_scrape", label: "Competitor Scrape", emoji: "🔎", dataset: "competitor_ads",
        schema: ParameterSchema([
            ParameterField("competitor_id", .uuid, required: true, summary: "The competitor whose ads to fetch."),
            ParameterField(
                "ad_library_url", .url, required: true,
                summary: "A Meta Ad Library search URL (page or keyword), as copied from the browser."),
            ParameterField(
                "max_ads", .int, minimum: 1, maximum: 5000, default: .int(500), summary: "The most ads to fetch."),
            ParameterField(
                "download_assets", .bool, default: .bool(true),
                summary: "Download the creatives of ads seen for the first time."),
        ]),
        timeout: .seconds(900), retryPolicy: RetryPolicy(maxAttempts: 3, initialDelay: .seconds(30)),
        uniquenessKey: ["competitor_id"], concurrencyLimit: 4)

    /// Downloads an ad's creatives into the asset store. Background work: priority 10 lets the scrapes and syncs
    /// that people wait for go first (lower runs first), while a scrape's hundreds of downloads drain behind them.
    public static let assetDownload = JobType(
        name: "asset_download", label: "Asset Download", emoji: "🖼️", dataset: "ad_assets",
        schema: ParameterSchema([
            ParameterField("archive_id", .string, required: true, minimum: 1, maximum: 30, summary: "The ad's id.")
        ]),
        queue: "assets", priority: 10, timeout: .seconds(300),
        retryPolicy: RetryPolicy(maxAttempts: 4, initialDelay: .seconds(10)),
        uniquenessKey: ["archive_id"])

    /// Pulls the brand's Meta Marketing insights, re-pulling a trailing window.
    public static let metaSync = JobType(
        name: "meta_sync", label: "Meta Sync", emoji: "📊", dataset: "meta_ads_performance",
        schema: ParameterSchema([
            ParameterField(
                "ad_account_id", .string, required: true, minimum: 1, maximum: 40, summary: "The ad account (act_…)."),
            ParameterField(
                "days", .int, minimum: 1, maximum: 365, default: .int(28),
                summary: "The trailing window to re-pull (Meta revises recent days)."),
        ]),
        uniquenessKey: ["ad_account_id"])

    /// Searches the Ad Library by keyword and keeps long-running or widely collated ads as templates.
    public static let templateScrape = JobType(
        name: "template_scrape", label: "Template Scrape", emoji: "🧩", dataset: "ad_templates",
        schema: ParameterSchema([
            ParameterField("search_terms", .string, required: true, minimum: 1, maximum: 100),
            ParameterField("country", .string, minimum: 2, maximum: 3, default: .string("US")),
            ParameterField("max_results", .int, minimum: 1, maximum: 5000, default: .int(200)),
        ]))

    /// Every job type.
    public static let jobTypes = [competitorScrape, assetDownload, metaSync, templateScrape]

    /// The registry of the job types.
    public static func registry() throws(SluiceError) -> JobTypeRegistry { try JobTypeRegistry(jobTypes) }

    /// The datasets, with default policies: ads daily, performance daily, templates weekly.
    public static func datasets(_ registry: JobTypeRegistry) throws(SluiceError) -> DatasetRegistry {
        let day = Duration.seconds(86_400)
        return try DatasetRegistry(
            [
                Dataset(
                    name: "competitor_ads", label: "Competitor Ads", producedBy: competitorScrape.name,
                    policy: try FreshnessPolicy(warnAfter: day, failAfter: day * 7)),
                Dataset(
                    name: "ad_assets", label: "Ad Assets", producedBy: assetDownload.name,
                    policy: try FreshnessPolicy(warnAfter: day, failAfter: day * 7)),
                Dataset(
                    name: "meta_ads_performance", label: "Meta Ads Performance", producedBy: metaSync.name,
                    policy: try FreshnessPolicy(warnAfter: day, failAfter: day * 3)),
                Dataset(
                    name: "ad_templates", label: "Ad Templates", producedBy: templateScrape.name,
                    policy: try FreshnessPolicy(warnAfter: day * 7, failAfter: day * 30)),
            ], jobTypes: registry)
    }

    /// The shared rate limiters and their defaults (see docs/pipeline.md, "Shared rate limits"):
    /// - `meta_ad_library`: Graph API calls (`ads_archive` pages), 200 an hour per user token, rolling;
    /// - `meta_ad_render`: snapshot renders (`render_ad`, which carries the token); Meta does not document whether
    ///   they count against the Graph limit, so they have a limiter of their own, conservative: one every 2 seconds;
    /// - `meta_insights`: Marketing API insights.
    /// CDN downloads of creatives take no token.
    public static let rateLimiters = [
        RateLimiterSettings(name: "meta_ad_library", ratePerSecond: 200.0 / 3600, burst: 5),
        RateLimiterSettings(name: "meta_ad_render", ratePerSecond: 0.5, burst: 5),
        RateLimiterSettings(name: "meta_insights", ratePerSecond: 1, burst: 5),
    ]
}
