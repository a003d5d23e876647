import ArgumentParser
import Foundation

/// `--database`, shared by the commands that open the store: a flag, else `SLUICE_DATABASE_URL`, else
/// `sluice.sqlite`.
struct DatabaseOption: ParsableArguments {
    @Option(help: "sqlite:///path, a file path, or postgres://user:pass@host:port/db (default: sluice.sqlite).")
    var database: String?

    /// Where the database is. - Throws: ``ConfigurationError`` for an unusable URL.
    func location() throws -> DatabaseLocation {
        try DatabaseLocation(
            parsing: database ?? ProcessInfo.processInfo.environment["SLUICE_DATABASE_URL"] ?? "sluice.sqlite")
    }
}
