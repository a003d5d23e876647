import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let sessionCases: [ConformanceCase] = [
        ConformanceCase("dashboard sessions: created for a live token, found by hash until they expire, deleted") {
            fixture in
            let store = fixture.store
            let token = try await store.createToken(
                NewAPIToken(name: "viewer", role: .viewer, brandID: ConformanceJobTypes.brandA, secretHash: hash("a")))
            let start = fixture.clock.now()
            let new = NewDashboardSession(
                idHash: hash("1"), tokenID: token.id, createdAt: start, expiresAt: start.addingTimeInterval(3600))
            let created = try await store.createSession(new)
            #expect(created.idHash == hash("1") && created.token.id == token.id)
            #expect(created.createdAt == stored(start) && created.expiresAt == stored(start.addingTimeInterval(3600)))
            await expectError(.conflict, field: "id_hash") { try await store.createSession(new) }
            await expectError(.notFound, field: "token_id") {
                try await store.createSession(
                    NewDashboardSession(
                        idHash: hash("2"), tokenID: UUID(), createdAt: start, expiresAt: start.addingTimeInterval(60)))
            }
            await expectError(.invalidArgument, field: "id_hash") {
                try await store.createSession(
                    NewDashboardSession(
                        idHash: "ABC", tokenID: token.id, createdAt: start, expiresAt: start.addingTimeInterval(60)))
            }
            await expectError(.invalidArgument, field: "expires_at") {
                try await store.createSession(
                    NewDashboardSession(idHash: hash("3"), tokenID: token.id, createdAt: start, expiresAt: start))
            }
            let found = try #require(try await store.session(idHash: hash("1"), at: start.addingTimeInterval(60)))
            #expect(found.idHash == hash("1") && found.expiresAt == created.expiresAt)
            #expect(found.token.brandID == ConformanceJobTypes.brandA && found.token.role == .viewer)
            #expect(found.token.lastUsedAt == StoredAccessValues.minute(of: start.addingTimeInterval(60)))
            #expect(try await store.session(idHash: hash("9"), at: start) == nil)
            #expect(try await store.session(idHash: hash("1"), at: start.addingTimeInterval(3600)) == nil)
            #expect(try await store.deleteSession(idHash: hash("1")))
            #expect(try await store.session(idHash: hash("1"), at: start) == nil)
            #expect(try await store.deleteSession(idHash: hash("1")) == false)
        },
        ConformanceCase("dashboard sessions: revoking the token ends every session of it; none starts for it") {
            fixture in
            let store = fixture.store
            let token = try await store.createToken(NewAPIToken(name: "ops", role: .operator, secretHash: hash("a")))
            let other = try await store.createToken(NewAPIToken(name: "other", role: .admin, secretHash: hash("b")))
            let now = fixture.clock.now()
            let later = now.addingTimeInterval(3600)
            for (seed, owner) in [("1", token.id), ("2", token.id), ("3", other.id)] as [(Character, UUID)] {
                _ = try await store.createSession(
                    NewDashboardSession(idHash: hash(seed), tokenID: owner, createdAt: now, expiresAt: later))
            }
            _ = try await store.revokeToken(id: token.id)
            #expect(try await store.session(idHash: hash("1"), at: now) == nil)
            #expect(try await store.session(idHash: hash("2"), at: now) == nil)
            #expect(try await store.session(idHash: hash("3"), at: now)?.token.id == other.id)
            await expectError(.notFound, field: "token_id") {
                try await store.createSession(
                    NewDashboardSession(idHash: hash("4"), tokenID: token.id, createdAt: now, expiresAt: later))
            }
        },
        ConformanceCase("dashboard sessions: expired ones are pruned, explicitly and when a session starts") {
            fixture in
            let store = fixture.store
            let token = try await store.createToken(NewAPIToken(name: "ops", role: .operator, secretHash: hash("a")))
            let now = fixture.clock.now()
            for (seed, minutes) in [("1", 1), ("2", 2), ("3", 10)] as [(Character, Double)] {
                _ = try await store.createSession(
                    NewDashboardSession(
                        idHash: hash(seed), tokenID: token.id, createdAt: now,
                        expiresAt: now.addingTimeInterval(minutes * 60)))
            }
            #expect(try await store.deleteExpiredSessions(before: now.addingTimeInterval(60)) == 1)
            #expect(try await store.deleteExpiredSessions(before: now.addingTimeInterval(60)) == 0)
            _ = try await store.createSession(
                NewDashboardSession(
                    idHash: hash("4"), tokenID: token.id, createdAt: now.addingTimeInterval(180),
                    expiresAt: now.addingTimeInterval(3600)))
            #expect(try await store.deleteExpiredSessions(before: now.addingTimeInterval(180)) == 0)
            #expect(try await store.deleteExpiredSessions(before: now.addingTimeInterval(3600)) == 2)
        },
        ConformanceCase("a downloaded creative belongs to the brands whose ads have it") { fixture in
            let store = fixture.store
            let beans = try await store.createBrand(name: "Beans")
            let other = try await store.createBrand(name: "Other")
            let rival = try await store.createCompetitor(CompetitorRequest(brandID: beans.id, name: "Rival"))
            _ = try await store.saveAds(competitorID: rival.id, [scrapedAd("1001")])
            let contentHash = String(repeating: "ab", count: 32)
            try await store.recordAssets(
                brandID: beans.id, archiveID: "1001",
                [
                    AdAssetRecord(
                        asset: ScrapedAsset(kind: .image, sourceURL: "https://cdn.example/a.jpg"), state: .downloaded,
                        contentHash: contentHash, contentType: "image/jpeg", byteCount: 10)
                ])
            #expect(try await store.hasAsset(contentHash: contentHash, brandID: beans.id))
            #expect(try await store.hasAsset(contentHash: contentHash, brandID: other.id) == false)
            #expect(
                try await store.hasAsset(contentHash: String(repeating: "cd", count: 32), brandID: beans.id) == false)
        },
    ]
}
