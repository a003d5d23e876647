import Foundation
import SluiceTestSupport
import Testing

/// A `sluice-test-worker` process: started, signalled and awaited by the crash tests.
final class WorkerProcess: Sendable {
    let id: String
    private let process: SpawnedProcess

    /// Starts a worker on `database` writing to `ledger`.
    init(
        id: String, database: String, ledger: String, concurrency: Int = 4, leaseMilliseconds: Int = 2000,
        heartbeatMilliseconds: Int = 200, graceMilliseconds: Int = 500
    ) throws {
        self.id = id
        process = try SpawnedProcess(
            try SiblingExecutable.url(named: "sluice-test-worker").path,
            [
                database, ledger, id, String(concurrency), String(leaseMilliseconds), String(heartbeatMilliseconds),
                String(graceMilliseconds),
            ], errors: .inherit)
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
