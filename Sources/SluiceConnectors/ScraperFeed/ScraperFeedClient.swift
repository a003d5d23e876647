import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore
import SluiceEngine
import SluiceStore

/// Where the Apify-shaped Ad Library scraper is and how to call it.
public struct ScraperFeedSettings: Sendable {
    /// The API's base URL. Defaults to `https://api.apify.com`.
    public var baseURL: String
    /// The API token, sent in the Authorization header.
    public var token: String
    /// The actor that scrapes the Ad Library.
    public var actor: String

    /// Creates settings.
    public init(
        baseURL: String = "https://api.apify.com", token: String,
        actor: String = "curious_coder~facebook-ads-library-scraper"
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.token = token
        self.actor = actor
    }
}

/// A scraper feed failure; a refused token or bad input is not retryable, the rest is.
public struct ScraperFeedError: RetryableError, Sendable, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public let isRetryable: Bool
    public var description: String { "scraper feed: \(message)" }
}

/// The second source of competitor ads (the API returns commercial ads only when they reached the EU): an
/// Apify-shaped actor run with the Ad Library URL and a limit, polled until it succeeds, then its dataset paged.
/// Its items carry the creatives' image and video URLs.
public struct ScraperFeedClient: Sendable {
    let settings: ScraperFeedSettings
    let pollInterval: Duration
    let http: HTTPClient

    /// Creates a client; `pollInterval` is the wait between run status checks (default 5 s).
    public init(settings: ScraperFeedSettings, pollInterval: Duration = .seconds(5), http: HTTPClient = .connectors) {
        self.settings = settings
        self.pollInterval = pollInterval
        self.http = http
    }

    /// Scrapes up to `maximum` ads of `adLibraryURL`, passing each page of the dataset to `onPage`.
    /// - Throws: ``ScraperFeedError``; `CancellationError`.
    public func fetchAds(
        adLibraryURL: String, maximum: Int, onStatus: @Sendable (String) -> Void = { _ in },
        onPage: ([ScrapedAd]) async throws -> Void
    ) async throws -> Int {
        let input = JSONValue.object([
            "urls": .array([.object(["url": .string(adLibraryURL)])]), "count": .int(Int64(maximum)),
        ]).jsonText
        let started = try await call(.POST, "/v2/acts/\(settings.actor)/runs", body: input)
        guard case .object(let run) = started["data"], case .string(let runID) = run["id"],
            case .string(let datasetID) = run["defaultDatasetId"]
        else { throw ScraperFeedError(message: "the run's id is missing", isRetryable: true) }
        while true {
            let status = try await call(.GET, "/v2/actor-runs/\(runID)")
            guard case .object(let data) = status["data"], case .string(let state) = data["status"] else {
                throw ScraperFeedError(message: "the run's status is missing", isRetryable: true)
            }
            onStatus("scraper run \(runID): \(state)")
            if state == "SUCCEEDED" { break }
            if ["FAILED", "ABORTED", "TIMED-OUT"].contains(state) {
                throw ScraperFeedError(message: "the scraper run ended \(state)", isRetryable: true)
            }
            try await Task.sleep(for: pollInterval)
        }
        var offset = 0
        while offset < maximum {
            let items = try await callArray(
                "/v2/datasets/\(datasetID)/items?offset=\(offset)&limit=\(min(100, maximum - offset))")
            guard !items.isEmpty else { break }
            let ads = items.compactMap { if case .object(let item) = $0 { Self.ad(item) } else { nil } }
            try await onPage(Array(ads.prefix(maximum - offset)))
            offset += items.count
        }
        return min(offset, maximum)
    }

    private func call(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> JSONObject {
        guard case .object(let object) = try await send(method, path, body: body) else {
            throw ScraperFeedError(message: "\(path) did not answer an object", isRetryable: true)
        }
        return object
    }

    private func callArray(_ path: String) async throws -> [JSONValue] {
        guard case .array(let items) = try await send(.GET, path, body: nil) else {
            throw ScraperFeedError(message: "dataset items are not a list", isRetryable: true)
        }
        return items
    }

    private func send(_ method: HTTPMethod, _ path: String, body: String?) async throws -> JSONValue {
        var request = HTTPClientRequest(url: settings.baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(settings.token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(60))
            bytes = try await response.body.collect(upTo: 32 << 20)
        } catch {
            try rethrowIfCancelled(error)
            throw ScraperFeedError(message: "request failed: \(error)", isRetryable: true)
        }
        let status = Int(response.status.code)
        let text = String(buffer: bytes)
        guard (200..<300).contains(status) else {
            throw ScraperFeedError(
                message: "HTTP \(status): \(text.prefix(200))", isRetryable: status >= 500 || status == 429)
        }
        guard let value = try? JSONValue(parsing: text) else {
            throw ScraperFeedError(message: "the response is not complete JSON", isRetryable: true)
        }
        return value
    }

    /// A dataset item as a scraped ad (camelCase or snake_case keys); nil without a numeric archive id.
    static func ad(_ item: JSONObject) -> ScrapedAd? {
        func value(_ names: String...) -> JSONValue? { names.lazy.compactMap { item[$0] }.first }
        func text(_ value: JSONValue?) -> String? { if case .string(let text) = value { text } else { nil } }
        func date(_ value: JSONValue?) -> Date? {
            if case .int(let seconds) = value { Date(timeIntervalSince1970: TimeInterval(seconds)) } else { nil }
        }
        guard let id = text(value("adArchiveID", "ad_archive_id")), !id.isEmpty, id.allSatisfy(\.isNumber) else {
            return nil
        }
        var snapshot: JSONObject = [:]
        if case .object(let object) = item["snapshot"] { snapshot = object }
        var bodies: [String] = []
        if case .object(let body) = snapshot["body"], let textBody = text(body["text"]) { bodies.append(textBody) }
        var assets: [ScrapedAsset] = []
        if case .array(let images) = snapshot["images"] {
            for case .object(let image) in images {
                if let url = text(image["original_image_url"]) ?? text(image["resized_image_url"]) {
                    assets.append(ScrapedAsset(kind: .image, sourceURL: url))
                }
            }
        }
        if case .array(let videos) = snapshot["videos"] {
            for case .object(let video) in videos {
                if let url = text(video["video_hd_url"]) ?? text(video["video_sd_url"]) {
                    assets.append(ScrapedAsset(kind: .video, sourceURL: url))
                }
            }
        }
        var platforms: [String] = []
        if case .array(let items) = value("publisherPlatform", "publisher_platform") {
            platforms = items.compactMap(text).map { $0.lowercased() }
        }
        var collation: Int?
        if case .int(let count) = value("collationCount", "collation_count") { collation = Int(count) }
        let active: Bool = if case .bool(let flag) = value("isActive", "is_active") { flag } else { false }
        return ScrapedAd(
            archiveID: id, pageID: text(value("pageID", "page_id")), pageName: text(value("pageName", "page_name")),
            isActive: active, startedAt: date(value("startDate", "start_date")),
            endedAt: date(value("endDate", "end_date")),
            platforms: platforms, displayFormat: text(snapshot["display_format"])?.uppercased(), bodies: bodies,
            titles: text(snapshot["title"]).map { [$0] } ?? [], linkURL: text(snapshot["link_url"]),
            callToAction: text(snapshot["cta_type"]), collationCount: collation, assets: assets)
    }
}
