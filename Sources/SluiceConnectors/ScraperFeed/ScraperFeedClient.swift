import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

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
    /// - Returns: how many dataset items were read.
    /// - Throws: ``ScraperFeedError``; `CancellationError`.
    public func fetchAds(
        adLibraryURL: String, maximum: Int, onStatus: @Sendable (String) -> Void = { _ in },
        onPage: ([FeedAd]) async throws -> Void
    ) async throws -> Int {
        let input = JSONValue.object([
            "urls": .array([.object(["url": .string(adLibraryURL)])]), "count": .int(Int64(maximum)),
        ]).jsonText
        let started = try await send(.POST, "/v2/acts/\(settings.actor)/runs", body: input, as: FeedRun.self).data
        guard let datasetID = started.defaultDatasetId else {
            throw ScraperFeedError(message: "the run has no dataset", isRetryable: true)
        }
        while true {
            let state = try await send(.GET, "/v2/actor-runs/\(started.id)", as: FeedRun.self).data.status ?? "UNKNOWN"
            onStatus("scraper run \(started.id): \(state)")
            if state == "SUCCEEDED" { break }
            if ["FAILED", "ABORTED", "TIMED-OUT"].contains(state) {
                throw ScraperFeedError(message: "the scraper run ended \(state)", isRetryable: true)
            }
            try await Task.sleep(for: pollInterval)
        }
        var offset = 0
        while offset < maximum {
            let page = try await send(
                .GET, "/v2/datasets/\(datasetID)/items?offset=\(offset)&limit=\(min(100, maximum - offset))",
                as: LenientList<FeedAd>.self)
            guard page.count > 0 else { break }
            try await onPage(Array(page.elements.prefix(maximum - offset)))
            offset += page.count
        }
        return min(offset, maximum)
    }

    private func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: String? = nil, as type: Response.Type
    ) async throws -> Response {
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
        do {
            return try JSONDecoder().decode(Response.self, from: Data(bytes.readableBytesView))
        } catch {
            throw ScraperFeedError(message: "the response is not the JSON expected: \(error)", isRetryable: true)
        }
    }
}
