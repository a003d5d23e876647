import Foundation
import SluiceAdIntelModel
import SluiceCore
import SluiceStore
import Testing

extension StoreConformance {
    static let insightWindowCases: [ConformanceCase] = [
        ConformanceCase("a re-pulled window deletes the rows it no longer has, only in its account and dates") {
            fixture in
            let store = fixture.store
            let brand = try await store.createBrand(name: "Beans")
            func row(_ ad: String, _ date: String, account: String = "act_42") -> AdInsightRow {
                AdInsightRow(
                    adAccountID: account, adID: ad, adName: nil, date: date, impressions: 10, clicks: 1, reach: 9,
                    spend: 1, actions: [:])
            }
            _ = try await store.saveInsights(
                brandID: brand.id,
                [
                    row("1", "2026-03-01"), row("2", "2026-03-01"), row("1", "2026-03-02"), row("1", "2026-03-05"),
                    row("9", "2026-03-02", account: "act_7"),
                ])
            let kept: Set<InsightKey> = [
                InsightKey(adID: "1", date: "2026-03-01"), InsightKey(adID: "1", date: "2026-03-02"),
            ]
            let deleted = try await store.deleteInsights(
                brandID: brand.id, adAccountID: "act_42", since: "2026-03-01", until: "2026-03-04", keeping: kept)
            #expect(deleted == 1)
            let left = try await store.insights(brandID: brand.id, since: "2026-03-01", until: "2026-03-31")
            #expect(
                left.map { "\($0.adAccountID)/\($0.adID)/\($0.date)" }.sorted() == [
                    "act_42/1/2026-03-01", "act_42/1/2026-03-02", "act_42/1/2026-03-05", "act_7/9/2026-03-02",
                ])
            #expect(
                try await store.deleteInsights(
                    brandID: brand.id, adAccountID: "act_42", since: "2026-03-01", until: "2026-03-04", keeping: kept)
                    == 0)
        }
    ]
}
