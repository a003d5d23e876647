import Foundation
import SluiceTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The README's tour, as a new user follows it: the real `sluice demo` runs, its printed lines are pasted into a
/// shell, and every command of the tour's code blocks runs there as written (`swift run sluice` being the built
/// binary), each expected to succeed. The README cannot drift from the product without this test failing.
@Suite("README tour")
struct ReadmeTourTests {
    /// What every command's shell starts with: strict mode, `swift run sluice` as the built binary (any other
    /// `swift` command fails), and `curl` failing on an HTTP error status.
    static let prelude = """
        set -euo pipefail
        swift() {
          if [ "$#" -lt 2 ] || [ "$1 $2" != "run sluice" ]; then echo "not a sluice command: swift $*" >&2; return 127; fi
          shift 2
          "$TOUR_SLUICE_BINARY" "$@"
        }
        curl() { command curl --fail-with-body --show-error --max-time 120 "$@"; }
        """

    @Test("the tour's commands run as written against `sluice demo`, with the lines it prints", .timeLimit(.minutes(5)))
    func tour() async throws {
        let tour = try ReadmeTour()
        let folder = try SluiceCLI.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = try SiblingExecutable.url(named: "sluice")
        let demo = try ChildProcess(
            sluice, ["demo", "--port", "0", "--database", folder.appendingPathComponent("demo.sqlite").path],
            name: "demo", folder: folder)
        do {
            _ = try await demo.wait(for: #"\n    (SYNC_JOB=\d+)"#)
            let pasted = ReadmeTour.pastedLines(in: demo.printed)
            let readmeLines = try #require(tour.pastedBlock, "the tour shows no lines of the demo to paste")
            #expect(ReadmeTour.variables(pasted) == ReadmeTour.variables(readmeLines), "the demo printed:\n\(pasted)")
            #expect(ReadmeTour.variables(pasted).contains("TOKEN"), "a fresh demo prints its token")
            let shell = TourShell(
                folder: folder, environment: SluiceCLI.environment(adding: ["TOUR_SLUICE_BINARY": sluice.path]),
                lines: [Self.prelude] + pasted)
            for command in tour.commandBlocks.joined() {
                try await shell.run(command)
            }
            #expect(shell.ran >= 10, "the tour has fewer commands than expected: \(shell.ran)")
        } catch {
            Issue.record("sluice demo printed:\n\(demo.printed.suffix(4000))")
            await demo.stop()
            throw error
        }
        #expect(await demo.stop() == 0)
    }
}

/// The second terminal of the tour: a shell per command, starting with the lines pasted so far.
final class TourShell {
    let folder: URL
    let environment: [String: String]
    private(set) var lines: [String]
    private(set) var lastOutput = ""
    private(set) var ran = 0

    init(folder: URL, environment: [String: String], lines: [String]) {
        self.folder = folder
        self.environment = environment
        self.lines = lines
    }

    /// Runs `command` and expects it to succeed. A placeholder (`RUN=…`) is set from the previous command's output;
    /// a live stream (`curl -N`) is expected to start, then stopped.
    func run(_ command: String) async throws {
        if let name = ReadmeTour.placeholder(command) {
            try #require(name == "RUN", "the tour leaves \(name) for the user to fill in")
            let printed = try #require(
                lastOutput.firstMatch(of: /run (\d+)/)?.1, "no run id in the output before \(command):\n\(lastOutput)")
            lines.append("RUN=\(printed)")
            return
        }
        ran += 1
        let script = (lines + [command]).joined(separator: "\n")
        if command.contains("curl -sN") {
            try await stream(script, command: command)
            return
        }
        let outcome = try await SpawnedProcess.capture(
            "/bin/bash", ["-c", script], environment: environment, timeout: .seconds(180))
        #expect(
            outcome.status == 0,
            "\(command)\nstatus \(outcome.status.map(String.init) ?? "timed out")\nstdout:\n\(outcome.output.suffix(2000))\nstderr:\n\(outcome.errors.suffix(2000))"
        )
        lastOutput = outcome.output
    }

    /// Runs an endless stream until it has connected, then ends its shell and the stream together.
    private func stream(_ script: String, command: String) async throws {
        let shell = try ChildProcess(
            URL(fileURLWithPath: "/bin/bash"), ["-c", script], name: "stream-\(ran)", folder: folder,
            environment: environment)
        do {
            _ = try await shell.wait(for: "(: connected)", timeout: .seconds(60))
        } catch {
            Issue.record("\(command) did not start streaming")
        }
        // The shell leads a process group of its own (SpawnedProcess), which its curl shares. SIGKILL, as the shell
        // may have inherited a blocked SIGTERM from the test runner.
        kill(-shell.process.pid, SIGKILL)
        await shell.exited()
    }
}
