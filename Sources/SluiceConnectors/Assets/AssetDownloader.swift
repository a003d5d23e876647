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

    /// Downloads one creative; every outcome is a record. Failures that may pass (a 5xx, a connection error) are
    /// `.failed` and marked retryable by ``isRetryable(_:)``.
    public func download(_ asset: ScrapedAsset) async -> AdAssetRecord {
        let response: SafeHTTPResponse
        do {
            response = try await http.send(SafeHTTPRequest(url: asset.sourceURL), maximumBytes: maximumBytes)
        } catch let error as EgressError {
            return AdAssetRecord(asset: asset, state: .refused, error: error.description)
        } catch {
            return AdAssetRecord(asset: asset, state: .failed, error: "download failed: \(error)")
        }
        let body = String(decoding: response.body.prefix(200), as: UTF8.self)
        if response.status == 403, body.localizedCaseInsensitiveContains("signature expired") {
            return AdAssetRecord(asset: asset, state: .expired, error: "URL signature expired")
        }
        guard (200..<300).contains(response.status) else {
            return AdAssetRecord(asset: asset, state: .failed, error: "HTTP \(response.status)")
        }
        let contentType = response.headers.first(name: "content-type") ?? ""
        guard let media = MediaType(contentType: contentType) else {
            return AdAssetRecord(
                asset: asset, state: .refused, error: "content type \(contentType.prefix(60)) is not an image or video")
        }
        guard media.matches(response.body) else {
            return AdAssetRecord(
                asset: asset, state: .refused, error: "the bytes are not \(media.rawValue) as the server claims")
        }
        do {
            let saved = try store.save(response.body, fileExtension: media.fileExtension)
            return AdAssetRecord(
                asset: asset, state: .downloaded, contentHash: saved.hash, contentType: media.rawValue,
                byteCount: response.body.count)
        } catch {
            return AdAssetRecord(asset: asset, state: .failed, error: "cannot write to the asset store: \(error)")
        }
    }

    /// Whether another attempt may change the outcome of `record`.
    public static func isRetryable(_ record: AdAssetRecord) -> Bool {
        guard record.state == .failed, let error = record.error else { return false }
        return error.hasPrefix("HTTP 5") || error.hasPrefix("download failed") || error.hasPrefix("HTTP 429")
    }
}
