import Foundation
import SluiceTestSupport
import Testing

/// A real child process (`sluice serve`, chromedriver) whose output goes to a file in a work folder, so a test can
/// wait for a line it prints. Terminated (then killed) when stopped.
final class ChildProcess: Sendable {
    let process: SpawnedProcess
    let output: URL

    /// Starts `executable` with `arguments`; stdout and stderr go to `<folder>/<name>.log`.
    init(
        _ executable: URL, _ arguments: [String], name: String, folder: URL, environment: [String: String] = [:]
    ) throws {
        output = folder.appendingPathComponent("\(name).log")
        process = try SpawnedProcess(
            executable.path, arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            output: .file(output.path), errors: .file(output.path))
    }

    /// Everything the process printed so far.
    var printed: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// Waits until the output has a match of `pattern` and returns its first capture group.
    func wait(for pattern: String, timeout: Duration = .seconds(120)) async throws -> String {
        let expression = try NSRegularExpression(pattern: pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let text = printed
            if let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: 1), in: text)
            {
                return String(text[range])
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriver.Failure(
            description: "\(output.lastPathComponent): no line matching \(pattern) in:\n\(printed.suffix(3000))")
    }

    /// Returns once the process has exited, or after `timeout` with an issue recorded.
    func exited(timeout: Duration = .seconds(30)) async {
        if await process.exitStatus(within: timeout) == nil {
            Issue.record("\(output.lastPathComponent): the process has not exited after \(timeout)")
        }
    }

    /// Waits for the process to exit by itself and returns its status.
    /// - Throws: when it is still running after `timeout`.
    func exitStatus(within timeout: Duration = .seconds(120)) async throws -> Int32 {
        guard let status = await process.exitStatus(within: timeout) else {
            throw WebDriver.Failure(description: "\(output.lastPathComponent): still running after \(timeout)")
        }
        return status
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; returns once it has exited, with its status (a
    /// killed process's is its signal number).
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Int32 {
        guard let status = await process.stop(grace: grace) else {
            Issue.record("\(output.lastPathComponent): the process survived SIGKILL")
            return -1
        }
        return status
    }
}
