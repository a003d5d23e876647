import ArgumentParser
import Foundation
import SluiceCore
import SluiceEngine
import SluiceServer
import SluiceStore

/// `sluice logs RUN [--follow]`: a run's log, and with `--follow` the lines still to come until the run ends.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a run's log; --follow keeps printing until the run ends.",
        discussion: """
            With --json, each line is printed as one JSON object per line (the API's log line), so a follower can \
            read them as they come.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "The run's id.") var run: Int64
    @Flag(name: .shortAndLong, help: "Keep printing new lines until the run ends.") var follow = false
    @Flag(help: "Print one JSON object per line.") var json = false

    func run() async throws {
        let runID = run
        let printer = json ? Self.jsonLine : Self.line
        try await store.withClient { client in
            var after: Int64?
            while true {
                let current = try await client.run(id: runID)
                let lines = try await RunLog.lines(of: runID, after: after, client: client)
                after = lines.last?.id ?? after
                // Written at once (not through print's buffer), so `logs --follow | grep …` sees each line as it
                // comes.
                if !lines.isEmpty { Self.write(lines.map { printer($0) + "\n" }.joined()) }
                guard follow, !current.state.isTerminal else {
                    if follow && !json { Self.write("Run \(runID) \(current.state.rawValue).\n") }
                    return
                }
                // Workers flush logs every 250 ms; asking more often would only cost queries.
                try await Task.sleep(for: .milliseconds(500))
            }
        }
    }

    private static func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    /// `2026-11-30T05:40:12Z  info   message`.
    static func line(_ line: LogLine) -> String {
        "\(CLIText.time(line.at))  \(line.level.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))\(line.message)"
    }

    /// The API's JSON for one line.
    static func jsonLine(_ line: LogLine) -> String { JSONValue.object(APIRepresentation.logLine(line)).jsonText }

    /// The last 20 lines of a run's log.
    static func tail(of runID: Int64, client: SluiceClient) async throws -> [LogLine] {
        Array(try await RunLog.lines(of: runID, after: nil, client: client).suffix(20))
    }
}
