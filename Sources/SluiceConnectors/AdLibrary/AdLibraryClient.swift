import AsyncHTTPClient
import Foundation
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

extension MetaGraphSettings: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The settings without the access token: whatever prints them (a log line of a service's description,
    /// `dump`, string interpolation) never shows it.
    public var description: String {
        "MetaGraphSettings(baseURL: \(baseURL), version: \(version), snapshotBaseURL: \(snapshotBaseURL), "
            + "accessToken: \(accessToken.isEmpty ? "none" : "<redacted>"))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "version": version, "snapshotBaseURL": snapshotBaseURL,
                "accessToken": accessToken.isEmpty ? "none" : "<redacted>",
            ])
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

    let transport: MetaGraphTransport

    /// Creates a client.
    /// - Parameter retryPolicy: attempts per request and the backoff between them (default 6 attempts from 2 s,
    ///   doubling, at most 60 s).
    public init(
        settings: MetaGraphSettings,
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 6, initialDelay: .seconds(2), maximumDelay: .seconds(60)),
        http: HTTPClient = .shared
    ) {
        transport = MetaGraphTransport(settings: settings, retryPolicy: retryPolicy, http: http)
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
            let page = AdLibraryPage(
                json: try await transport.send(
                    path: "ads_archive", parameters: parameters, beforeRequest: beforeRequest, onBackoff: onBackoff))
            let ads = Array(page.ads.prefix(maximum - fetched))
            guard !ads.isEmpty else { break }
            try await onPage(ads)
            fetched += ads.count
            after = page.after
        } while after != nil && fetched < maximum
        return fetched
    }
}
