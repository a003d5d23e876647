import Foundation
import SluiceCore
import SluiceFakes
import SluiceStore
import SluiceTestSupport
import Synchronization
import Testing

@testable import SluiceConnectors

@Suite("Ad Library client against the fake Graph API")
struct AdLibraryClientTests {
    static let quickRetries = RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(50), jitter: 0)

    static func client(_ base: String, token: String = "fake-token") -> AdLibraryClient {
        AdLibraryClient(
            settings: MetaGraphSettings(baseURL: base, accessToken: token), retryPolicy: quickRetries)
    }

    static let rivalPage =
        "https://www.facebook.com/ads/library/?active_status=all&ad_type=all&country=US"
        + "&media_type=all&search_type=page&view_all_page_id=123456"

    @Test("500 ads over several pages, through a throttle and a truncated page, each ad once")
    func pagesThroughFaults() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let query = try AdLibraryQuery(webURL: Self.rivalPage)
            let backoffs = Mutex<[Int]>([])
            var ids: [String] = []
            var pages = 0
            let fetched = try await Self.client(base).fetchAds(
                query, maximum: 500, pageSize: 100,
                beforeRequest: {
                    // Faults land mid-stream: after the second page.
                    if fake.requests.count == 2 {
                        fake.fail(next: 1, with: .throttle(code: 613))
                        fake.fail(next: 1, with: .truncatedJSON)
                    }
                },
                onBackoff: { error, _ in backoffs.withLock { $0.append(error.code) } }
            ) { ads in
                pages += 1
                ids += ads.map(\.id)
            }
            #expect(fetched.fetched == 500 && fetched.stop == .reachedMaximum)
            #expect(ids.count == 500 && Set(ids).count == 500)
            #expect(pages == 5)
            #expect(backoffs.withLock { $0 } == [613, 2])
            let requests = fake.requests
            #expect(requests.count == 7)
            #expect(requests.allSatisfy { $0.authorization == "Bearer fake-token" && $0.query["access_token"] == nil })
            #expect(requests.allSatisfy { $0.query["search_page_ids"] == "[\"123456\"]" })
            #expect(requests[3].at - requests[2].at >= .milliseconds(45), "backed off after the throttle")
        }
    }

    @Test("ads are mapped: dates, activity, platforms, bodies and titles")
    func mapsAds() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let query = try AdLibraryQuery(
                webURL: "https://www.facebook.com/ads/library/?country=US&view_all_page_id=345678&search_type=page"
                    + "&active_status=all")
            var ads: [ArchivedAd] = []
            _ = try await Self.client(base).fetchAds(query, maximum: 100) { page in
                ads += page
            }
            #expect(ads.count == 35)
            let first = try #require(ads.first)
            #expect(
                first.pageName == "Roast Republic" && first.creativeBodies.count == 1
                    && first.creativeLinkTitles.count == 1)
            #expect(ads.contains { $0.stoppedAt != nil } && ads.contains { $0.stoppedAt == nil })
            #expect(
                ads.allSatisfy {
                    $0.startedAt != nil && $0.publisherPlatforms.map { $0.lowercased() }.contains("facebook")
                })
        }
    }

    @Test("a refused token fails at once with a clear message, without retries")
    func refusedToken() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let query = try AdLibraryQuery(webURL: Self.rivalPage)
            let error = try await #require(throws: MetaAPIError.self) {
                try await Self.client(base, token: "expired").fetchAds(query, maximum: 10) { _ in }
            }
            #expect(error.code == 190 && error.kind == .authorization)
            #expect(error.description.contains("access token") && !error.description.contains("expired\","))
            #expect(fake.requests.count == 1)
        }
    }

    @Test("a throttle that outlasts the retry policy fails the request")
    func persistentThrottle() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            fake.fail(next: 10, with: .throttle(code: 4))
            let query = try AdLibraryQuery(webURL: Self.rivalPage)
            let error = try await #require(throws: MetaAPIError.self) {
                try await Self.client(base).fetchAds(query, maximum: 10) { _ in }
            }
            #expect(error.kind == .throttled && fake.requests.count == 4)
        }
    }
}

extension AdLibraryClientTests {
    @Test("an empty page that still carries a cursor is followed, and an ad repeated across pages counts once")
    func emptyPagesAndRepeats() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let query = try AdLibraryQuery(webURL: Self.rivalPage)
            // After the first page: one empty page with a cursor, then a page that repeats the previous page's last ad.
            fake.fail(next: 1, with: .emptyPageWithCursor, afterCalls: 1)
            fake.fail(next: 1, with: .repeatedAdAcrossPages)
            var ids: [String] = []
            let summary = try await Self.client(base).fetchAds(query, maximum: 300, pageSize: 100) {
                ids += $0.map(\.id)
            }
            #expect(summary.fetched == 300 && summary.stop == .reachedMaximum && summary.shortfall == nil)
            #expect(ids.count == 300 && Set(ids).count == 300, "every ad once, and 300 distinct ads")
            #expect(summary.repeatedAds == 1)
        }
    }

    @Test("a source that keeps answering empty pages with a cursor stops, and says the results are incomplete")
    func endlessEmptyPages() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let query = try AdLibraryQuery(webURL: Self.rivalPage)
            fake.fail(next: 10, with: .emptyPageWithCursor, afterCalls: 1)
            var ids: [String] = []
            let summary = try await Self.client(base).fetchAds(query, maximum: 300, pageSize: 100) {
                ids += $0.map(\.id)
            }
            #expect(ids.count == 100 && summary.fetched == 100)
            #expect(summary.stop == .emptyPagesWithCursor(AdLibraryClient.emptyPagesFollowed))
            #expect(summary.shortfall?.contains("incomplete") == true)
            #expect(fake.requests.count == 1 + AdLibraryClient.emptyPagesFollowed)
        }
    }
}

