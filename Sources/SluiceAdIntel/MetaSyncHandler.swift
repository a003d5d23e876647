import Foundation
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceStore

/// `meta_sync`: re-pulls the trailing `days` (default 28, since Meta revises recent days) of the brand's ad-level
/// daily insights and upserts them; each request takes a token of the shared `meta_insights` limiter.
public struct MetaSyncHandler: JobHandler {
    let store: any AdIntelStore
    let insights: InsightsClient
    let clock: any WallClock

    /// Creates the handler.
    public init(store: any AdIntelStore, insights: InsightsClient, clock: any WallClock = SystemWallClock()) {
        self.store = store
        self.insights = insights
        self.clock = clock
    }

    public func run(_ context: RunContext) async throws -> JobOutcome {
        let rawAccount = try context.parameters.string("ad_account_id")
        let account = rawAccount.hasPrefix("act_") ? rawAccount : "act_\(rawAccount)"
        guard account.dropFirst(4).allSatisfy(\.isNumber), account.count > 4 else {
            throw SluiceError.invalidParameter("ad_account_id", "must be act_ followed by digits")
        }
        let days = try context.parameters.int("days")
        let today = clock.now()
        let until = Self.day(today)
        let since = Self.day(today.addingTimeInterval(Double(-(days - 1)) * 86_400))
        context.log("syncing \(account) insights from \(since) to \(until)")
        var inserted = 0
        var updated = 0
        var pulled: Set<InsightKey> = []
        let rows = try await insights.dailyAdInsights(
            account: account, since: since, until: until, days: days,
            beforeRequest: { try await context.acquireToken("meta_insights") },
            onBackoff: { error, delay in
                context.log("Meta API: \(error.description); retrying in \(delay)", level: .warning)
            },
            onStatus: { status in context.log(status) }
        ) { records in
            let page = records.map { AdInsightRow($0, account: account) }
            let saved = try await store.saveInsights(brandID: context.run.brandID, page)
            pulled.formUnion(page.map { InsightKey(adID: $0.adID, date: $0.date) })
            inserted += saved.inserted
            updated += saved.updated
            context.progress(0.5, "saved \(inserted + updated) daily rows")
            try context.checkCancellation()
        }
        // The window is replaced, not only upserted: a row Meta no longer reports (a revised day without
        // delivery) is removed.
        let removed = try await store.deleteInsights(
            brandID: context.run.brandID, adAccountID: account, since: since, until: until, keeping: pulled)
        let summary = "saved \(rows) daily rows: \(inserted) new, \(updated) revised, \(removed) no longer reported"
        context.log(summary)
        context.progress(1, summary)
        return JobOutcome(
            result: [
                "rows": .int(Int64(rows)), "inserted": .int(Int64(inserted)), "updated": .int(Int64(updated)),
                "removed": .int(Int64(removed)), "since": .string(since), "until": .string(until),
            ], rowsWritten: Int64(rows + removed))
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day())
    }
}
