import Foundation
import SluiceTestSupport

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

    /// SIGTERM, then SIGKILL if it has not exited within 10 s.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            // A cancelled test task cannot sleep asynchronously; block briefly instead of spinning.
            if (try? await Task.sleep(for: .milliseconds(50))) == nil { usleep(50_000) }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
