import SluiceAdIntelModel
import SluiceStore

/// Which of an ad's creatives are already downloaded. A creative is one slot of the ad (its kind and card); its URL
/// changes with every scrape (Meta signs CDN URLs for a few days), so a download recorded under an earlier URL of the
/// same slot still counts.
struct CreativeCoverage {
    private let downloadedSlots: Set<Slot>
    private let downloadedURLs: Set<String>
    private let recordedAny: Bool

    private struct Slot: Hashable {
        let kind: ScrapedAsset.Kind
        let cardIndex: Int
    }

    init(_ records: [AdAssetRecord]) {
        let downloaded = records.filter { $0.state == .downloaded && $0.contentHash != nil }
        downloadedSlots = Set(downloaded.map { Slot(kind: $0.asset.kind, cardIndex: $0.asset.cardIndex) })
        downloadedURLs = Set(downloaded.map(\.asset.sourceURL))
        recordedAny = !downloaded.isEmpty
    }

    /// Whether `asset` (or another URL of its slot) is already downloaded.
    func covers(_ asset: ScrapedAsset) -> Bool {
        downloadedURLs.contains(asset.sourceURL)
            || downloadedSlots.contains(Slot(kind: asset.kind, cardIndex: asset.cardIndex))
    }

    /// Whether an ad listing `assets` still has creatives to download: one not covered, or, for an ad whose source
    /// lists none (they come from its snapshot), no download at all yet.
    func needsDownload(of assets: [ScrapedAsset]) -> Bool {
        assets.isEmpty ? !recordedAny : !assets.allSatisfy(covers)
    }
}
