import Foundation
import SluiceCore

/// Durable storage of brands, the tenants everything else belongs to. Every ``JobStore`` is one.
public protocol BrandStore: Sendable {
    /// Creates a brand with the given id: an application that already identifies its brands registers them under
    /// its own ids.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`; ``SluiceError/Code/conflict`` naming
    ///   `brand_id` when a brand has that id.
    func createBrand(id: UUID, name: String) async throws -> Brand

    /// Every brand, by name.
    func brands() async throws -> [Brand]

    /// The brand with `id`.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func brand(id: UUID) async throws -> Brand

    /// Renames a brand; returns it renamed.
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`; ``SluiceError/Code/notFound`` naming `brand_id`.
    func renameBrand(id: UUID, name: String) async throws -> Brand

    /// Deletes a brand with everything that belongs to it: its competitors and their ads, its jobs with their runs
    /// and logs, its dataset records, its webhooks and its brand-scoped tokens with their sessions (the schema's
    /// foreign keys cascade; a run in flight is then fenced, its result refused). The audit log keeps its id.
    ///
    /// - Throws: ``SluiceError/Code/notFound``.
    func deleteBrand(id: UUID) async throws
}

extension BrandStore {
    /// Creates a brand with a new id.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `name`.
    public func createBrand(name: String) async throws -> Brand { try await createBrand(id: UUID(), name: name) }
}
