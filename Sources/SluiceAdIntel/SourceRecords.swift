import Foundation
import SluiceAdIntelModel
import SluiceConnectors
import SluiceStore

// What the connectors decode, as the records the store keeps. The connectors know the APIs' shapes; the handlers
// decide what of them is kept.

extension ScrapedAd {
    /// An ad of the Ad Library API; platforms are kept lowercase.
    init(_ ad: ArchivedAd) {
        self.init(
            archiveID: ad.id, pageID: ad.pageID, pageName: ad.pageName, isActive: ad.stoppedAt == nil,
            startedAt: ad.startedAt, endedAt: ad.stoppedAt, platforms: ad.publisherPlatforms.map { $0.lowercased() },
            bodies: ad.creativeBodies, titles: ad.creativeLinkTitles)
    }

    /// An ad of the scraper feed, with its creatives' media; platforms are kept lowercase, formats uppercase.
    init(_ ad: FeedAd) {
        self.init(
            archiveID: ad.archiveID, pageID: ad.pageID, pageName: ad.pageName, isActive: ad.isActive,
            startedAt: ad.startedAt, endedAt: ad.endedAt, platforms: ad.publisherPlatforms.map { $0.lowercased() },
            displayFormat: ad.snapshot?.displayFormat?.uppercased(), bodies: ad.snapshot?.bodyText.map { [$0] } ?? [],
            titles: ad.snapshot?.title.map { [$0] } ?? [], linkURL: ad.snapshot?.linkURL,
            callToAction: ad.snapshot?.callToAction, collationCount: ad.collationCount,
            assets: (ad.snapshot?.media ?? []).map(ScrapedAsset.init))
    }
}

extension ScrapedAsset {
    /// A creative's image or video as a source listed it.
    init(_ media: CreativeMedia) {
        let kind: Kind =
            switch media.kind {
            case .image: .image
            case .video: .video
            }
        self.init(kind: kind, sourceURL: media.url, cardIndex: media.cardIndex)
    }
}

extension AdInsightRow {
    /// A day of an ad's insights in `account`.
    init(_ record: InsightRecord, account: String) {
        self.init(
            adAccountID: account, adID: record.adID, adName: record.adName, date: record.dateStart,
            impressions: record.impressions, clicks: record.clicks, reach: record.reach, spend: record.spend,
            actions: record.actions)
    }
}

extension AdAssetRecord {
    /// What became of `asset`'s download.
    init(_ asset: ScrapedAsset, _ download: AssetDownload) {
        switch download {
        case .downloaded(let hash, let contentType, let byteCount):
            self.init(
                asset: asset, state: .downloaded, contentHash: hash, contentType: contentType, byteCount: byteCount)
        case .expired: self.init(asset: asset, state: .expired, error: "URL signature expired")
        case .refused(let reason): self.init(asset: asset, state: .refused, error: reason)
        case .failed(let reason, _): self.init(asset: asset, state: .failed, error: reason)
        }
    }
}

extension AssetDownload {
    /// Whether another attempt may change the outcome.
    var isRetryable: Bool {
        if case .failed(_, let retryable) = self { retryable } else { false }
    }
}
