import Foundation

/// Where the database is: a SQLite file or a PostgreSQL server.
enum DatabaseLocation: Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Reads `sqlite:///abs/path`, `sqlite://relative/path`, a bare path, or `postgres://` / `postgresql://` URLs
    /// (schemes in any case). `origin` names where the text came from (`--database`, `SLUICE_DATABASE_URL`, …) in
    /// messages.
    /// - Throws: a ``ConfigurationError`` for any other scheme, an empty path, or a path that looks like a mistyped
    ///   URL (`postgres:user@host`), which would otherwise silently become a SQLite file of that name.
    init(parsing text: String, origin: String = "--database") throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if lowered.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigurationError("\(origin): sqlite:// needs a file path") }
            self = .sqlite(path: path)
        } else if let scheme = trimmed.range(of: "://").map({ trimmed[..<$0.lowerBound] }) {
            // Only the scheme is repeated: the rest of a URL may hold a password.
            throw ConfigurationError(
                "\(origin): unsupported URL scheme \(scheme.prefix(20)); use sqlite:///path or postgres://…")
        } else if let colon = trimmed.firstIndex(of: ":"), !trimmed[..<colon].contains("/") {
            throw ConfigurationError(
                "\(origin): \(trimmed[..<colon].prefix(20)): is not a file path; write a URL as postgres://user:pass@host/db"
            )
        } else {
            guard !trimmed.isEmpty else { throw ConfigurationError("\(origin): the path is empty") }
            self = .sqlite(path: trimmed)
        }
    }
}
