import Foundation
import SluiceTestSupport
import Testing

/// A real child process (`sluice serve`, chromedriver) whose output goes to files in a work folder, so a test can
/// wait for a line it prints. Terminated (then killed) when stopped.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let output: URL

    /// Starts `executable` with `arguments`; stdout and stderr go to `<folder>/<name>.log`.
    init(
        _ executable: URL, _ arguments: [String], name: String, folder: URL, environment: [String: String] = [:]
    ) throws {
        output = folder.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
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

    /// Returns once the process has exited, or after `timeout` with an issue recorded. Polls instead of
    /// `waitUntilExit`, which blocks one of the few threads that every test of this process shares.
    func exited(timeout: Duration = .seconds(30)) async {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                Issue.record("\(output.lastPathComponent): the process has not exited after \(timeout)")
                return
            }
            // A cancelled test task cannot sleep asynchronously; block briefly instead of spinning.
            if (try? await Task.sleep(for: .milliseconds(20))) == nil { usleep(20_000) }
        }
    }

    /// Waits for the process to exit by itself and returns its status.
    /// - Throws: when it is still running after `timeout`.
    func exitStatus(within timeout: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                throw WebDriver.Failure(description: "\(output.lastPathComponent): still running after \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`; returns once it has exited, with its status (a
    /// killed process's is its signal number).
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = ContinuousClock.now + grace
        while process.isRunning, ContinuousClock.now < deadline {
            // A cancelled test task cannot sleep asynchronously; block briefly instead of spinning.
            if (try? await Task.sleep(for: .milliseconds(50))) == nil { usleep(50_000) }
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            await exited()
        }
        return process.terminationStatus
    }
}
