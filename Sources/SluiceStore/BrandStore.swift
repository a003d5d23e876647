import Foundation
import SluiceCore

/// Durable storage of brands, the tenants everything else belongs to. Every ``JobStore`` is one.
public protocol BrandStore: Sendable {
    /// Creates a brand.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`.
    func createBrand(name: String) async throws -> Brand

    /// Every brand, by name.
    func brands() async throws -> [Brand]

    /// The brand with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func brand(id: UUID) async throws -> Brand

    /// Renames a brand; returns it renamed.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`; ``SluiceError/Code/notFound`` naming `brand_id`.
    func renameBrand(id: UUID, name: String) async throws -> Brand

    /// Deletes a brand with its competitors and their ads.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func deleteBrand(id: UUID) async throws
}
