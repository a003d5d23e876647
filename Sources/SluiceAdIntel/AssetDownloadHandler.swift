import Foundation
import SluiceAdIntelModel
import SluiceConnectors
import SluiceCore
import SluiceEngine
import SluiceStore

/// `asset_download`: downloads the creatives of one ad into the content-addressed asset store and records what became
/// of each (downloaded, expired, refused, failed). An ad whose source listed no creatives has its snapshot rendered
/// to find them, taking a `meta_ad_render` token; when that token is more than 2 seconds away, the run gives its worker
/// slot back until its turn (its attempt not counted), so waiting downloads never hold the slots other work needs.
/// Only failures that may pass are retried.
public struct AssetDownloadHandler: JobHandler {
    let store: any AdIntelStore
    let downloader: AssetDownloader
    let snapshots: AdSnapshotClient
    let longestTokenWait: Duration

    /// Creates the handler. A run gives its worker slot back rather than wait longer than `longestTokenWait` for a
    /// render token (see ``RunContext/acquireToken(_:releasingSlotAfter:)``).
    public init(
        store: any AdIntelStore, downloader: AssetDownloader, snapshots: AdSnapshotClient,
        longestTokenWait: Duration = .seconds(2)
    ) {
        self.store = store
        self.downloader = downloader
        self.snapshots = snapshots
        self.longestTokenWait = longestTokenWait
    }

    public func run(_ context: RunContext) async throws -> JobOutcome {
        let archiveID = try context.parameters.string("archive_id")
        let ad: CompetitorAd
        do {
            ad = try await store.competitorAd(brandID: context.run.brandID, archiveID: archiveID)
        } catch let error as SluiceError where error.code == .notFound {
            throw SluiceError.invalidParameter("archive_id", "the brand has no ad \(archiveID.prefix(30))")
        }
        var assets = ad.ad.assets
        if assets.isEmpty {
            try await context.acquireToken("meta_ad_render", releasingSlotAfter: longestTokenWait)
            assets = try await snapshots.creatives(ofAd: archiveID).map(ScrapedAsset.init)
            context.log("found \(assets.count) creatives in the ad's snapshot")
        }
        // A creative downloaded before (under this URL or an earlier one of its slot) is kept: a manual run after
        // the URLs expired must not turn it into "expired".
        let coverage = CreativeCoverage(
            try await store.adAssets(brandID: context.run.brandID, archiveID: archiveID))
        let kept = assets.filter(coverage.covers).count
        if kept > 0 { context.log("\(kept) of \(assets.count) creatives are already downloaded; kept") }
        var records: [AdAssetRecord] = []
        var retryableError: String?
        for (index, asset) in assets.enumerated() where !coverage.covers(asset) {
            try context.checkCancellation()
            context.progress(
                Double(index) / Double(max(assets.count, 1)), "downloading creative \(index + 1) of \(assets.count)")
            let download = await downloader.download(from: asset.sourceURL)
            let record = AdAssetRecord(asset, download)
            if let error = record.error {
                context.log("creative \(index + 1): \(record.state.rawValue): \(error)", level: .warning)
                if download.isRetryable { retryableError = retryableError ?? error }
            }
            records.append(record)
        }
        try await store.recordAssets(brandID: context.run.brandID, archiveID: archiveID, records)
        if let retryableError { throw AssetDownloadFailure(message: retryableError) }
        let downloaded = records.filter { $0.state == .downloaded }.count
        func count(_ state: AdAssetRecord.State) -> JSONValue {
            .int(Int64(records.filter { $0.state == state }.count))
        }
        context.progress(1, "\(downloaded + kept) of \(assets.count) creatives downloaded")
        return JobOutcome(
            result: [
                "creatives": .int(Int64(assets.count)), "downloaded": count(.downloaded), "kept": .int(Int64(kept)),
                "expired": count(.expired), "refused": count(.refused),
            ], rowsWritten: Int64(downloaded))
    }
}

/// A download failure that another attempt may fix (a 5xx, a dropped connection).
struct AssetDownloadFailure: RetryableError, CustomStringConvertible {
    let message: String
    var isRetryable: Bool { true }
    var description: String { message }
}
