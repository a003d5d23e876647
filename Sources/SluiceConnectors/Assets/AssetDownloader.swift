import Foundation

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

    /// Downloads one creative from `url`. Every outcome is an ``AssetDownload``; a failure says whether another
    /// attempt may change it (a 5xx, a 429, a dropped connection, a short body), never for an expired URL, a refusal
    /// or a full disk.
    public func download(from url: String) async -> AssetDownload {
        let response: SafeHTTPResponse
        do {
            response = try await http.send(SafeHTTPRequest(url: url), maximumBytes: maximumBytes)
        } catch let error as EgressError {
            return .refused(error.description)
        } catch {
            return .failed("download failed: \(error)", retryable: true)
        }
        let body = String(decoding: response.body.prefix(200), as: UTF8.self)
        if response.status == 403, body.localizedCaseInsensitiveContains("signature expired") {
            return .expired
        }
        guard (200..<300).contains(response.status) else {
            return .failed("HTTP \(response.status)", retryable: response.status >= 500 || response.status == 429)
        }
        let contentType = response.headers.first(name: "content-type") ?? ""
        guard let media = MediaType(contentType: contentType) else {
            return .refused("content type \(contentType.prefix(60)) is not an image or video")
        }
        guard media.matches(response.body) else {
            return .refused("the bytes are not \(media.rawValue) as the server claims")
        }
        guard media.isComplete(response.body) else {
            // Cut short or padded: the body does not match what was sent (a length mismatch); another try may do.
            return .failed(
                "the \(response.body.count) bytes are not a complete \(media.rawValue) file (a length mismatch)",
                retryable: true)
        }
        do {
            let saved = try store.save(response.body, fileExtension: media.fileExtension)
            return .downloaded(contentHash: saved.hash, contentType: media.rawValue, byteCount: response.body.count)
        } catch {
            return .failed("cannot write to the asset store: \(error)", retryable: false)
        }
    }
}

/// What became of one download.
public enum AssetDownload: Sendable, Hashable {
    /// Stored in the asset store under its SHA-256 (hex).
    case downloaded(contentHash: String, contentType: String, byteCount: Int)
    /// The signed CDN URL expired (HTTP 403 "URL signature expired"); a fresh URL is needed.
    case expired
    /// Refused by the egress policy, or not an image or video: retrying cannot help.
    case refused(String)
    /// Failed otherwise; `retryable` says whether another attempt may succeed.
    case failed(String, retryable: Bool)
}
