import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore

/// Follows a run on standard error while it runs: its new log lines, and a progress bar redrawn in place when
/// standard error is a terminal (a line per change of progress message otherwise).
struct RunFollower {
    let client: SluiceClient
    private let terminal = isatty(STDERR_FILENO) == 1

    init(client: SluiceClient) { self.client = client }

    /// Prints until the run ends or waits for a retry.
    func follow(_ runID: Int64) async throws {
        var after: Int64?
        var lastMessage: String?
        while true {
            let run = try await client.run(id: runID)
            let lines = try await RunLog.lines(of: runID, after: after, client: client)
            after = lines.last?.id ?? after
            if terminal { write("\r\u{1B}[2K") }
            for line in lines { write(LogsCommand.line(line) + "\n") }
            let finished = run.state.isTerminal || run.state == .retrying
            if terminal && !finished {
                write(Self.bar(run))
            } else if !terminal, let message = run.progressMessage, message != lastMessage {
                write("\(CLIText.percent(run.progress)) \(message)\n")
            }
            lastMessage = run.progressMessage
            if finished { return }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// `[##########----------]  50%  Page 3 of 6`, cut to 100 characters.
    static func bar(_ run: Run) -> String {
        let width = 20
        let filled = Int((run.progress ?? 0) * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let text =
            "[\(bar)] \(CLIText.percent(run.progress))  \(run.state == .queued ? "waiting to start" : run.progressMessage ?? "")"
        return String(text.prefix(100))
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
