import Foundation
import SluiceStore

/// Server-side SVG charts, as numbers for the templates to draw (no script, no external assets).
enum DashboardCharts {
    /// A stacked bar chart of finished runs (succeeded below, failed above) over `buckets` equal spans ending now.
    static func outcomes(
        _ counted: [RunOutcomeBucket], title: String, since: Date, bucketSeconds: Int, buckets: Int
    ) -> [String: Any] {
        let width = 560.0
        let height = 120.0
        let slot = width / Double(buckets)
        let firstStart = (since.timeIntervalSince1970 / Double(bucketSeconds)).rounded(.down) * Double(bucketSeconds)
        var slots = Array(repeating: (succeeded: 0, failed: 0), count: buckets)
        // Narrower buckets add up into the slot they start in.
        for bucket in counted {
            let index = Int(((bucket.start.timeIntervalSince1970 - firstStart) / Double(bucketSeconds)).rounded(.down))
            guard slots.indices.contains(index) else { continue }
            slots[index].succeeded += bucket.succeeded
            slots[index].failed += bucket.failed
        }
        let peak = max(slots.map { $0.succeeded + $0.failed }.max() ?? 0, 1)
        let bars: [[String: Any]] = slots.enumerated().map { index, slot_ in
            let okHeight = height * Double(slot_.succeeded) / Double(peak)
            let failedHeight = height * Double(slot_.failed) / Double(peak)
            let start = Date(timeIntervalSince1970: firstStart + Double(index * bucketSeconds))
            return [
                "x": format(Double(index) * slot + 1), "width": format(max(slot - 2, 1)),
                "okY": format(height - okHeight), "okHeight": format(okHeight),
                "failedY": format(height - okHeight - failedHeight), "failedHeight": format(failedHeight),
                "title": "\(DashboardFormat.time(start)): \(slot_.succeeded) succeeded, \(slot_.failed) failed",
            ]
        }
        let succeeded = slots.reduce(0) { $0 + $1.succeeded }
        let failed = slots.reduce(0) { $0 + $1.failed }
        return [
            "title": title, "bars": bars, "succeeded": succeeded, "failed": failed, "peak": peak,
            "failureRate": succeeded + failed == 0 ? "—" : "\(failed * 100 / (succeeded + failed)) %",
        ]
    }

    /// A sparkline of a dataset's last refreshes, oldest first: one dot each, higher for more rows written, red for
    /// a failure.
    static func sparkline(_ history: [DatasetHistoryEntry]) -> [String: Any] {
        let entries = history.sorted { $0.finishedAt < $1.finishedAt }
        let peak = max(entries.compactMap(\.rowsWritten).max() ?? 0, 1)
        let step = entries.count > 1 ? 84.0 / Double(entries.count - 1) : 0
        let dots: [[String: Any]] = entries.enumerated().map { index, entry in
            let rows = Double(entry.rowsWritten ?? 0)
            return [
                "x": format(3 + Double(index) * step), "y": format(17 - 14 * rows / Double(peak)),
                "ok": entry.outcome == .succeeded,
                "title": "\(DashboardFormat.time(entry.finishedAt)): \(entry.outcome.rawValue), "
                    + "\(entry.rowsWritten.map(String.init) ?? "no") rows",
            ]
        }
        return ["dots": dots, "hasDots": !dots.isEmpty, "count": dots.count]
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
