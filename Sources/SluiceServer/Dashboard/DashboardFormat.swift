import Foundation
import SluiceCore
import SluiceStore

/// How the dashboard writes times, ages and durations.
enum DashboardFormat {
    /// `2026-11-30T08:15:00Z`: exact, sortable, the same on every node.
    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: false))
    }

    /// "just now", "3 min ago", "5 h ago", "2 days ago"; "in 4 min" for a time ahead.
    static func age(of date: Date, now: Date = Date()) -> String {
        let seconds = now.timeIntervalSince(date)
        let span = words(abs(seconds))
        if span == "just now" { return span }
        return seconds >= 0 ? "\(span) ago" : "in \(span)"
    }

    /// A run's duration so far or in all, such as "1.4 s" or "3 min 12 s"; "—" before it started.
    static func duration(of run: Run, now: Date = Date()) -> String {
        guard let started = run.startedAt else { return "—" }
        let seconds = (run.finishedAt ?? now).timeIntervalSince(started)
        if seconds < 60 { return String(format: "%.1f s", max(seconds, 0)) }
        let whole = Int(seconds)
        if whole < 3600 { return "\(whole / 60) min \(whole % 60) s" }
        return "\(whole / 3600) h \(whole % 3600 / 60) min"
    }

    private static func words(_ seconds: Double) -> String {
        switch seconds {
        case ..<10: "just now"
        case ..<60: "\(Int(seconds)) s"
        case ..<3600: "\(Int(seconds / 60)) min"
        case ..<172_800: "\(Int(seconds / 3600)) h"
        default: "\(Int(seconds / 86_400)) days"
        }
    }

    /// The row a runs table shows for `run`.
    static func runRow(_ run: Run, summary: LogSummary? = nil, now: Date = Date()) -> [String: Any] {
        var row: [String: Any] = [
            "id": run.id, "jobType": run.jobType, "state": run.state.rawValue, "attempt": run.attempt,
            "maxAttempts": run.maxAttempts, "created": time(run.createdAt), "age": age(of: run.createdAt, now: now),
            "duration": duration(of: run, now: now),
        ]
        row["runError"] = run.error
        row["summary"] = summary?.text
        return row
    }
}
