import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

/// No log line of `sluice serve` or `sluice worker`, at any level and in either format, contains the Meta access token or the
/// database password: ServiceLifecycle logs every service's description at debug level, and those descriptions
/// used to print the settings they hold.
@Suite("Secrets stay out of the logs", .serialized)
struct CLISecretsTests {
    static let token = "meta-token-that-must-never-be-logged-7f3a"

    @Test(
        "serve and worker, at every log level and format, log neither the token nor the database password",
        arguments: ["serve", "worker"])
    func noSecretInLogs(command: String) async throws {
        try await TestBackend.postgres.withDatabase(
            configuration: StoreConfiguration(registry: LedgerJobTypes.registry)
        ) {
            database in
            let password = try #require(URLComponents(string: database.location)?.password)
            for format in ["text", "json"] {
                for level in ["trace", "debug", "info"] {
                    let printed = try await Self.startAndStop(command, database.location, format: format, level: level)
                    #expect(!printed.contains(Self.token), "\(command) \(format)/\(level) logged the Meta access token")
                    #expect(!printed.contains(password), "\(command) \(format)/\(level) logged the database password")
                }
            }
        }
    }

    /// Starts `sluice serve` or `sluice worker` until it works (serves, or starts its worker), stops it with
    /// SIGTERM, and returns everything it printed.
    static func startAndStop(
        _ command: String, _ database: String, format: String, level: String
    ) async throws
        -> String
    {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = [
            command, "--database", database, "--log-format", format, "--log-level", level, "--asset-dir",
            folder.appendingPathComponent("assets").path,
        ]
        if command == "serve" { arguments += ["--port", String(try LoopbackPort.free())] }
        let process = try ChildProcess(
            try SiblingExecutable.url(named: "sluice"), arguments, name: command, folder: folder,
            environment: SluiceCLI.environment(adding: ["SLUICE_META_ACCESS_TOKEN": token]))
        do {
            _ = try await process.wait(
                for: command == "serve" ? #"serving on http:\\?/\\?/127\.0\.0\.1:(\d+)"# : "(Starting the worker)")
        } catch {
            Issue.record("sluice \(command) printed:\n\(process.printed.suffix(4000))")
            await process.stop()
            throw error
        }
        let status = await process.stop()
        #expect(status == 0, "sluice \(command) ended with \(status):\n\(process.printed.suffix(3000))")
        return process.printed
    }
}
