import AsyncHTTPClient
import Foundation
import SluiceCore

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
        http: HTTPClient = .connectors
    ) {
        transport = MetaGraphTransport(settings: settings, retryPolicy: retryPolicy, http: http)
    }

    /// How many consecutive empty pages that still carry a `next` cursor are followed before giving up. Meta's docs
    /// call an empty `data` the end of the results, but a cursor beside it says there is more (the API answers so
    /// when its backend gives up on a page), so a few such pages are tried.
    public static let emptyPagesFollowed = 3

    /// Fetches the ads of `query`, page by page, until `maximum` distinct ads or the end of the results. Before each
    /// request it calls `beforeRequest` (take a rate-limit token there); each page's ads that were not seen before go
    /// to `onPage` (an ad repeated across a page boundary is passed and counted once); each backoff is reported to
    /// `onBackoff`.
    /// - Returns: how many ads were fetched and why the fetch stopped.
    /// - Throws: ``MetaAPIError`` when the API refuses for good (token, permission, bad request) or keeps failing
    ///   after the retry policy's attempts; `CancellationError` when cancelled.
    public func fetchAds(
        _ query: AdLibraryQuery, maximum: Int, pageSize: Int = 100,
        beforeRequest: @Sendable () async throws -> Void = {},
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void = { _, _ in },
        onPage: ([ArchivedAd]) async throws -> Void
    ) async throws -> AdFetchSummary {
        var seen: Set<String> = []
        var summary = AdFetchSummary()
        var after: String?
        var emptyPages = 0
        while true {
            var parameters = query.apiParameters
            parameters.append(("fields", Self.fields.joined(separator: ",")))
            parameters.append(("limit", String(min(pageSize, maximum - summary.fetched))))
            if let after { parameters.append(("after", after)) }
            let page = try await transport.send(
                path: "ads_archive", parameters: parameters, as: GraphPage<ArchivedAd>.self,
                beforeRequest: beforeRequest, onBackoff: onBackoff)
            var fresh: [ArchivedAd] = []
            for ad in page.items where fresh.count < maximum - summary.fetched {
                if seen.insert(ad.id).inserted { fresh.append(ad) } else { summary.repeatedAds += 1 }
            }
            if !fresh.isEmpty { try await onPage(fresh) }
            summary.fetched += fresh.count
            emptyPages = page.items.isEmpty ? emptyPages + 1 : 0
            if summary.fetched >= maximum {
                summary.stop = .reachedMaximum
                break
            }
            guard let next = page.after else {
                summary.stop = .endOfResults
                break
            }
            if emptyPages >= Self.emptyPagesFollowed {
                summary.stop = .emptyPagesWithCursor(emptyPages)
                break
            }
            after = next
        }
        return summary
    }
}

/// What a paged fetch of ads got, and why it stopped.
public struct AdFetchSummary: Sendable, Hashable {
    /// Why the fetch stopped.
    public enum Stop: Sendable, Hashable {
        /// It has the ads asked for.
        case reachedMaximum
        /// The source has no more ads.
        case endOfResults
        /// The source kept answering empty pages that claim more results; the results are probably incomplete.
        case emptyPagesWithCursor(Int)
    }

    /// Distinct ads fetched.
    public var fetched = 0
    /// Ads skipped because an earlier page had them already.
    public var repeatedAds = 0
    /// Why it stopped.
    public var stop = Stop.endOfResults

    /// Creates an empty summary.
    public init() {}

    /// Why the fetch stopped short of `maximum` ads, for a run's log and result; nil when it did not, or when the
    /// source simply has no more.
    public var shortfall: String? {
        switch stop {
        case .reachedMaximum, .endOfResults: nil
        case .emptyPagesWithCursor(let pages):
            "the Ad Library answered \(pages) empty pages in a row that still claimed more results; "
                + "the results are probably incomplete"
        }
    }
}
