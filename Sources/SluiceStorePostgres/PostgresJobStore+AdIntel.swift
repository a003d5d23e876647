import Foundation
import PostgresNIO
import SluiceAdIntelModel
import SluiceCore
import SluiceStore

extension PostgresJobStore: AdIntelStore {
    public func createCompetitor(_ request: CompetitorRequest) async throws -> Competitor {
        try request.validate()
        let competitor = Competitor(
            id: UUID(), brandID: request.brandID, name: request.name, pageID: request.pageID,
            adLibraryURL: request.adLibraryURL, createdAt: configuration.now())
        let inserted = try await rows(
            """
            INSERT INTO competitors (id, brand_id, name, page_id, ad_library_url, created_at)
            SELECT \(competitor.id), id, \(request.name), \(request.pageID), \(request.adLibraryURL),
                \(competitor.createdAt)
            FROM brands WHERE id = \(request.brandID)
            RETURNING id
            """)
        guard !inserted.isEmpty else {
            throw BrandRules.missing(request.brandID)
        }
        return competitor
    }

    public func competitors(brandID: UUID) async throws -> [Competitor] {
        try await rows(
            """
            SELECT \(unescaped: Self.competitorColumns) FROM competitors WHERE brand_id = \(brandID) ORDER BY name, id
            """
        ).map(Self.competitor)
    }

    public func competitor(id: UUID) async throws -> Competitor {
        guard
            let row = try await rows("SELECT \(unescaped: Self.competitorColumns) FROM competitors WHERE id = \(id)")
                .first
        else {
            throw SluiceError(
                .notFound, "competitor \(id.uuidString.lowercased()) does not exist", field: "competitor_id")
        }
        return try Self.competitor(row)
    }

    public func updateCompetitor(
        id: UUID, name: String, pageID: String?, adLibraryURL: String?
    ) async throws -> Competitor {
        let notFound = SluiceError(
            .notFound, "competitor \(id.uuidString.lowercased()) does not exist", field: "competitor_id")
        return try await transaction { connection in
            guard
                let owner = try await rows(
                    "SELECT brand_id FROM competitors WHERE id = \(id) FOR UPDATE", on: connection
                ).first
            else { throw notFound }
            let request = CompetitorRequest(
                brandID: try owner["brand_id"].decode(UUID.self), name: name, pageID: pageID,
                adLibraryURL: adLibraryURL)
            try request.validate()
            guard
                let row = try await rows(
                    """
                    UPDATE competitors SET name = \(name), page_id = \(pageID), ad_library_url = \(adLibraryURL)
                    WHERE id = \(id)
                    RETURNING \(unescaped: Self.competitorColumns)
                    """, on: connection
                ).first
            else { throw notFound }
            return try Self.competitor(row)
        }
    }

    public func deleteCompetitor(id: UUID) async throws {
        guard try await !rows("DELETE FROM competitors WHERE id = \(id) RETURNING id").isEmpty else {
            throw SluiceError(
                .notFound, "competitor \(id.uuidString.lowercased()) does not exist", field: "competitor_id")
        }
    }

