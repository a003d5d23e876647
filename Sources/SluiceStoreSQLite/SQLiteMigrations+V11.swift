extension SQLiteMigrations {
    /// Migration 11: a rate limiter hands out turns to the runs that release their worker slot while they wait for a
    /// token (``SluiceStore/PipelineStore/takeRateLimitTurn(limiter:after:)``): `next_turn_at` is the first turn not
    /// yet given, in microseconds since 1970, NULL before the first.
    static let schemaV11 = """
        ALTER TABLE rate_limiters ADD COLUMN next_turn_at INTEGER;
        """
}
