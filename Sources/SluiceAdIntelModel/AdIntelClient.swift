import Foundation
import SluiceCore
import SluiceStore

/// The ad-intelligence domain's operations for the API, the dashboard and the CLI: competitors, their ads and their
/// creatives. The queue's operations are ``SluiceEngine``'s `SluiceClient`; both read the same database.
public struct AdIntelClient: Sendable {
    let store: any AdIntelStore

    /// Creates a client over `store`.
    public init(store: any AdIntelStore) {
        self.store = store
    }

    /// Creates a competitor of a brand.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument``, or
    /// ``SluiceError/Code/notFound`` for an unknown brand.
    public func createCompetitor(_ request: CompetitorRequest) async throws -> Competitor {
        try await store.createCompetitor(request)
    }

    /// A brand's competitors, by name.
    public func competitors(brandID: UUID) async throws -> [Competitor] {
        try await store.competitors(brandID: brandID)
    }

    /// The competitor with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    public func competitor(id: UUID) async throws -> Competitor { try await store.competitor(id: id) }

    /// Replaces a competitor's name, page id and Ad Library URL (validated like ``CompetitorRequest``); returns it
    /// updated, its brand and creation time unchanged.
    /// - Throws: ``SluiceError/Code/notFound`` naming `competitor_id`; ``SluiceError/Code/invalidArgument`` naming
    ///   `name`, `page_id` or `ad_library_url`.
    public func updateCompetitor(
        id: UUID, name: String, pageID: String?, adLibraryURL: String?
    ) async throws -> Competitor {
        try await store.updateCompetitor(id: id, name: name, pageID: pageID, adLibraryURL: adLibraryURL)
    }

    /// Deletes a competitor with its ads.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    public func deleteCompetitor(id: UUID) async throws { try await store.deleteCompetitor(id: id) }

    /// A page of a brand's (or one competitor's) scraped ads, newest first.
    public func competitorAds(_ query: CompetitorAdQuery) async throws -> Page<CompetitorAd> {
        try await store.competitorAds(query)
    }

    /// What became of each creative of a brand's ad (downloaded, expired, refused, failed).
    public func adAssets(brandID: UUID, archiveID: String) async throws -> [AdAssetRecord] {
        try await store.adAssets(brandID: brandID, archiveID: archiveID)
    }

    /// Whether the downloaded creative `contentHash` belongs to an ad of `brandID`.
    public func hasAsset(contentHash: String, brandID: UUID) async throws -> Bool {
        try await store.hasAsset(contentHash: contentHash, brandID: brandID)
    }
}
