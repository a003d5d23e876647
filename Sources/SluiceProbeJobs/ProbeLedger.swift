import Foundation

/// One line of a probe ledger: which worker started or ended which attempt of which run, and when (CLOCK_MONOTONIC,
/// nanoseconds, comparable across processes on one machine). Crash tests, the multi-node tests and benchmarks read
/// it to prove that no run was executed twice at once and to measure how many ran together.
public struct LedgerEntry: Sendable, Hashable {
    /// `start` or `end`.
    public let event: String
    /// The run.
    public let runID: Int64
    /// The attempt.
    public let attempt: Int
    /// The worker.
    public let workerID: String
    /// CLOCK_MONOTONIC in nanoseconds.
    public let nanoseconds: UInt64

    /// The current CLOCK_MONOTONIC reading in nanoseconds.
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    /// Appends a line to the ledger at `path` with one `write` to an `O_APPEND` descriptor, so that lines from
    /// several processes never interleave.
    public static func append(event: String, runID: Int64, attempt: Int, workerID: String, to path: String) {
        appendLine("\(event) \(runID) \(attempt) \(workerID) \(now())", to: path)
    }

    /// Appends `line` and a newline to the file at `path` with one `write` to an `O_APPEND` descriptor.
    public static func appendLine(_ text: String, to path: String) {
        let line = text + "\n"
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        _ = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    /// Every entry in the ledger at `path`.
    public static func read(from path: String) -> [LedgerEntry] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 5, let runID = Int64(fields[1]), let attempt = Int(fields[2]),
                let nanoseconds = UInt64(fields[4])
            else { return nil }
            return LedgerEntry(
                event: String(fields[0]), runID: runID, attempt: attempt, workerID: String(fields[3]),
                nanoseconds: nanoseconds)
        }
    }
}
