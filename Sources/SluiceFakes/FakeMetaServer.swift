import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A faithful fake of the Meta Graph API's Ad Library endpoint (`GET /{version}/ads_archive`), served on 127.0.0.1
/// for tests and the offline demo: the same parameters, field projection, cursor paging, error envelope, throttling
/// codes and usage headers as the real API, over a seeded ``AdCorpus``. Faults are scripted with ``fail(next:with:)``;
/// every request is logged (``requests``) so tests can assert backoff and where the token went.
public final class FakeMetaServer: Sendable {
    /// A scripted fault.
    public enum Fault: Sendable, Hashable {
        /// HTTP 400 with a throttling code (4, 17, 613, 80000-80014) and usage headers.
        case throttle(code: Int)
        /// HTTP 500 with code 2 ("Service temporarily unavailable"), transient.
        case serverError
        /// A 200 whose JSON body is cut short.
        case truncatedJSON
        /// A 200 with no ads that still carries a `paging.next` cursor (to the same results), as the real API
        /// sometimes answers when its backend times out on a page.
        case emptyPageWithCursor
        /// The page starts with the previous page's last ad again, as the real API does when results shift
        /// between two requests.
        case repeatedAdAcrossPages
    }

    /// A request as the fake received it.
    public struct LoggedRequest: Sendable {
        public let method: String
        public let path: String
        public let query: [String: String]
        public let authorization: String?
        public let at: ContinuousClock.Instant
    }

    let corpus: AdCorpus
    let validTokens: Set<String>
    private let log = Mutex<[LoggedRequest]>([])
    private let faults = Mutex<[Fault?]>([])
    /// How long the CDN URLs of rendered snapshots stay valid; negative makes them expired at once.
    let cdnURLLifetime = Mutex<Duration>(.seconds(3600))
    /// Asynchronous insights reports by id.
    let reports = Mutex<[String: Report]>([:])
    /// Scraper feed runs by id.
    let feedRuns = Mutex<[String: FeedRun]>([:])
    /// How long each Ad Library page takes to answer (zero by default), so that a scrape stays running long enough
    /// for a test or a demo to watch it.
    let adsArchiveLatency = Mutex<Duration>(.zero)
    /// While true, Ad Library pages wait (a test's gate: it holds a scrape running, then lets it go).
    let adsArchiveHeld = Mutex<Bool>(false)
    /// How many revisions of recent days happened, and over how many days.
    let revision = Mutex<(count: Int, days: Int)>((0, 0))
    let withdrawnDays = Mutex<Set<String>>([])

    /// Creates a fake serving `corpus` to callers with one of `validTokens`.
    public init(corpus: AdCorpus = .standard, validTokens: Set<String> = ["fake-token"]) {
        self.corpus = corpus
        self.validTokens = validTokens
    }

    /// Every request so far.
    public var requests: [LoggedRequest] { log.withLock { $0 } }

    /// Forgets scripted faults, reports, scraper runs, revisions and the request log; CDN URLs are valid again.
    public func reset() {
        faults.withLock { $0 = [] }
        log.withLock { $0 = [] }
        reports.withLock { $0 = [:] }
        feedRuns.withLock { $0 = [:] }
        revision.withLock { $0 = (0, 0) }
        cdnURLLifetime.withLock { $0 = .seconds(3600) }
        adsArchiveLatency.withLock { $0 = .zero }
        adsArchiveHeld.withLock { $0 = false }
    }

    /// Makes every Ad Library page answer after `latency` (zero again after ``reset()``).
    public func delayAdsArchive(by latency: Duration) { adsArchiveLatency.withLock { $0 = latency } }

    /// Holds every Ad Library page (requests wait) until called with false.
    public func holdAdsArchive(_ held: Bool) { adsArchiveHeld.withLock { $0 = held } }

    /// Makes the CDN URLs of snapshots rendered from now on expired (HTTP 403 "URL signature expired").
    public func expireCDNURLs() { cdnURLLifetime.withLock { $0 = .seconds(-60) } }

    /// Makes `count` API calls fail with `fault`, after `skipping` calls (counted from the faults already scripted).
    public func fail(next count: Int, with fault: Fault, afterCalls skipping: Int = 0) {
        faults.withLock { $0 += Array(repeating: nil, count: skipping) + Array(repeating: fault, count: count) }
    }

    /// Serves on 127.0.0.1 (an ephemeral port, or `port`) while `body` runs, passing the base URL.
    public func serve<T: Sendable>(port: Int = 0, _ body: @Sendable (String) async throws -> T) async throws -> T {
        let logger = Logger(label: "sluice.fake-meta", factory: { _ in SwiftLogNoOpLogHandler() })
        // The server reports its port once it listens; the body starts then, with no polling.
        let (ports, portReported) = AsyncStream.makeStream(of: Int?.self)
        let app = Application(
            router: router(), configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                portReported.yield(channel.localAddress?.port)
                portReported.finish()
            },
            logger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            let services = ServiceGroup(services: [app], logger: logger)
            group.addTask {
                defer { portReported.finish() }  // a server that cannot listen ends the wait for its port
                try await services.run()
                return nil
            }
            var reported = ports.makeAsyncIterator()
            guard let boundPort = await reported.next() ?? nil else { throw CancellationError() }
            let result = try await body("http://127.0.0.1:\(boundPort)")
            await services.triggerGracefulShutdown()
            while let next = try await group.next() { if next != nil { break } }
            return result
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/:version/ads_archive") { [self] request, context in
            while adsArchiveHeld.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(20)) }
            let latency = adsArchiveLatency.withLock { $0 }
            if latency > .zero { try await Task.sleep(for: latency) }
            return try adsArchive(request, context)
        }
        addCDNRoutes(to: router)
        addInsightRoutes(to: router)
        addScraperFeedRoutes(to: router)
        addControlRoutes(to: router)
        return router
    }

    func record(_ request: Hummingbird.Request) {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        let entry = LoggedRequest(
            method: request.method.rawValue, path: request.uri.path, query: query,
            authorization: request.headers[.authorization], at: .now)
        log.withLock { $0.append(entry) }
    }

    func nextFault() -> Fault? {
        faults.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}
