import Foundation
import SluiceCore

/// The job type that crash tests run in separate worker processes, and the ledger its handler keeps.
public enum LedgerJobTypes {
    /// Sleeps for its `sleep_ms` parameter, writing a start and an end line to the ledger.
    public static let ledgerSleep = JobType(
        name: "ledger_sleep", label: "Ledger sleep",
        schema: ParameterSchema([ParameterField("sleep_ms", .int, minimum: 0, maximum: 600_000, default: .int(100))]),
        retryPolicy: RetryPolicy(maxAttempts: 5, initialDelay: .milliseconds(100), multiplier: 1, jitter: 0))

    /// The registry of the worker processes.
    public static let registry = try! JobTypeRegistry([ledgerSleep])
}

/// One line of the ledger: which worker started or ended which attempt of which run, and when (CLOCK_MONOTONIC,
/// nanoseconds, comparable across processes on one machine).
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
        let line = "\(event) \(runID) \(attempt) \(workerID) \(now())\n"
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
