import Foundation
import SluiceCore
import SluiceStore

/// Durable storage of the ad-intelligence domain: brands' competitors, the competitors' ads and their creatives,
/// ad insights and templates, in the same database as the jobs. Both Sluice stores are one beside being a
/// `JobStore`; the ad-intelligence conformance cases specify each method.
public protocol AdIntelStore: Sendable {
    /// Creates a competitor of an existing brand.
    /// - Throws: ``SluiceError/Code/notFound`` naming `brand_id`; ``SluiceError/Code/invalidArgument``.
    func createCompetitor(_ request: CompetitorRequest) async throws -> Competitor

    /// A brand's competitors, by name.
    func competitors(brandID: UUID) async throws -> [Competitor]

    /// The competitor with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func competitor(id: UUID) async throws -> Competitor

    /// Replaces a competitor's name, page id and Ad Library URL (validated like ``CompetitorRequest``); returns it
    /// updated, its brand and creation time unchanged.
    /// - Throws: ``SluiceError/Code/notFound`` naming `competitor_id`; ``SluiceError/Code/invalidArgument``.
    func updateCompetitor(id: UUID, name: String, pageID: String?, adLibraryURL: String?) async throws -> Competitor

    /// Deletes a competitor with its ads.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func deleteCompetitor(id: UUID) async throws

    /// Saves scraped ads of a competitor in one transaction, idempotently: an archive id is stored once per brand
    /// (a re-scrape updates it and its last-seen time).
    ///
    /// - Throws: ``SluiceError/Code/notFound`` for an unknown
    /// competitor; ``SluiceError/Code/invalidArgument`` naming `archive_id` for a malformed one.
    func saveAds(competitorID: UUID, _ ads: [ScrapedAd]) async throws -> AdUpsertResult

    /// A page of a brand's competitor ads, newest first seen first.
    func competitorAds(_ query: CompetitorAdQuery) async throws -> Page<CompetitorAd>

    /// A brand's ad by archive id.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `archive_id`.
    func competitorAd(brandID: UUID, archiveID: String) async throws -> CompetitorAd

    /// Records what became of an ad's creatives, replacing earlier records of the same source URLs.
    /// - Throws: ``SluiceError/Code/notFound`` naming `archive_id` for an ad the brand does not have.
    func recordAssets(brandID: UUID, archiveID: String, _ records: [AdAssetRecord]) async throws

    /// What became of an ad's creatives, by card then source URL.
    func adAssets(brandID: UUID, archiveID: String) async throws -> [AdAssetRecord]

    /// Whether a downloaded creative whose bytes hash to `contentHash` belongs to an ad of `brandID` (so that a
    /// brand-scoped caller sees only its own brand's creatives).
    func hasAsset(contentHash: String, brandID: UUID) async throws -> Bool

    /// Saves a brand's daily ad insights in one transaction, replacing stored rows of the same ad and day.
    /// - Throws: ``SluiceError/Code/notFound`` naming `brand_id`; ``SluiceError/Code/invalidArgument``.
    func saveInsights(brandID: UUID, _ rows: [AdInsightRow]) async throws -> InsightUpsertResult

    /// A brand's daily ad insights from `since` to `until` (inclusive, `YYYY-MM-DD`), by date then ad.
    func insights(brandID: UUID, since: String, until: String) async throws -> [AdInsightRow]

    /// Replaces a re-pulled window: deletes the brand's rows of `adAccountID` dated `since` to `until` (inclusive,
    /// `YYYY-MM-DD`) other than those `kept` (ad id and date), since Meta dropped them from the window (a revised day
    /// without delivery). Returns how many were deleted.
    func deleteInsights(
        brandID: UUID, adAccountID: String, since: String, until: String, keeping kept: Set<InsightKey>
    ) async throws -> Int

    /// Saves templates of a brand, one per archive id (a later search replaces the earlier record); returns how many
    /// were new.
    ///
    /// - Throws: ``SluiceError/Code/notFound`` naming `brand_id`; ``SluiceError/Code/invalidArgument``.
    func saveTemplates(brandID: UUID, _ templates: [AdTemplate]) async throws -> Int

    /// A brand's templates, most recently saved first, at most `limit` (1...1000).
    func templates(brandID: UUID, limit: Int) async throws -> [AdTemplate]
}

/// A store of both the job queue and the ad-intelligence domain, as each of Sluice's two backends is: what the
/// composition root and the tests hold, handing the engine its ``JobStore`` side and the ad domain its
/// ``AdIntelStore`` side.
public typealias JobAndAdStore = JobStore & AdIntelStore
