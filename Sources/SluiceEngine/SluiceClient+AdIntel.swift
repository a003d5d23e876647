import Foundation
import SluiceCore
import SluiceStore

extension SluiceClient {
    // MARK: - Brands

    /// Creates a brand.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`.
    public func createBrand(name: String) async throws -> Brand { try await store.createBrand(name: name) }

    /// Every brand, by name.
    public func brands() async throws -> [Brand] { try await store.brands() }

    /// The brand with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    public func brand(id: UUID) async throws -> Brand { try await store.brand(id: id) }

    /// Renames a brand; returns it renamed.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`; ``SluiceError/Code/notFound`` naming `brand_id`.
    public func renameBrand(id: UUID, name: String) async throws -> Brand {
        try await store.renameBrand(id: id, name: name)
    }

    /// Deletes a brand with its competitors and their ads.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    public func deleteBrand(id: UUID) async throws { try await store.deleteBrand(id: id) }

    // MARK: - Competitors

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

    // MARK: - Run outcomes

    /// Runs that finished at or after `since` (of one brand, or of all when `brandID` is nil), counted by outcome in
    /// buckets of `bucketSeconds` aligned to multiples of it since the Unix epoch, for success/failure charts:
    /// `succeeded`, and `failed` or `timed_out` (cancelled runs are not counted). Ascending by start; buckets
    /// without a counted run are left out.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `bucket_seconds` outside 1...86400.
    public func runOutcomes(since: Date, bucketSeconds: Int, brandID: UUID? = nil) async throws -> [RunOutcomeBucket] {
        try await store.runOutcomes(since: since, bucketSeconds: bucketSeconds, brandID: brandID)
    }
}
