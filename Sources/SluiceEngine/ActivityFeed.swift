import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Live events for every subscriber of this process, read from the database, so that changes made by any node
/// reach them. While anyone listens, the feed looks every `interval` for runs that appeared, changed or finished
/// and for new log lines (``RunActivityQuery``), and recomputes freshness for brands whose producing runs changed
/// (and for all brands every `freshnessInterval`). With no subscriber it does nothing.
///
/// Run it as a `Service` after the HTTP server in a `ServiceGroup`: on graceful shutdown it ends every stream,
/// so that long-lived responses finish.
///
/// ```swift
/// let feed = ActivityFeed(client: client)
/// for await event in await feed.subscribe(ActivityFilter(runID: 42)) { print(event.type) }
/// ```
public actor ActivityFeed: Service {
    private let client: SluiceClient
    private let interval: Duration
    private let freshnessInterval: Duration
    private let logger: Logger
    private let producerTypes: Set<String>
    private var subscribers: [UUID: Subscriber] = [:]
    private var poller: Task<Void, Never>?
    private var closed = false
    private var cursor = ActivityCursor()
    /// Bumped when the last subscriber leaves and the cursor starts over; a look that awaited across it drops
    /// its answer.
    private var generation = 0
    private var freshnessCheckedAt = ContinuousClock.now

    private struct Subscriber {
        let filter: ActivityFilter
        let continuation: AsyncStream<ActivityEvent>.Continuation
    }

    /// Creates a feed over `client`'s store.
    public init(
        client: SluiceClient, interval: Duration = .milliseconds(250), freshnessInterval: Duration = .seconds(30),
        logger: Logger = Logger(label: "sluice.activity")
    ) {
        self.client = client
        self.interval = interval
        self.freshnessInterval = freshnessInterval
        self.logger = logger
        producerTypes = Set(client.datasets.all.map(\.producedBy))
    }

    /// The events that pass `filter`, from now on, until the caller stops iterating or the feed shuts down: every
    /// change committed after this returns is delivered. A subscriber that falls behind by more than 1 000 events
    /// loses the oldest.
    /// - Throws: the store's error when the feed cannot read where the streams stand.
    public func subscribe(_ filter: ActivityFilter) async throws -> AsyncStream<ActivityEvent> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ActivityEvent.self, bufferingPolicy: .bufferingNewest(1000))
        if !cursor.isPrimed { try await look() }
        guard !closed else {
            continuation.finish()
            return stream
        }
        let id = UUID()
        subscribers[id] = Subscriber(filter: filter, continuation: continuation)
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        if poller == nil {
            poller = Task { await self.pollWhileSubscribed() }
        }
        return stream
    }

    /// Waits for graceful shutdown, then ends every stream and refuses new subscribers.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }

    private func close() {
        closed = true
        for subscriber in subscribers.values { subscriber.continuation.finish() }
        subscribers.removeAll()
        poller?.cancel()
        poller = nil
    }

    private func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
        if subscribers.isEmpty {
            poller?.cancel()
            poller = nil
            cursor = ActivityCursor()
            generation += 1
        }
    }

    private func pollWhileSubscribed() async {
        while !Task.isCancelled && !subscribers.isEmpty {
            do {
                try await look()
            } catch {
                if Task.isCancelled { return }
                logger.warning("the activity feed could not read the store", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    private func look() async throws {
        let generation = self.generation
        let query = cursor.query()
        let activity = try await client.runActivity(query)
        // Another look (a concurrent subscribe's) or a reset may have moved the cursor across the await.
        guard generation == self.generation, query == cursor.query() else { return }
        guard cursor.isPrimed else {
            let freshness = try await freshnessStates(client.freshness())
            guard generation == self.generation, !cursor.isPrimed else { return }
            cursor.prime(with: activity, freshness: freshness, at: client.clock.now())
            freshnessCheckedAt = .now
            return
        }
        let changes = cursor.advance(with: activity, for: query, producers: producerTypes.contains)
        for change in changes.runs { publish(change) }
        for line in activity.logs { publish(.log(line)) }
        try await publishFreshness(of: changes.producerBrands, generation: generation)
    }

    private func publishFreshness(of brands: Set<UUID>, generation: Int) async throws {
        var latest: [DatasetFreshness] = []
        let everyBrand = ContinuousClock.now - freshnessCheckedAt >= freshnessInterval
        if everyBrand {
            latest = try await client.freshness()
        } else {
            for brand in brands.sorted(by: { $0.uuidString < $1.uuidString }) {
                latest += try await client.freshness(brandID: brand)
            }
        }
        guard generation == self.generation else { return }
        if everyBrand { freshnessCheckedAt = .now }
        for freshness in latest
        where cursor.noteFreshness(
            freshness.state, for: FreshnessKey(brandID: freshness.brandID, dataset: freshness.dataset.name))
        {
            publish(.freshness(freshness))
        }
    }

    private func freshnessStates(_ all: [DatasetFreshness]) -> [FreshnessKey: FreshnessState] {
        Dictionary(all.map { (FreshnessKey(brandID: $0.brandID, dataset: $0.dataset.name), $0.state) }) { $1 }
    }

    private func publish(_ event: ActivityEvent) {
        for subscriber in subscribers.values where subscriber.filter.matches(event) {
            subscriber.continuation.yield(event)
        }
    }

}

struct FreshnessKey: Hashable {
    let brandID: UUID
    let dataset: String
}
