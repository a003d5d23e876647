import Foundation
import Prometheus
import SluiceCore
import SluiceEngine
import SluiceStore
import Synchronization

/// The Prometheus registry behind `/metrics`. The process bootstraps swift-metrics with
/// `PrometheusMetricsFactory(registry: metrics.registry)`, so that the worker's histograms (run duration, pickup
/// latency, rate-limit waits) and Hummingbird's HTTP metrics land here too; at each scrape this adds gauges read
/// from the database: unfinished runs by job type and state, queue depth, and each dataset's age per brand.
public final class ServerMetrics: Sendable {
    /// The registry to bootstrap swift-metrics with.
    public let registry: PrometheusCollectorRegistry
    private let published = Mutex<Set<GaugeKey>>([])

    private struct GaugeKey: Hashable {
        let name: String
        let labels: [String]
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// The exposition text, after refreshing the database gauges from `client`.
    func scrape(_ client: SluiceClient, now: Date) async throws -> String {
        var values: [GaugeKey: Double] = [:]
        var depth: [String: Double] = [:]
        for count in try await client.activeRunCounts() {
            let key = GaugeKey(name: "sluice_runs", labels: ["job_type", count.jobType, "state", count.state.rawValue])
            values[key, default: 0] += Double(count.count)
            if count.state != .running { depth[count.queue, default: 0] += Double(count.count) }
        }
        for (queue, value) in depth { values[GaugeKey(name: "sluice_queue_depth", labels: ["queue", queue])] = value }
        for freshness in try await client.freshness() {
            guard let success = freshness.record?.lastSuccessAt else { continue }
            let key = GaugeKey(
                name: "sluice_dataset_age_seconds",
                labels: ["dataset", freshness.dataset.name, "brand_id", freshness.brandID.lowercased])
            values[key] = max(0, now.timeIntervalSince(success))
        }
        publish(values)
        return registry.emitToString()
    }

    /// Sets every gauge in `values`, and zeroes the ones published before that are absent now.
    private func publish(_ values: [GaugeKey: Double]) {
        let stale = published.withLock { published in
            let stale = published.subtracting(values.keys)
            published.formUnion(values.keys)
            return stale
        }
        for key in stale { gauge(key).set(Double(0)) }
        for (key, value) in values { gauge(key).set(value) }
    }

    private func gauge(_ key: GaugeKey) -> Gauge {
        let pairs = stride(from: 0, to: key.labels.count, by: 2).map { (key.labels[$0], key.labels[$0 + 1]) }
        let descriptor = MetricNameDescriptor(
            namespace: nil, subsystem: nil, metricName: key.name, unitName: "", helpText: Self.help[key.name] ?? "")
        return registry.makeGauge(descriptor: descriptor, labels: pairs)
    }

    private static let help = [
        "sluice_runs": "Unfinished runs by job type and state (queued, retrying, running).",
        "sluice_queue_depth": "Runs waiting in a queue (queued or retrying, not yet running).",
        "sluice_dataset_age_seconds": "Seconds since a dataset's last successful refresh, per brand.",
    ]
}
