import Foundation

/// Where the database is: a SQLite file or a PostgreSQL server.
enum DatabaseLocation: Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    /// Reads `sqlite:///abs/path`, `sqlite://relative/path`, a bare path, or `postgres://` / `postgresql://` URLs.
    /// - Throws: a ``ConfigurationError`` naming the setting for any other scheme or an empty path.
    init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw ConfigurationError("--database: sqlite:// needs a file path") }
            self = .sqlite(path: path)
        } else if let scheme = trimmed.range(of: "://").map({ trimmed[..<$0.lowerBound] }) {
            // Only the scheme is repeated: the rest of a URL may hold a password.
            throw ConfigurationError(
                "--database: unsupported URL scheme \(scheme.prefix(20)); use sqlite:///path or postgres://…")
        } else {
            guard !trimmed.isEmpty else { throw ConfigurationError("--database: the path is empty") }
            self = .sqlite(path: trimmed)
        }
    }
}
