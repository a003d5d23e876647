import Foundation
import PostgresNIO
import SluiceCore
import SluiceStore

extension PostgresJobStore {
    public func createBrand(id: UUID, name: String) async throws -> Brand {
        try DomainNames.validate(name)
        let brand = Brand(id: id, name: name, createdAt: configuration.now())
        let inserted = try await rows(
            """
            INSERT INTO brands (id, name, created_at) VALUES (\(brand.id), \(name), \(brand.createdAt))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """)
        guard !inserted.isEmpty else { throw BrandRules.exists(id) }
        return brand
    }

    public func brands() async throws -> [Brand] {
        try await rows("SELECT id, name, created_at FROM brands ORDER BY name, id").map(Self.brand)
    }

    public func brand(id: UUID) async throws -> Brand {
        guard let row = try await rows("SELECT id, name, created_at FROM brands WHERE id = \(id)").first else {
            throw BrandRules.missing(id)
        }
        return try Self.brand(row)
    }

    public func renameBrand(id: UUID, name: String) async throws -> Brand {
        try DomainNames.validate(name)
        guard
            let row = try await rows(
                "UPDATE brands SET name = \(name) WHERE id = \(id) RETURNING id, name, created_at"
            ).first
        else {
            throw BrandRules.missing(id)
        }
        return try Self.brand(row)
    }

    public func deleteBrand(id: UUID) async throws {
        try await transaction { connection in
            // The brand first: an insert of a job stored as its run holds it (FOR KEY SHARE) until it commits, so
            // the runs deleted below include every run inserted for the brand. The cascade locks the brand's jobs and
            // then their runs; a completion locks a run and then its job. The brand's unfinished runs are locked
            // before the cascade, in id order, so the two cannot deadlock.
            _ = try await rows("SELECT id FROM brands WHERE id = \(id) FOR UPDATE", on: connection)
            _ = try await rows(
                """
                SELECT id FROM run_queue WHERE brand_id = \(id) ORDER BY id FOR UPDATE
                """, on: connection)
            try await deleteRuns(ofBrand: id, on: connection)
            guard try await !rows("DELETE FROM brands WHERE id = \(id) RETURNING id", on: connection).isEmpty else {
                throw BrandRules.missing(id)
            }
        }
    }

    private static func brand(_ row: PostgresRandomAccessRow) throws -> Brand {
        Brand(
            id: try row["id"].decode(UUID.self), name: try row["name"].decode(String.self),
            createdAt: try row["created_at"].instant())
    }
}