    /// One transaction per batch, one upsert per ad on (brand, archive id); `xmax = 0` tells an inserted row from an
    /// updated one.
    public func saveAds(competitorID: UUID, _ ads: [ScrapedAd]) async throws -> AdUpsertResult {
        for ad in ads { try ad.validate() }
        var seen: Set<String> = []
        let unique = ads.filter { seen.insert($0.archiveID).inserted }
        let now = configuration.now()
        return try await transaction { connection in
            guard
                let owner = try await rows(
                    "SELECT brand_id FROM competitors WHERE id = \(competitorID) FOR SHARE", on: connection
                ).first
            else {
                throw SluiceError(
                    .notFound, "competitor \(competitorID.uuidString.lowercased()) does not exist",
                    field: "competitor_id")
            }
            let brandID = try owner["brand_id"].decode(UUID.self)
            var fresh: [String] = []
            for ad in unique {
                let saved = try await rows(
                    """
                    INSERT INTO competitor_ads (brand_id, competitor_id, archive_id, page_id, page_name, is_active,
                        started_at, ended_at, platforms, display_format, bodies, titles, link_url, call_to_action,
                        collation_count, assets, first_seen_at, last_seen_at)
                    VALUES (\(brandID), \(competitorID), \(ad.archiveID), \(ad.pageID), \(ad.pageName), \(ad.isActive),
                        \(ad.startedAt), \(ad.endedAt), \(StoredAdValues.listText(ad.platforms)), \(ad.displayFormat),
                        \(StoredAdValues.listText(ad.bodies)), \(StoredAdValues.listText(ad.titles)), \(ad.linkURL),
                        \(ad.callToAction), \(ad.collationCount), \(StoredAdValues.assetsText(ad.assets)), \(now), \(now))
                    ON CONFLICT (brand_id, archive_id) DO UPDATE SET competitor_id = excluded.competitor_id,
                        page_id = excluded.page_id, page_name = excluded.page_name, is_active = excluded.is_active,
                        started_at = excluded.started_at, ended_at = excluded.ended_at, platforms = excluded.platforms,
                        display_format = excluded.display_format, bodies = excluded.bodies, titles = excluded.titles,
                        link_url = excluded.link_url, call_to_action = excluded.call_to_action,
                        collation_count = excluded.collation_count, assets = excluded.assets,
                        last_seen_at = excluded.last_seen_at
                    RETURNING (xmax = 0) AS inserted
                    """, on: connection)
                if try saved.first?["inserted"].decode(Bool.self) == true { fresh.append(ad.archiveID) }
            }
            return AdUpsertResult(newArchiveIDs: fresh, updated: unique.count - fresh.count)
        }
    }

    public func competitorAds(_ query: CompetitorAdQuery) async throws -> Page<CompetitorAd> {
        try PageLimit.validate(query.limit)
        let after = try PageCursor.decode(query.cursor)
        let rows = try await rows(
            """
            SELECT \(unescaped: Self.adColumns) FROM competitor_ads
            WHERE brand_id = \(query.brandID) AND (\(query.competitorID)::uuid IS NULL OR competitor_id = \(query.competitorID))
                AND (\(after)::bigint IS NULL OR id < \(after))
            ORDER BY id DESC LIMIT \(query.limit + 1)
            """)
        return Page(fetched: try rows.map(Self.competitorAd), limit: query.limit, id: \.id)
    }

    public func competitorAd(brandID: UUID, archiveID: String) async throws -> CompetitorAd {
        guard
            let row = try await rows(
                """
                SELECT \(unescaped: Self.adColumns) FROM competitor_ads
                WHERE brand_id = \(brandID) AND archive_id = \(archiveID)
                """
            ).first
        else { throw SluiceError(.notFound, "ad \(archiveID.prefix(40)) does not exist", field: "archive_id") }
        return try Self.competitorAd(row)
    }

    public func recordAssets(brandID: UUID, archiveID: String, _ records: [AdAssetRecord]) async throws {
        let now = configuration.now()
        try await transaction { connection in
            guard
                let ad = try await rows(
                    "SELECT id FROM competitor_ads WHERE brand_id = \(brandID) AND archive_id = \(archiveID)",
                    on: connection
                ).first
            else { throw SluiceError(.notFound, "ad \(archiveID.prefix(40)) does not exist", field: "archive_id") }
            let adID = try ad["id"].decode(Int64.self)
            for record in records {
                _ = try await rows(
                    """
                    INSERT INTO ad_assets (ad_id, source_url, kind, card_index, state, content_hash, content_type,
                        byte_count, error, updated_at)
                    VALUES (\(adID), \(record.asset.sourceURL), \(record.asset.kind.rawValue), \(record.asset.cardIndex),
                        \(record.state.rawValue), \(record.contentHash), \(record.contentType), \(record.byteCount),
                        \(record.error.map(StoreArguments.storableError)), \(now))
                    ON CONFLICT (ad_id, source_url) DO UPDATE SET kind = excluded.kind,
                        card_index = excluded.card_index, state = excluded.state, content_hash = excluded.content_hash,
                        content_type = excluded.content_type, byte_count = excluded.byte_count, error = excluded.error,
                        updated_at = excluded.updated_at
                    """, on: connection)
            }
        }
    }

