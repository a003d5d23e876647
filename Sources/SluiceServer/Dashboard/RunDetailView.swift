import Foundation
import SluiceCore
import SluiceEngine
import SluiceStore

/// What the run detail page shows: the run, its parameters, progress, result or error, its log, and which
/// actions the caller may take.
struct RunDetailView {
    let context: [String: Any]

    static func load(client: SluiceClient, run: Run, identity: AccessIdentity) async throws -> RunDetailView {
        let lines = try await client.logs(runID: run.id, limit: 500)
        let summary = try await client.logSummary(runID: run.id)
        let mayAct = identity.role >= .operator
        let percent = run.progress.map { Int(($0 * 100).rounded()) }
        let history = try await client.runs(RunQuery(jobID: run.jobID, limit: 10)).items
        return RunDetailView(context: [
            "id": run.id, "jobID": run.jobID, "jobType": run.jobType, "state": run.state.rawValue,
            "attempt": run.attempt, "maxAttempts": run.maxAttempts,
            "parameters": JSONValue.object(run.parameters).jsonText,
            "created": time(run.createdAt), "started": run.startedAt.map(time) ?? "—",
            "finished": run.finishedAt.map(time) ?? "—", "worker": run.workerID ?? "—",
            "showProgress": percent != nil || run.state == .running, "live": !run.state.isTerminal,
            "history": history.map { DashboardFormat.runRow($0) }, "hasHistory": history.count > 1,
            "percent": percent ?? 0, "progressMessage": run.progressMessage ?? "",
            "error": run.error ?? "", "hasError": run.error != nil,
            "result": run.result.map { JSONValue.object($0).jsonText } ?? "", "hasResult": run.result != nil,
            "summary": summary.text,
            "lines": lines.map { ["at": time($0.at), "level": $0.level.rawValue, "message": $0.message] },
            "hasLines": !lines.isEmpty, "lastLogID": lines.last?.id ?? 0,
            "attempts": attempts(of: lines), "hasAttempts": Set(lines.map(\.attempt)).count > 1,
            "canCancel": mayAct && !run.state.isTerminal && !run.cancelRequested,
            "canRetry": mayAct && [.failed, .cancelled, .timedOut].contains(run.state),
            "cancelRequested": run.cancelRequested && !run.state.isTerminal,
        ])
    }

    private static func time(_ date: Date) -> String { DashboardFormat.time(date) }

    /// Each attempt the log shows: when it started and stopped writing, its line count, and its last error.
    private static func attempts(of lines: [LogLine]) -> [[String: Any]] {
        Dictionary(grouping: lines, by: \.attempt).sorted { $0.key < $1.key }.map { attempt, lines in
            var row: [String: Any] = [
                "attempt": attempt, "from": time(lines.first?.at ?? Date()), "to": time(lines.last?.at ?? Date()),
                "lines": lines.count,
            ]
            row["attemptError"] = lines.last { $0.level == .error }?.message
            return row
        }
    }
}
