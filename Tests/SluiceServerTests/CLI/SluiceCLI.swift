import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// The real `sluice` binary, run as a user runs it on one database: exit status, standard output and standard
/// error of each command. The inherited environment's `SLUICE_*` settings are dropped so that only the test's own
/// flags, variables and config files count.
struct SluiceCLI: Sendable {
    /// A command's outcome.
    struct Outcome: Sendable, CustomStringConvertible {
        let status: Int32
        let out: String
        let err: String

        /// Standard output as a JSON object (for `--json`).
        func object() throws -> JSONObject {
            try #require(try JSONValue(parsing: out).objectValue, "not a JSON object: \(out.prefix(500))")
        }

        /// The `items` of a JSON list.
        func items() throws -> [JSONObject] {
            try #require(try object()["items"]?.arrayValue?.compactMap(\.objectValue))
        }

        var description: String { "status \(status)\nstdout:\n\(out.suffix(2000))\nstderr:\n\(err.suffix(2000))" }
    }

    /// The `--database` value (a SQLite path or a PostgreSQL URL), added to every command; nil for none.
    var database: String?
    /// Extra environment variables.
    var environment: [String: String] = [:]

    /// Runs `sluice arguments…` to its end (killed after `timeout`).
    func callAsFunction(_ arguments: String..., timeout: Duration = .seconds(60)) async throws -> Outcome {
        try await run(arguments, timeout: timeout)
    }

    /// Runs `sluice arguments` to its end, in a temporary working directory (so nothing lands in the package), and
    /// kills it after `timeout`.
    func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> Outcome {
        let run = try await SpawnedProcess.capture(
            try SiblingExecutable.url(named: "sluice").path, arguments + (database.map { ["--database", $0] } ?? []),
            environment: Self.environment(adding: environment), timeout: timeout)
        guard let status = run.status else {
            throw CLITimeout(arguments: arguments, out: run.output, err: run.errors)
        }
        return Outcome(status: status, out: run.output, err: run.errors)
    }

    /// The test runner's environment without its `SLUICE_*` settings (test-only ones kept), plus `extra`.
    static func environment(adding extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("SLUICE_") || key.hasPrefix("SLUICE_TEST_")
        }.merging(extra) { $1 }
    }

    /// A fresh folder for a test's files, removed by the caller.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cli-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A command that did not end in time.
struct CLITimeout: Error, CustomStringConvertible {
    let arguments: [String]
    let out: String
    let err: String

    var description: String {
        "sluice \(arguments.joined(separator: " ")) did not end in time\nstdout:\n\(out.suffix(2000))\nstderr:\n\(err.suffix(2000))"
    }
}
