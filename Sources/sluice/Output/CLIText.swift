import Foundation
import SluiceCore

/// Values as the CLI's tables show them: RFC 3339 times in UTC to the second, durations in words, parameters as `k=v`.
enum CLIText {
    /// `2026-11-30T05:40:12Z`, or `-`.
    static func time(_ date: Date?) -> String {
        date.map { $0.formatted(Date.ISO8601FormatStyle()) } ?? "-"
    }

    /// `850 ms`, `12.4 s`, `3 min 5 s`, `2 h 4 min`, or `-` when the run has not finished.
    static func duration(from start: Date?, to end: Date?) -> String {
        guard let start, let end else { return "-" }
        let seconds = max(0, end.timeIntervalSince(start))
        switch seconds {
        case ..<1: return "\(Int(seconds * 1000)) ms"
        case ..<60: return String(format: "%.1f s", seconds)
        case ..<3600: return "\(Int(seconds) / 60) min \(Int(seconds) % 60) s"
        default: return "\(Int(seconds) / 3600) h \(Int(seconds) % 3600 / 60) min"
        }
    }

    /// `competitor_id=4f…, max_ads=500`, sorted by name; `-` when empty.
    static func parameters(_ parameters: JSONObject) -> String {
        guard !parameters.isEmpty else { return "-" }
        return parameters.keys.sorted().map { key in "\(key)=\(scalar(parameters[key] ?? .null))" }
            .joined(separator: ", ")
    }

    /// A JSON value without quotes around strings.
    static func scalar(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.jsonText
    }

    /// A job's schedule: `once at …` or `cron "0 6 * * *" Europe/Berlin`.
    static func schedule(_ schedule: JobSchedule) -> String {
        switch schedule {
        case .once(let at): "once at \(time(at))"
        case .recurring(let cron, let timeZone): "cron \"\(cron.description)\" \(timeZone.ianaName)"
        }
    }

    /// ` 45%` (rounded), or `  -` before a handler reports any progress.
    static func percent(_ progress: Double?) -> String {
        guard let progress else { return "  -" }
        let value = Int((min(max(progress, 0), 1) * 100).rounded())
        return String(repeating: " ", count: 3 - String(value).count) + "\(value)%"
    }

    /// Labelled lines, the labels padded to one width: the body of `jobs show` and `runs show`.
    static func details(_ rows: [(label: String, value: String)]) -> String {
        let width = (rows.map(\.label.count).max() ?? 0) + 2
        return rows.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + $0.value }
            .joined(separator: "\n")
    }

    /// A lowercase UUID.
    static func id(_ uuid: UUID) -> String { uuid.uuidString.lowercased() }
}
