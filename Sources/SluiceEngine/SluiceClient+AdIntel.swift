import Foundation
import SluiceCore
import SluiceStore

extension SluiceClient {
    // MARK: - Brands

    /// Creates a brand. - Throws: ``SluiceError/Code/invalidArgument`` naming `name`.
    public func createBrand(name: String) async throws -> Brand { try await store.createBrand(name: name) }

    /// Every brand, by name.
    public func brands() async throws -> [Brand] { try await store.brands() }

    /// The brand with `id`. - Throws: ``SluiceError/Code/notFound``.
    public func brand(id: UUID) async throws -> Brand { try await store.brand(id: id) }

    /// Deletes a brand with its competitors and their ads. - Throws: ``SluiceError/Code/notFound``.
    public func deleteBrand(id: UUID) async throws { try await store.deleteBrand(id: id) }

    // MARK: - Competitors

    /// Creates a competitor of a brand. - Throws: ``SluiceError/Code/invalidArgument``, or
    /// ``SluiceError/Code/notFound`` for an unknown brand.
    public func createCompetitor(_ request: CompetitorRequest) async throws -> Competitor {
        try await store.createCompetitor(request)
    }

    /// A brand's competitors, by name.
    public func competitors(brandID: UUID) async throws -> [Competitor] {
        try await store.competitors(brandID: brandID)
    }

    /// The competitor with `id`. - Throws: ``SluiceError/Code/notFound``.
    public func competitor(id: UUID) async throws -> Competitor { try await store.competitor(id: id) }

    /// Deletes a competitor with its ads. - Throws: ``SluiceError/Code/notFound``.
    public func deleteCompetitor(id: UUID) async throws { try await store.deleteCompetitor(id: id) }

    /// A page of a brand's (or one competitor's) scraped ads, newest first.
    public func competitorAds(_ query: CompetitorAdQuery) async throws -> Page<CompetitorAd> {
        try await store.competitorAds(query)
    }
}