    public func adAssets(brandID: UUID, archiveID: String) async throws -> [AdAssetRecord] {
        try await rows(
            """
            SELECT a.source_url, a.kind, a.card_index, a.state, a.content_hash, a.content_type, a.byte_count, a.error
            FROM ad_assets a JOIN competitor_ads c ON c.id = a.ad_id
            WHERE c.brand_id = \(brandID) AND c.archive_id = \(archiveID) ORDER BY a.card_index, a.source_url
            """
        ).map { row in
            guard let kind = ScrapedAsset.Kind(rawValue: try row["kind"].decode(String.self)),
                let state = AdAssetRecord.State(rawValue: try row["state"].decode(String.self))
            else { throw SluiceError(.storageFailure, "stored asset is invalid") }
            return AdAssetRecord(
                asset: ScrapedAsset(
                    kind: kind, sourceURL: try row["source_url"].decode(String.self),
                    cardIndex: try row["card_index"].decode(Int.self)),
                state: state, contentHash: try row["content_hash"].decode(String?.self),
                contentType: try row["content_type"].decode(String?.self),
                byteCount: try row["byte_count"].decode(Int?.self), error: try row["error"].decode(String?.self))
        }
    }

    public func saveInsights(brandID: UUID, _ rows: [AdInsightRow]) async throws -> InsightUpsertResult {
        for row in rows { try row.validate() }
        let now = configuration.now()
        return try await transaction { connection in
            guard try await !self.rows("SELECT 1 FROM brands WHERE id = \(brandID)", on: connection).isEmpty else {
                throw BrandRules.missing(brandID)
            }
            var inserted = 0
            for row in rows {
                let saved = try await self.rows(
                    """
                    INSERT INTO ad_insights (brand_id, ad_id, date, ad_account_id, ad_name, impressions, clicks, reach,
                        spend, actions, updated_at)
                    VALUES (\(brandID), \(row.adID), \(row.date)::date, \(row.adAccountID), \(row.adName),
                        \(row.impressions), \(row.clicks), \(row.reach), \(StoredAdValues.decimalText(row.spend))::numeric,
                        \(StoredAdValues.actionsText(row.actions)), \(now))
                    ON CONFLICT (brand_id, ad_id, date) DO UPDATE SET ad_account_id = excluded.ad_account_id,
                        ad_name = excluded.ad_name, impressions = excluded.impressions, clicks = excluded.clicks,
                        reach = excluded.reach, spend = excluded.spend, actions = excluded.actions,
                        updated_at = excluded.updated_at
                    RETURNING (xmax = 0) AS inserted
                    """, on: connection)
                if try saved.first?["inserted"].decode(Bool.self) == true { inserted += 1 }
            }
            return InsightUpsertResult(inserted: inserted, updated: rows.count - inserted)
        }
    }

    public func insights(brandID: UUID, since: String, until: String) async throws -> [AdInsightRow] {
        try await rows(
            """
            SELECT ad_account_id, ad_id, ad_name, to_char(date, 'YYYY-MM-DD') AS day, impressions, clicks, reach,
                spend::text AS spend_text, actions
            FROM ad_insights WHERE brand_id = \(brandID) AND date >= \(since)::date AND date <= \(until)::date
            ORDER BY date, ad_id
            """
        ).map { row in
            AdInsightRow(
                adAccountID: try row["ad_account_id"].decode(String.self), adID: try row["ad_id"].decode(String.self),
                adName: try row["ad_name"].decode(String?.self), date: try row["day"].decode(String.self),
                impressions: try row["impressions"].decode(Int64.self), clicks: try row["clicks"].decode(Int64.self),
                reach: try row["reach"].decode(Int64.self),
                spend: try StoredAdValues.decimal(row["spend_text"].decode(String.self)),
                actions: try StoredAdValues.actions(row["actions"].decode(String.self)))
        }
    }

