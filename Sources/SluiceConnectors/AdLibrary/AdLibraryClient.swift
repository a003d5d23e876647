import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore
import SluiceStore

/// Where the Meta Graph API is and how to call it. The base URL is configuration (the fakes in tests and the demo);
/// the access token is sent in the Authorization header, never in a URL, and never logged or stored.
public struct MetaGraphSettings: Sendable {
    /// The API's base URL. Defaults to `https://graph.facebook.com`.
    public var baseURL: String
    /// The Graph API version. Defaults to `v21.0`.
    public var version: String
    /// The access token.
    public var accessToken: String
    /// Where ad snapshots (`/ads/archive/render_ad/?id=`) are rendered. Defaults to `https://www.facebook.com`.
    public var snapshotBaseURL: String

    /// Creates settings.
    public init(
        baseURL: String = "https://graph.facebook.com", version: String = "v21.0", accessToken: String,
        snapshotBaseURL: String? = nil
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.version = version
        self.accessToken = accessToken
        let snapshot = snapshotBaseURL ?? "https://www.facebook.com"
        self.snapshotBaseURL = snapshot.hasSuffix("/") ? String(snapshot.dropLast()) : snapshot
    }
}

/// The Ad Library API client: `GET /{version}/ads_archive`, cursor paging, and backoff on throttles and transient
/// failures (honouring `estimated_time_to_regain_access`).
public struct AdLibraryClient: Sendable {
    /// The fields requested for each ad.
    static let fields = [
        "id", "page_id", "page_name", "ad_delivery_start_time", "ad_delivery_stop_time", "ad_creative_bodies",
        "ad_creative_link_titles", "publisher_platforms", "languages",
    ]

    let settings: MetaGraphSettings
    let retryPolicy: RetryPolicy
    let http: HTTPClient

    /// Creates a client.
    /// - Parameter retryPolicy: attempts per request and the backoff between them (default 6 attempts from 2 s,
    ///   doubling, at most 60 s).
    public init(
        settings: MetaGraphSettings,
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 6, initialDelay: .seconds(2), maximumDelay: .seconds(60)),
        http: HTTPClient = .shared
    ) {
        self.settings = settings
        self.retryPolicy = retryPolicy
        self.http = http
    }

    /// Fetches the ads of `query`, page by page, until `maximum` ads or the end of the results. Before each request
    /// it calls `beforeRequest` (take a rate-limit token there); each page's ads go to `onPage`; each backoff is
    /// reported to `onBackoff`. Returns the number of ads fetched.
    /// - Throws: ``MetaAPIError`` when the API refuses for good (token, permission, bad request) or keeps failing
    ///   after the retry policy's attempts; `CancellationError` when cancelled.
    public func fetchAds(
        _ query: AdLibraryQuery, maximum: Int, pageSize: Int = 100,
        beforeRequest: @Sendable () async throws -> Void = {},
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void = { _, _ in },
        onPage: ([ScrapedAd]) async throws -> Void
    ) async throws -> Int {
        var fetched = 0
        var after: String?
        repeat {
            var parameters = query.apiParameters
            parameters.append(("fields", Self.fields.joined(separator: ",")))
            parameters.append(("limit", String(min(pageSize, maximum - fetched))))
            if let after { parameters.append(("after", after)) }
            let page = try await request(parameters, beforeRequest: beforeRequest, onBackoff: onBackoff)
            let ads = Array(page.ads.prefix(maximum - fetched))
            guard !ads.isEmpty else { break }
            try await onPage(ads)
            fetched += ads.count
            after = page.after
        } while after != nil && fetched < maximum
        return fetched
    }

    /// One page, retried per the policy.
    private func request(
        _ parameters: [(name: String, value: String)], beforeRequest: @Sendable () async throws -> Void,
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void
    ) async throws -> AdLibraryPage {
        var components = URLComponents(string: "\(settings.baseURL)/\(settings.version)/ads_archive")
        components?.queryItems = parameters.map { URLQueryItem(name: $0.name, value: $0.value) }
        guard let url = components?.url?.absoluteString else {
            throw SluiceError.invalidArgument("base_url", "the Meta Graph base URL is not a valid URL")
        }
        var attempt = 0
        while true {
            attempt += 1
            try await beforeRequest()
            let failure: MetaAPIError
            do {
                return try await fetchPage(url)
            } catch let error as MetaAPIError {
                guard error.kind == .throttled || error.kind == .transient else { throw error }
                failure = error
            }
            guard case .retry(let at) = retryPolicy.decision(afterAttempt: attempt, at: Date()) else { throw failure }
            let delay = max(
                Duration.milliseconds(Int64(max(0, at.timeIntervalSinceNow) * 1000)), failure.regainAccessAfter ?? .zero
            )
            onBackoff(failure, delay)
            try await Task.sleep(for: delay)
        }
    }

    private func fetchPage(_ url: String) async throws -> AdLibraryPage {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(settings.accessToken)")
        request.headers.add(name: "Accept", value: "application/json")
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(60))
            body = try await response.body.collect(upTo: 32 << 20)
        } catch {
            // The connection failed: as transient as a 5xx.
            throw MetaAPIError(
                status: 0, code: 2, subcode: nil, message: "request failed: \(error)", isTransient: true, traceID: nil,
                regainAccessAfter: nil)
        }
        let bytes = Array(body.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            throw MetaAPIError.parse(
                status: status, body: bytes, usageHeader: response.headers.first(name: "x-business-use-case-usage"))
                ?? MetaAPIError(
                    status: status, code: status >= 500 ? 2 : 100, subcode: nil,
                    message: "HTTP \(status) without an error envelope", isTransient: status >= 500, traceID: nil,
                    regainAccessAfter: nil)
        }
        guard let page = AdLibraryPage(json: bytes) else {
            throw MetaAPIError(
                status: status, code: 2, subcode: nil, message: "the response is not complete JSON", isTransient: true,
                traceID: nil, regainAccessAfter: nil)
        }
        return page
    }
}
