import Foundation
import SluiceCore
import SluiceFakes
import SluiceStore
import SluiceStoreSQLite
import SluiceTestSupport
import Testing

/// The dashboard in a real browser: headless Chromium (Debian's package, driven by its chromedriver) against the
/// real `sluice serve` binary on loopback, with the fake Meta servers behind it. Screenshots of every page go to
/// `test-output/browser/` at the package root. Runs where chromedriver is installed, and always under CI (where
/// `.ci/run` installs it), so a missing browser fails CI instead of skipping.
@Suite("Dashboard in a real browser", .serialized)
struct DashboardBrowserTests {
    static let chromedriver = "/usr/bin/chromedriver"
    static let chromium = "/usr/bin/chromium"
    static let canRun =
        ProcessInfo.processInfo.environment["CI"] != nil || FileManager.default.isExecutableFile(atPath: chromedriver)
    static let screenshots = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("test-output/browser")

    @Test(
        "log in, create a brand and a competitor, scrape queued and directly, see a field error, cancel a run",
        .enabled(if: canRun), .timeLimit(.minutes(10)))
    func operatorJourney() async throws {
        // Chromium aborts page loads when network interfaces change: no partition test may run meanwhile.
        await NetworkChangeLock.shared.acquire()
        defer { Task { await NetworkChangeLock.shared.release() } }
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-browser-\(UUID())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let fake = FakeMetaServer()
        try await fake.serve { fakeBase in
            let database = work.appendingPathComponent("sluice.sqlite").path
            try await Self.prepare(database: database)
            let serve = try ChildProcess(
                try SiblingExecutable.url(named: "sluice"),
                [
                    "serve", "--database", database, "--port", "0", "--concurrency", "1",
                    "--meta-base-url", fakeBase, "--meta-snapshot-base-url", fakeBase, "--allow-loopback-egress",
                    "--asset-dir", work.appendingPathComponent("assets").path,
                ], name: "sluice", folder: work, environment: ["SLUICE_META_ACCESS_TOKEN": "fake-token"])
            var driver: ChildProcess?
            do {
                let driverPort = try LoopbackPort.free()
                let chromedriver = try ChildProcess(
                    URL(fileURLWithPath: Self.chromedriver), ["--port=\(driverPort)", "--allowed-ips=127.0.0.1"],
                    name: "chromedriver", folder: work)
                driver = chromedriver
                let token = try await serve.wait(for: #"(sluice_[A-Za-z0-9_-]+)"#)
                let port = try await serve.wait(for: #"serving on http://127\.0\.0\.1:(\d+)"#)
                _ = try await chromedriver.wait(for: #"(started successfully)"#)
                let browser = try await WebDriver.session(
                    base: "http://127.0.0.1:\(driverPort)", chromium: Self.chromium)
                do {
                    let journey = BrowserJourney(
                        browser: browser, base: "http://127.0.0.1:\(port)", fake: fake, shots: Self.screenshots)
                    try await journey.run(token: token)
                } catch {
                    try? await browser.screenshot(Self.screenshots.appendingPathComponent("failure.png"))
                    await browser.quit()
                    throw error
                }
                await browser.quit()
            } catch {
                Issue.record("sluice serve printed:\n\(serve.printed.suffix(4000))")
                await driver?.stop()
                await serve.stop()
                throw error
            }
            await driver?.stop()
            await serve.stop()
        }
    }

    /// Creates the database before `sluice serve` opens it, with the Meta Ad Library limiter raised from Meta's
    /// 200 calls an hour (which would make the test wait minutes) to a test's pace.
    static func prepare(database: String) async throws {
        let store = try SQLiteJobStore(
            path: database, configuration: StoreConfiguration(registry: try JobTypeRegistry([])))
        try await store.configureRateLimiter(
            RateLimiterSettings(name: "meta_ad_library", ratePerSecond: 1000, burst: 100))
    }
}