    public func saveTemplates(brandID: UUID, _ templates: [AdTemplate]) async throws -> Int {
        for template in templates { try template.ad.validate() }
        let now = configuration.now()
        return try await transaction { connection in
            guard try await !self.rows("SELECT 1 FROM brands WHERE id = \(brandID)", on: connection).isEmpty else {
                throw BrandRules.missing(brandID)
            }
            var new = 0
            for template in templates {
                let saved = try await self.rows(
                    """
                    INSERT INTO ad_templates (brand_id, archive_id, ad, search_terms, reason, saved_at)
                    VALUES (\(brandID), \(template.ad.archiveID), \(StoredAdValues.adText(template.ad)),
                        \(template.searchTerms), \(template.reason), \(now))
                    ON CONFLICT (brand_id, archive_id) DO UPDATE SET ad = excluded.ad,
                        search_terms = excluded.search_terms, reason = excluded.reason, saved_at = excluded.saved_at
                    RETURNING (xmax = 0) AS inserted
                    """, on: connection)
                if try saved.first?["inserted"].decode(Bool.self) == true { new += 1 }
            }
            return new
        }
    }

    public func templates(brandID: UUID, limit: Int) async throws -> [AdTemplate] {
        try PageLimit.validate(limit)
        return try await rows(
            """
            SELECT ad, search_terms, reason, saved_at FROM ad_templates WHERE brand_id = \(brandID)
            ORDER BY saved_at DESC, archive_id LIMIT \(limit)
            """
        ).map { row in
            AdTemplate(
                ad: try StoredAdValues.ad(row["ad"].decode(String.self)),
                searchTerms: try row["search_terms"].decode(String.self), reason: try row["reason"].decode(String.self),
                savedAt: try row["saved_at"].instant())
        }
    }

    private static let competitorColumns = "id, brand_id, name, page_id, ad_library_url, created_at"

    private static let adColumns = """
        id, brand_id, competitor_id, archive_id, page_id, page_name, is_active, started_at, ended_at, platforms,
        display_format, bodies, titles, link_url, call_to_action, collation_count, assets, first_seen_at, last_seen_at
        """

    private static func competitor(_ row: PostgresRandomAccessRow) throws -> Competitor {
        Competitor(
            id: try row["id"].decode(UUID.self), brandID: try row["brand_id"].decode(UUID.self),
            name: try row["name"].decode(String.self), pageID: try row["page_id"].decode(String?.self),
            adLibraryURL: try row["ad_library_url"].decode(String?.self), createdAt: try row["created_at"].instant())
    }

    private static func competitorAd(_ row: PostgresRandomAccessRow) throws -> CompetitorAd {
        let ad = ScrapedAd(
            archiveID: try row["archive_id"].decode(String.self), pageID: try row["page_id"].decode(String?.self),
            pageName: try row["page_name"].decode(String?.self), isActive: try row["is_active"].decode(Bool.self),
            startedAt: try row["started_at"].optionalInstant(), endedAt: try row["ended_at"].optionalInstant(),
            platforms: try StoredAdValues.list(row["platforms"].decode(String.self)),
            displayFormat: try row["display_format"].decode(String?.self),
            bodies: try StoredAdValues.list(row["bodies"].decode(String.self)),
            titles: try StoredAdValues.list(row["titles"].decode(String.self)),
            linkURL: try row["link_url"].decode(String?.self),
            callToAction: try row["call_to_action"].decode(String?.self),
            collationCount: try row["collation_count"].decode(Int?.self),
            assets: try StoredAdValues.assets(row["assets"].decode(String.self)))
        return CompetitorAd(
            id: try row["id"].decode(Int64.self), brandID: try row["brand_id"].decode(UUID.self),
            competitorID: try row["competitor_id"].decode(UUID.self), ad: ad,
            firstSeenAt: try row["first_seen_at"].instant(), lastSeenAt: try row["last_seen_at"].instant())
    }
}
