import Foundation
import SluiceCore
import SluiceStore

extension SluiceClient {
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

    /// Deletes a brand with everything of it: competitors and ads, jobs, runs and logs, dataset records, webhooks
    /// and brand-scoped tokens.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    public func deleteBrand(id: UUID) async throws { try await store.deleteBrand(id: id) }
}
