import Foundation
import SluiceCore

/// The severity of a run log line.
public enum LogLevel: String, Sendable, Hashable, CaseIterable, Codable {
    case debug
    case info
    case warning
    case error
}

/// A log line to append to a running run.
public struct NewLogLine: Sendable, Hashable {
    /// When it was written.
    public var at: Date
    /// Its severity.
    public var level: LogLevel
    /// The text (at most ``maximumLength`` characters; longer text is truncated).
    public var message: String

    /// The longest message kept.
    public static let maximumLength = 4000

    /// Creates a line.
    public init(at: Date, level: LogLevel = .info, _ message: String) {
        self.at = at
        self.level = level
        self.message = message.count > Self.maximumLength ? String(message.prefix(Self.maximumLength)) : message
    }
}

/// A stored log line.
public struct LogLine: Sendable, Hashable, Identifiable {
    /// Increasing id, usable as `after` to tail the log.
    public let id: Int64
    /// The run.
    public let runID: Int64
    /// The attempt that wrote it.
    public let attempt: Int
    /// When it was written.
    public let at: Date
    /// Its severity.
    public let level: LogLevel
    /// The text.
    public let message: String

    /// Creates a line (stores build these from rows).
    public init(id: Int64, runID: Int64, attempt: Int, at: Date, level: LogLevel, message: String) {
        self.id = id
        self.runID = runID
        self.attempt = attempt
        self.at = at
        self.level = level
        self.message = message
    }
}

/// Which log lines to read.
public struct LogQuery: Sendable, Hashable {
    /// The run.
    public var runID: Int64
    /// Only lines with an id greater than this (for tailing).
    public var after: Int64?
    /// The most lines, 1...1000. Defaults to 500.
    public var limit: Int

    /// Creates a query.
    public init(runID: Int64, after: Int64? = nil, limit: Int = 500) {
        self.runID = runID
        self.after = after
        self.limit = limit
    }
}

/// A summary of a run's log for tables and alerts.
public struct LogSummary: Sendable, Hashable {
    /// All lines.
    public let lines: Int
    /// Lines at `warning`.
    public let warnings: Int
    /// Lines at `error`.
    public let errors: Int
    /// The last line's text.
    public let lastMessage: String?
    /// The last `error` line's text.
    public let lastError: String?

    /// Creates a summary.
    public init(lines: Int, warnings: Int, errors: Int, lastMessage: String?, lastError: String?) {
        self.lines = lines
        self.warnings = warnings
        self.errors = errors
        self.lastMessage = lastMessage
        self.lastError = lastError
    }

    /// The summary of an empty log.
    public static let empty = LogSummary(lines: 0, warnings: 0, errors: 0, lastMessage: nil, lastError: nil)

    /// One line for tables: "42 lines, 1 error: <last error>" or the last message.
    public var text: String {
        guard lines > 0 else { return "no log lines" }
        var parts = ["\(lines) line\(lines == 1 ? "" : "s")"]
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        let tail = lastError ?? lastMessage
        return parts.joined(separator: ", ") + (tail.map { ": \($0.prefix(200))" } ?? "")
    }
}
