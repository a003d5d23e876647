import Foundation
import GRDB
import SluiceCore
import SluiceStore

extension SQLiteJobStore {
    public func createBrand(id: UUID, name: String) async throws -> Brand {
        try DomainNames.validate(name)
        let brand = Brand(id: id, name: name, createdAt: configuration.now())
        try await write { db in
            try db.execute(
                sql: "INSERT INTO brands (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                arguments: [brand.id.storageText, name, brand.createdAt.microsecondsSince1970])
            guard db.changesCount > 0 else { throw BrandRules.exists(id) }
        }
        return brand
    }

    public func brands() async throws -> [Brand] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM brands ORDER BY name, id").map(Self.brand)
        }
    }

    public func brand(id: UUID) async throws -> Brand {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, name, created_at FROM brands WHERE id = ?", arguments: [id.storageText])
            else { throw BrandRules.missing(id) }
            return try Self.brand(row)
        }
    }

    public func renameBrand(id: UUID, name: String) async throws -> Brand {
        try DomainNames.validate(name)
        return try await write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "UPDATE brands SET name = ? WHERE id = ? RETURNING id, name, created_at",
                    arguments: [name, id.storageText])
            else { throw BrandRules.missing(id) }
            return try Self.brand(row)
        }
    }

    public func deleteBrand(id: UUID) async throws {
        try await write { db in
            try Self.deleteRuns(where: "brand_id = ?", [id.storageText], in: db)
            try db.execute(sql: "DELETE FROM brands WHERE id = ?", arguments: [id.storageText])
            guard db.changesCount > 0 else {
                throw BrandRules.missing(id)
            }
        }
    }

    private static func brand(_ row: Row) throws -> Brand {
        Brand(
            id: try StoredPipelineValues.uuid(row[0]), name: row[1], createdAt: Date(microsecondsSince1970: row[2]))
    }
}
