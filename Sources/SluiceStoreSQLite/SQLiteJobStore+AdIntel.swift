import Foundation
import GRDB
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

extension SQLiteJobStore: AdIntelStore {
    public func createCompetitor(_ request: CompetitorRequest) async throws -> Competitor {
        try request.validate()
        let competitor = Competitor(
            id: UUID(), brandID: request.brandID, name: request.name, pageID: request.pageID,
            adLibraryURL: request.adLibraryURL, createdAt: configuration.now())
        try await write { db in
            guard
                try Row.fetchOne(db, sql: "SELECT 1 FROM brands WHERE id = ?", arguments: [request.brandID.storageText])
                    != nil
            else {
                throw BrandRules.missing(request.brandID)
            }
            try db.execute(
                sql: """
                    INSERT INTO competitors (id, brand_id, name, page_id, ad_library_url, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    competitor.id.storageText, request.brandID.storageText, request.name, request.pageID,
                    request.adLibraryURL, competitor.createdAt.microsecondsSince1970,
                ])
        }
        return competitor
    }

    public func competitors(brandID: UUID) async throws -> [Competitor] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT \(Self.competitorColumns) FROM competitors WHERE brand_id = ? ORDER BY name, id",
                arguments: [brandID.storageText]
            ).map(Self.competitor)
        }
    }

    public func competitor(id: UUID) async throws -> Competitor {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.competitorColumns) FROM competitors WHERE id = ?",
                    arguments: [id.storageText])
            else { throw SluiceError(.notFound, "competitor \(id.storageText) does not exist", field: "competitor_id") }
            return try Self.competitor(row)
        }
    }

    public func updateCompetitor(
        id: UUID, name: String, pageID: String?, adLibraryURL: String?
    ) async throws -> Competitor {
        try await write { db in
            guard
                let brandText = try String.fetchOne(
                    db, sql: "SELECT brand_id FROM competitors WHERE id = ?", arguments: [id.storageText])
            else { throw SluiceError(.notFound, "competitor \(id.storageText) does not exist", field: "competitor_id") }
            let request = CompetitorRequest(
                brandID: try StoredPipelineValues.uuid(brandText), name: name, pageID: pageID,
                adLibraryURL: adLibraryURL)
            try request.validate()
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE competitors SET name = ?, page_id = ?, ad_library_url = ? WHERE id = ?
                        RETURNING \(Self.competitorColumns)
                        """, arguments: [name, pageID, adLibraryURL, id.storageText])
            else { throw SluiceError(.notFound, "competitor \(id.storageText) does not exist", field: "competitor_id") }
            return try Self.competitor(row)
        }
    }

