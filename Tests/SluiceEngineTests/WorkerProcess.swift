import Foundation
import SluiceTestSupport
import Testing

/// A `sluice-test-worker` process: started, signalled and awaited by the crash tests.
final class WorkerProcess: Sendable {
    let id: String
    /// The file its log goes to; nil when it goes to the test's own standard error.
    let logFile: String?
    private let process: SpawnedProcess

    /// Starts a worker on `database` writing to `ledger`, logging to `logFile` when given.
    init(
        id: String, database: String, ledger: String, concurrency: Int = 4, leaseMilliseconds: Int = 2000,
        heartbeatMilliseconds: Int = 200, graceMilliseconds: Int = 500, logFile: String? = nil
    ) throws {
        self.id = id
        self.logFile = logFile
        process = try SpawnedProcess(
            try SiblingExecutable.url(named: "sluice-test-worker").path,
            [
                database, ledger, id, String(concurrency), String(leaseMilliseconds), String(heartbeatMilliseconds),
                String(graceMilliseconds),
            ], errors: logFile.map { .file($0) } ?? .inherit)
    }

    /// The lines of its log file (empty when it logs to standard error).
    func logLines() -> [String] {
        guard let logFile, let text = try? String(contentsOfFile: logFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    var pid: Int32 { process.pid }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { process.signal(signal) }

    /// Waits for the process to exit and returns its status (for a signal: the signal number); records an issue and
    /// returns -1 if it is still running after three minutes.
    func waitForExit() async -> Int32 {
        guard let status = await process.exitStatus(within: .seconds(180)) else {
            Issue.record("worker \(id) has not exited after 180 seconds")
            return -1
        }
        return status
    }

    /// Stops the process if it still runs (used on every test path so no worker outlives its test).
    func stop() async {
        send(SIGKILL)
        _ = await waitForExit()
    }
}