@Suite("The fake's control endpoints")
struct FakeControlTests {
    @Test("faults are scripted and the request log read over HTTP")
    func scriptsOverHTTP() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let http = SafeHTTPClient(policy: EgressPolicy(allowsLoopback: true))
            let script = try await http.send(
                SafeHTTPRequest(
                    url: "\(base)/__fake/faults", method: .POST, headers: [("Content-Type", "application/json")],
                    body: Array(#"{"fault":"throttle","code":17,"count":1}"#.utf8)), maximumBytes: 1000)
            #expect(script.status == 204)
            let query = try AdLibraryQuery(webURL: AdLibraryClientTests.rivalPage)
            let backoffs = Mutex<[Int]>([])
            _ = try await AdLibraryClientTests.client(base).fetchAds(
                query, maximum: 10, onBackoff: { error, _ in backoffs.withLock { $0.append(error.code) } }
            ) { _ in }
            #expect(backoffs.withLock { $0 } == [17])
            let log = try await http.send(SafeHTTPRequest(url: "\(base)/__fake/requests"), maximumBytes: 1 << 20)
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.body)) as? [[String: Any]])
            #expect(entries.filter { ($0["path"] as? String)?.hasSuffix("/ads_archive") == true }.count == 2)
            let bad = try await http.send(
                SafeHTTPRequest(url: "\(base)/__fake/faults", method: .POST, body: Array("{}".utf8)), maximumBytes: 1000
            )
            #expect(bad.status == 400)
            #expect(
                try await http.send(SafeHTTPRequest(url: "\(base)/__fake/reset", method: .POST), maximumBytes: 10)
                    .status == 204)
            #expect(fake.requests.isEmpty)
        }
    }
}

@Suite("The fake Ad Library's filters")
struct FakeFilterTests {
    @Test("media type, platform and delivery dates narrow the results as the API does")
    func filters() async throws {
        let fake = FakeMetaServer()
        try await fake.serve { base in
            let client = AdLibraryClientTests.client(base)
            func count(_ url: String) async throws -> [ArchivedAd] {
                var ads: [ArchivedAd] = []
                _ = try await client.fetchAds(try AdLibraryQuery(webURL: url), maximum: 1000) { ads += $0 }
                return ads
            }
            let page =
                "https://www.facebook.com/ads/library/?country=US&search_type=page&view_all_page_id=234567&active_status=all"
            let all = try await count(page)
            let videos = try await count(page + "&media_type=video")
            let instagram = try await count(page + "&publisher_platforms[0]=instagram")
            let spring = try await count(page + "&start_date[min]=2026-03-01&start_date[max]=2026-04-30")
            #expect(all.count == 140)
            #expect(!videos.isEmpty && videos.count < all.count)
            #expect(
                !instagram.isEmpty
                    && instagram.allSatisfy { $0.publisherPlatforms.map { $0.lowercased() }.contains("instagram") })
            let start = try Date("2026-03-01T00:00:00Z", strategy: .iso8601)
            let end = try Date("2026-04-30T00:00:00Z", strategy: .iso8601)
            #expect(!spring.isEmpty && spring.count < all.count)
            #expect(spring.allSatisfy { ($0.stoppedAt ?? .distantFuture) >= start && $0.startedAt! <= end })
        }
    }
}

@Suite("Meta API errors as operators read them")
struct MetaAPIErrorTests {
    @Test("a refused connection says the API could not be reached, not 'Meta API error 2'")
    func refusedConnection() async throws {
        let port = try LoopbackPort.free()
        let client = AdLibraryClient(
            settings: MetaGraphSettings(baseURL: "http://127.0.0.1:\(port)", accessToken: "fake-token"),
            retryPolicy: RetryPolicy(maxAttempts: 1))
        let error = try await #require(throws: MetaAPIError.self) {
            _ = try await client.fetchAds(try AdLibraryQuery(webURL: AdLibraryClientTests.rivalPage), maximum: 10) {
                _ in
            }
        }
        #expect(error.description.hasPrefix("could not reach the Meta API: request to 127.0.0.1 failed"))
        #expect(!error.description.contains("Meta API error 2"))
    }
}