    public func deleteCompetitor(id: UUID) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM competitors WHERE id = ?", arguments: [id.storageText])
            guard db.changesCount > 0 else {
                throw SluiceError(.notFound, "competitor \(id.storageText) does not exist", field: "competitor_id")
            }
        }
    }

    public func saveAds(competitorID: UUID, _ ads: [ScrapedAd]) async throws -> AdUpsertResult {
        for ad in ads { try ad.validate() }
        let now = configuration.now().microsecondsSince1970
        return try await write { db in
            guard
                let brandText = try String.fetchOne(
                    db, sql: "SELECT brand_id FROM competitors WHERE id = ?", arguments: [competitorID.storageText])
            else {
                throw SluiceError(
                    .notFound, "competitor \(competitorID.storageText) does not exist", field: "competitor_id")
            }
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO competitor_ads (brand_id, competitor_id, archive_id, page_id, page_name, is_active,
                        started_at, ended_at, platforms, display_format, bodies, titles, link_url, call_to_action,
                        collation_count, assets, first_seen_at, last_seen_at)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)
                    ON CONFLICT (brand_id, archive_id) DO UPDATE SET competitor_id = excluded.competitor_id,
                        page_id = excluded.page_id, page_name = excluded.page_name, is_active = excluded.is_active,
                        started_at = excluded.started_at, ended_at = excluded.ended_at, platforms = excluded.platforms,
                        display_format = excluded.display_format, bodies = excluded.bodies, titles = excluded.titles,
                        link_url = excluded.link_url, call_to_action = excluded.call_to_action,
                        collation_count = excluded.collation_count, assets = excluded.assets,
                        last_seen_at = excluded.last_seen_at
                    """)
            var fresh: [String] = []
            var updated = 0
            var seen: Set<String> = []
            for ad in ads where seen.insert(ad.archiveID).inserted {
                let existed =
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM competitor_ads WHERE brand_id = ? AND archive_id = ?",
                        arguments: [brandText, ad.archiveID]) != nil
                statement.arguments = [
                    brandText, competitorID.storageText, ad.archiveID, ad.pageID, ad.pageName, ad.isActive,
                    ad.startedAt?.microsecondsSince1970, ad.endedAt?.microsecondsSince1970,
                    StoredAdValues.listText(ad.platforms), ad.displayFormat, StoredAdValues.listText(ad.bodies),
                    StoredAdValues.listText(ad.titles), ad.linkURL, ad.callToAction, ad.collationCount,
                    StoredAdValues.assetsText(ad.assets), now,
                ]
                try statement.execute()
                if existed { updated += 1 } else { fresh.append(ad.archiveID) }
            }
            return AdUpsertResult(newArchiveIDs: fresh, updated: updated)
        }
    }

    public func competitorAds(_ query: CompetitorAdQuery) async throws -> Page<CompetitorAd> {
        try PageLimit.validate(query.limit)
        let after = try PageCursor.decode(query.cursor)
        return try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT \(Self.adColumns) FROM competitor_ads
                    WHERE brand_id = ?1 AND (?2 IS NULL OR competitor_id = ?2) AND (?3 IS NULL OR id < ?3)
                    ORDER BY id DESC LIMIT ?4
                    """,
                arguments: [query.brandID.storageText, query.competitorID?.storageText, after, query.limit + 1])
            return Page(fetched: try rows.map(Self.competitorAd), limit: query.limit, id: \.id)
        }
    }

    public func competitorAd(brandID: UUID, archiveID: String) async throws -> CompetitorAd {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT \(Self.adColumns) FROM competitor_ads WHERE brand_id = ? AND archive_id = ?",
                    arguments: [brandID.storageText, archiveID])
            else { throw SluiceError(.notFound, "ad \(archiveID.prefix(40)) does not exist", field: "archive_id") }
            return try Self.competitorAd(row)
        }
    }

    public func recordAssets(brandID: UUID, archiveID: String, _ records: [AdAssetRecord]) async throws {
        let now = configuration.now().microsecondsSince1970
        try await write { db in
            guard
                let adID = try Int64.fetchOne(
                    db, sql: "SELECT id FROM competitor_ads WHERE brand_id = ? AND archive_id = ?",
                    arguments: [brandID.storageText, archiveID])
            else { throw SluiceError(.notFound, "ad \(archiveID.prefix(40)) does not exist", field: "archive_id") }
            for record in records {
                try db.execute(
                    sql: """
                        INSERT INTO ad_assets (ad_id, source_url, kind, card_index, state, content_hash, content_type,
                            byte_count, error, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (ad_id, source_url) DO UPDATE SET kind = excluded.kind,
                            card_index = excluded.card_index, state = excluded.state,
                            content_hash = excluded.content_hash, content_type = excluded.content_type,
                            byte_count = excluded.byte_count, error = excluded.error, updated_at = excluded.updated_at
                        """,
                    arguments: [
                        adID, record.asset.sourceURL, record.asset.kind.rawValue, record.asset.cardIndex,
                        record.state.rawValue, record.contentHash, record.contentType, record.byteCount,
                        record.error.map(StoreArguments.storableError), now,
                    ])
            }
        }
    }

    public func adAssets(brandID: UUID, archiveID: String) async throws -> [AdAssetRecord] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.source_url, a.kind, a.card_index, a.state, a.content_hash, a.content_type, a.byte_count,
                        a.error
                    FROM ad_assets a JOIN competitor_ads c ON c.id = a.ad_id
                    WHERE c.brand_id = ? AND c.archive_id = ? ORDER BY a.card_index, a.source_url
                    """, arguments: [brandID.storageText, archiveID]
            ).map { row in
                guard let kind = ScrapedAsset.Kind(rawValue: row[1]), let state = AdAssetRecord.State(rawValue: row[3])
                else { throw SluiceError(.storageFailure, "stored asset is invalid") }
                return AdAssetRecord(
                    asset: ScrapedAsset(kind: kind, sourceURL: row[0], cardIndex: row[2]), state: state,
                    contentHash: row[4], contentType: row[5], byteCount: row[6], error: row[7])
            }
        }
    }

    public func saveInsights(brandID: UUID, _ rows: [AdInsightRow]) async throws -> InsightUpsertResult {
        for row in rows { try row.validate() }
        let now = configuration.now().microsecondsSince1970
        return try await write { db in
            guard
                try Row.fetchOne(db, sql: "SELECT 1 FROM brands WHERE id = ?", arguments: [brandID.storageText]) != nil
            else { throw BrandRules.missing(brandID) }
            var inserted = 0
            for row in rows {
                let existed =
                    try Row.fetchOne(
                        db, sql: "SELECT 1 FROM ad_insights WHERE brand_id = ? AND ad_id = ? AND date = ?",
                        arguments: [brandID.storageText, row.adID, row.date]) != nil
                try db.execute(
                    sql: """
                        INSERT INTO ad_insights (brand_id, ad_id, date, ad_account_id, ad_name, impressions, clicks,
                            reach, spend, actions, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (brand_id, ad_id, date) DO UPDATE SET ad_account_id = excluded.ad_account_id,
                            ad_name = excluded.ad_name, impressions = excluded.impressions, clicks = excluded.clicks,
                            reach = excluded.reach, spend = excluded.spend, actions = excluded.actions,
                            updated_at = excluded.updated_at
                        """,
                    arguments: [
                        brandID.storageText, row.adID, row.date, row.adAccountID, row.adName, row.impressions,
                        row.clicks, row.reach, StoredAdValues.decimalText(row.spend),
                        StoredAdValues.actionsText(row.actions), now,
                    ])
                if !existed { inserted += 1 }
            }
            return InsightUpsertResult(inserted: inserted, updated: rows.count - inserted)
        }
    }

    public func insights(brandID: UUID, since: String, until: String) async throws -> [AdInsightRow] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT ad_account_id, ad_id, ad_name, date, impressions, clicks, reach, spend, actions
                    FROM ad_insights WHERE brand_id = ? AND date >= ? AND date <= ? ORDER BY date, ad_id
                    """, arguments: [brandID.storageText, since, until]
            ).map { row in
                AdInsightRow(
                    adAccountID: row[0], adID: row[1], adName: row[2], date: row[3], impressions: row[4],
                    clicks: row[5], reach: row[6], spend: try StoredAdValues.decimal(row[7]),
                    actions: try StoredAdValues.actions(row[8]))
            }
        }
    }

    public func saveTemplates(brandID: UUID, _ templates: [AdTemplate]) async throws -> Int {
        for template in templates { try template.ad.validate() }
        let now = configuration.now().microsecondsSince1970
        return try await write { db in
            guard
                try Row.fetchOne(db, sql: "SELECT 1 FROM brands WHERE id = ?", arguments: [brandID.storageText]) != nil
            else { throw BrandRules.missing(brandID) }
            var new = 0
            for template in templates {
                let existed =
                    try Row.fetchOne(
                        db, sql: "SELECT 1 FROM ad_templates WHERE brand_id = ? AND archive_id = ?",
                        arguments: [brandID.storageText, template.ad.archiveID]) != nil
                try db.execute(
                    sql: """
                        INSERT INTO ad_templates (brand_id, archive_id, ad, search_terms, reason, saved_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (brand_id, archive_id) DO UPDATE SET ad = excluded.ad,
                            search_terms = excluded.search_terms, reason = excluded.reason, saved_at = excluded.saved_at
                        """,
                    arguments: [
                        brandID.storageText, template.ad.archiveID, StoredAdValues.adText(template.ad),
                        template.searchTerms, template.reason, now,
                    ])
                if !existed { new += 1 }
            }
            return new
        }
    }

    public func templates(brandID: UUID, limit: Int) async throws -> [AdTemplate] {
        try PageLimit.validate(limit)
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT ad, search_terms, reason, saved_at FROM ad_templates WHERE brand_id = ?
                    ORDER BY saved_at DESC, archive_id LIMIT ?
                    """, arguments: [brandID.storageText, limit]
            ).map { row in
                AdTemplate(
                    ad: try StoredAdValues.ad(row[0]), searchTerms: row[1], reason: row[2],
                    savedAt: Date(microsecondsSince1970: row[3]))
            }
        }
    }

    private static let competitorColumns = "id, brand_id, name, page_id, ad_library_url, created_at"

    private static let adColumns = """
        id, brand_id, competitor_id, archive_id, page_id, page_name, is_active, started_at, ended_at, platforms,
        display_format, bodies, titles, link_url, call_to_action, collation_count, assets, first_seen_at, last_seen_at
        """

    private static func competitor(_ row: Row) throws -> Competitor {
        Competitor(
            id: try StoredPipelineValues.uuid(row[0]), brandID: try StoredPipelineValues.uuid(row[1]), name: row[2],
            pageID: row[3], adLibraryURL: row[4], createdAt: Date(microsecondsSince1970: row[5]))
    }

    private static func competitorAd(_ row: Row) throws -> CompetitorAd {
        let ad = ScrapedAd(
            archiveID: row[3], pageID: row[4], pageName: row[5], isActive: row[6], startedAt: SQLiteRows.date(row[7]),
            endedAt: SQLiteRows.date(row[8]), platforms: try StoredAdValues.list(row[9]), displayFormat: row[10],
            bodies: try StoredAdValues.list(row[11]), titles: try StoredAdValues.list(row[12]), linkURL: row[13],
            callToAction: row[14], collationCount: row[15], assets: try StoredAdValues.assets(row[16]))
        return CompetitorAd(
            id: row[0], brandID: try StoredPipelineValues.uuid(row[1]),
            competitorID: try StoredPipelineValues.uuid(row[2]), ad: ad,
            firstSeenAt: Date(microsecondsSince1970: row[17]), lastSeenAt: Date(microsecondsSince1970: row[18]))
    }
}
