import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

/// No log line of `sluice serve`, at any level and in either format, contains the Meta access token or the
/// database password: ServiceLifecycle logs every service's description at debug level, and those descriptions
/// used to print the settings they hold.
@Suite("Secrets stay out of the logs", .serialized)
struct CLISecretsTests {
    static let token = "meta-token-that-must-never-be-logged-7f3a"

    @Test("serve at every log level and format logs neither the token nor the database password")
    func noSecretInLogs() async throws {
        try await TestBackend.postgres.withDatabase(
            configuration: StoreConfiguration(registry: LedgerJobTypes.registry)
        ) {
            database in
            let password = try #require(URLComponents(string: database.location)?.password)
            for format in ["text", "json"] {
                for level in ["trace", "debug", "info"] {
                    let printed = try await Self.serveAndStop(database.location, format: format, level: level)
                    #expect(!printed.contains(Self.token), "\(format)/\(level) logged the Meta access token")
                    #expect(!printed.contains(password), "\(format)/\(level) logged the database password")
                    #expect(printed.contains("serving on"))
                }
            }
        }
    }

    /// Starts `sluice serve` until it serves, stops it with SIGTERM, and returns everything it printed.
    static func serveAndStop(_ database: String, format: String, level: String) async throws -> String {
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let serve = try ChildProcess(
            try SiblingExecutable.url(named: "sluice"),
            [
                "serve", "--database", database, "--port", String(try LoopbackPort.free()), "--log-format", format,
                "--log-level", level, "--asset-dir", folder.appendingPathComponent("assets").path,
            ],
            name: "serve", folder: folder,
            environment: SluiceCLI.environment(adding: ["SLUICE_META_ACCESS_TOKEN": token]))
        do {
            _ = try await serve.wait(for: #"serving on http:\\?/\\?/127\.0\.0\.1:(\d+)"#)
        } catch {
            Issue.record("sluice serve printed:\n\(serve.printed.suffix(4000))")
            await serve.stop()
            throw error
        }
        let status = await serve.stop()
        #expect(status == 0, "sluice serve ended with \(status):\n\(serve.printed.suffix(3000))")
        return serve.printed
    }
}
