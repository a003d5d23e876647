import AsyncHTTPClient
import Foundation
import NIOCore

/// Finds an ad's creatives when its source gave none (the Ad Library API does not list image or video URLs): it
/// renders the ad's snapshot (`/ads/archive/render_ad/?id=…`, rebuilt from the id, since the API's snapshot URL
/// embeds the token and is never stored) and reads the `src` of its images and videos.
public struct AdSnapshotClient: Sendable {
    let settings: MetaGraphSettings
    let http: HTTPClient

    /// Creates a client.
    public init(settings: MetaGraphSettings, http: HTTPClient = .connectors) {
        self.settings = settings
        self.http = http
    }

    /// The creatives of the ad `archiveID`, in page order (images and videos; a video's poster is not one).
    /// - Throws: ``MetaAPIError`` when the snapshot cannot be had.
    public func creatives(ofAd archiveID: String) async throws -> [CreativeMedia] {
        guard !settings.accessToken.isEmpty else { throw MetaAPIError.missingAccessToken }
        var components = URLComponents(string: "\(settings.snapshotBaseURL)/ads/archive/render_ad/")
        // The render endpoint takes the token only in the query; this URL is built here and never stored or logged.
        components?.queryItems = [
            URLQueryItem(name: "id", value: archiveID), URLQueryItem(name: "access_token", value: settings.accessToken),
        ]
        guard let url = components?.url?.absoluteString else {
            throw MetaAPIError(
                status: 0, code: 100, subcode: nil, message: "the snapshot base URL is not a valid URL",
                isTransient: false,
                traceID: nil, regainAccessAfter: nil)
        }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(30))
            body = try await response.body.collect(upTo: 4 << 20)
        } catch {
            try rethrowIfCancelled(error)
            throw MetaAPIError(
                status: 0, code: 2, subcode: nil, message: "snapshot request failed: \(error)", isTransient: true,
                traceID: nil, regainAccessAfter: nil)
        }
        let status = Int(response.status.code)
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(status) else {
            throw MetaAPIError.parse(status: status, body: bytes, usageHeader: nil)
                ?? MetaAPIError(
                    status: status, code: status >= 500 ? 2 : 100, subcode: nil, message: "snapshot HTTP \(status)",
                    isTransient: status >= 500, traceID: nil, regainAccessAfter: nil)
        }
        return Self.creatives(inHTML: String(decoding: bytes, as: UTF8.self))
    }

    /// The `src` of every `<img>`, `<video>` and `<source>` tag, HTML entities decoded.
    static func creatives(inHTML html: String) -> [CreativeMedia] {
        let pattern = #"<(img|video|source)\b[^>]*?\ssrc\s*=\s*"([^"]+)""#
        guard let expression = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else {
            return []
        }
        let range = NSRange(html.startIndex..., in: html)
        var media: [CreativeMedia] = []
        for (index, match) in expression.matches(in: html, range: range).enumerated() {
            guard let tag = Range(match.range(at: 1), in: html), let source = Range(match.range(at: 2), in: html)
            else { continue }
            let url = html[source].replacingOccurrences(of: "&amp;", with: "&")
            let kind: CreativeMedia.Kind = html[tag].lowercased() == "img" ? .image : .video
            media.append(CreativeMedia(kind: kind, url: url, cardIndex: index))
        }
        return media
    }
}
