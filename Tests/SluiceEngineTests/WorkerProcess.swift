import Foundation
import SluiceTestSupport
import Synchronization

/// A `sluice-test-worker` process: started, signalled and awaited by the crash tests.
final class WorkerProcess: Sendable {
    let id: String
    private let process: Process
    private let exitStatus: AsyncStream<Int32>
    private let exitContinuation: AsyncStream<Int32>.Continuation

    /// Starts a worker on `database` writing to `ledger`.
    init(
        id: String, database: String, ledger: String, concurrency: Int = 4, leaseMilliseconds: Int = 2000,
        heartbeatMilliseconds: Int = 200, graceMilliseconds: Int = 500
    ) throws {
        self.id = id
        let process = Process()
        process.executableURL = try SiblingExecutable.url(named: "sluice-test-worker")
        process.arguments = [
            database, ledger, id, String(concurrency), String(leaseMilliseconds), String(heartbeatMilliseconds),
            String(graceMilliseconds),
        ]
        process.standardOutput = FileHandle.nullDevice
        (exitStatus, exitContinuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let continuation = exitContinuation
        process.terminationHandler = { finished in
            continuation.yield(finished.terminationStatus)
            continuation.finish()
        }
        try process.run()
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit and returns its status (for a signal: the signal number).
    func waitForExit() async -> Int32 {
        for await status in exitStatus { return status }
        return process.terminationStatus
    }

    /// Stops the process if it still runs (used on every test path so no worker outlives its test).
    func stop() async {
        if process.isRunning { send(SIGKILL) }
        _ = await waitForExit()
    }
}
