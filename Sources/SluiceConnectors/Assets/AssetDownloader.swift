import Foundation
import SluiceStore

/// Downloads ad creatives safely into an ``AssetStore``: through ``SafeHTTPClient`` (public addresses only, each
/// redirect re-checked, a byte cap while streaming), accepting only image and video content whose magic bytes
/// match its Content-Type. An expired signed CDN URL (HTTP 403 "URL signature expired") is recorded as expired, not
/// retried: a re-scrape brings a fresh URL.
public struct AssetDownloader: Sendable {
    let http: SafeHTTPClient
    let store: AssetStore
    let maximumBytes: Int

    /// Creates a downloader. `egress` is `.publicOnly` outside tests.
    public init(store: AssetStore, egress: EgressPolicy = .publicOnly, maximumBytes: Int = 50 << 20) {
        http = SafeHTTPClient(policy: egress, timeout: .seconds(60))
        self.store = store
        self.maximumBytes = maximumBytes
    }

    /// Downloads one creative. Every outcome is a record; `retryable` says whether another attempt may change it
    /// (a 5xx, a 429, a dropped connection), never for an expired URL, a refusal or a full disk.
    public func download(_ asset: ScrapedAsset) async -> (record: AdAssetRecord, retryable: Bool) {
        let response: SafeHTTPResponse
        do {
            response = try await http.send(SafeHTTPRequest(url: asset.sourceURL), maximumBytes: maximumBytes)
        } catch let error as EgressError {
            return (AdAssetRecord(asset: asset, state: .refused, error: error.description), false)
        } catch {
            return (AdAssetRecord(asset: asset, state: .failed, error: "download failed: \(error)"), true)
        }
        let body = String(decoding: response.body.prefix(200), as: UTF8.self)
        if response.status == 403, body.localizedCaseInsensitiveContains("signature expired") {
            return (AdAssetRecord(asset: asset, state: .expired, error: "URL signature expired"), false)
        }
        guard (200..<300).contains(response.status) else {
            let failed = AdAssetRecord(asset: asset, state: .failed, error: "HTTP \(response.status)")
            return (failed, response.status >= 500 || response.status == 429)
        }
        let contentType = response.headers.first(name: "content-type") ?? ""
        guard let media = MediaType(contentType: contentType) else {
            let error = "content type \(contentType.prefix(60)) is not an image or video"
            return (AdAssetRecord(asset: asset, state: .refused, error: error), false)
        }
        guard media.matches(response.body) else {
            let error = "the bytes are not \(media.rawValue) as the server claims"
            return (AdAssetRecord(asset: asset, state: .refused, error: error), false)
        }
        guard media.isComplete(response.body) else {
            // Cut short or padded: the body does not match what was sent (a length mismatch); another try may do.
            let error = "the \(response.body.count) bytes are not a complete \(media.rawValue) file (a length mismatch)"
            return (AdAssetRecord(asset: asset, state: .failed, error: error), true)
        }
        do {
            let saved = try store.save(response.body, fileExtension: media.fileExtension)
            let record = AdAssetRecord(
                asset: asset, state: .downloaded, contentHash: saved.hash, contentType: media.rawValue,
                byteCount: response.body.count)
            return (record, false)
        } catch {
            return (
                AdAssetRecord(asset: asset, state: .failed, error: "cannot write to the asset store: \(error)"), false
            )
        }
    }
}
