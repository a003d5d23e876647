extension PostgresMigrations {
    /// Migration 3: the ad-intelligence domain (brands, competitors, competitor ads).
    static let schemaV3 = [
        """
        CREATE TABLE brands (
            id UUID PRIMARY KEY,
            name TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        """
        CREATE TABLE competitors (
            id UUID PRIMARY KEY,
            brand_id UUID NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            page_id TEXT,
            ad_library_url TEXT,
            created_at TIMESTAMPTZ NOT NULL
        )
        """,
        "CREATE INDEX competitors_brand ON competitors (brand_id, name)",
        """
        CREATE TABLE competitor_ads (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            brand_id UUID NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
            competitor_id UUID NOT NULL REFERENCES competitors (id) ON DELETE CASCADE,
            archive_id TEXT NOT NULL,
            page_id TEXT,
            page_name TEXT,
            is_active BOOLEAN NOT NULL,
            started_at TIMESTAMPTZ,
            ended_at TIMESTAMPTZ,
            platforms TEXT NOT NULL,
            display_format TEXT,
            bodies TEXT NOT NULL,
            titles TEXT NOT NULL,
            link_url TEXT,
            call_to_action TEXT,
            collation_count INTEGER,
            assets TEXT NOT NULL,
            first_seen_at TIMESTAMPTZ NOT NULL,
            last_seen_at TIMESTAMPTZ NOT NULL,
            UNIQUE (brand_id, archive_id)
        )
        """,
        "CREATE INDEX competitor_ads_competitor ON competitor_ads (competitor_id, id)",
        "CREATE INDEX competitor_ads_brand ON competitor_ads (brand_id, id)",
        """
        CREATE TABLE ad_assets (
            ad_id BIGINT NOT NULL REFERENCES competitor_ads (id) ON DELETE CASCADE,
            source_url TEXT NOT NULL,
            kind TEXT NOT NULL,
            card_index INTEGER NOT NULL,
            state TEXT NOT NULL,
            content_hash TEXT,
            content_type TEXT,
            byte_count BIGINT,
            error TEXT,
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (ad_id, source_url)
        )
        """,
        "CREATE INDEX ad_assets_hash ON ad_assets (content_hash) WHERE content_hash IS NOT NULL",
        """
        CREATE TABLE ad_insights (
            brand_id UUID NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
            ad_id TEXT NOT NULL,
            date DATE NOT NULL,
            ad_account_id TEXT NOT NULL,
            ad_name TEXT,
            impressions BIGINT NOT NULL,
            clicks BIGINT NOT NULL,
            reach BIGINT NOT NULL,
            spend NUMERIC NOT NULL,
            actions TEXT NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (brand_id, ad_id, date)
        )
        """,
        "CREATE INDEX ad_insights_date ON ad_insights (brand_id, date)",
        """
        CREATE TABLE ad_templates (
            brand_id UUID NOT NULL REFERENCES brands (id) ON DELETE CASCADE,
            archive_id TEXT NOT NULL,
            ad TEXT NOT NULL,
            search_terms TEXT NOT NULL,
            reason TEXT NOT NULL,
            saved_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (brand_id, archive_id)
        )
        """,
        "CREATE INDEX ad_templates_saved ON ad_templates (brand_id, saved_at)",
    ]
}
